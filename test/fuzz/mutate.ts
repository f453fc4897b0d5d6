/**
 * Seeded structural mutations of JSON-like values for the fuzz tests: types swapped, keys dropped,
 * duplicated or misspelt, huge values, unicode, prototype-polluting keys, nulls and deep nesting.
 * Deterministic for a seed, so a failing case is reproduced by its number.
 */
import { prng } from "../../offline";

/** A JSON-like value (what YAML and JSON parsing give). */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Random helpers over one seeded PRNG. */
export class Rng {
    private readonly next: () => number;

    constructor(seed: number) {
        this.next = prng(seed);
    }

    /** Float in [0, 1). */
    float(): number {
        return this.next();
    }

    /** Integer in [0, n). */
    int(n: number): number {
        return Math.floor(this.next() * n);
    }

    /** One element of a non-empty list. */
    pick<T>(xs: readonly T[]): T {
        return xs[this.int(xs.length)];
    }
}

/** Keys that pollute prototypes if a parser assigns them naively. */
export const HOSTILE_KEYS = ["__proto__", "constructor", "prototype"] as const;

/** Strange but valid strings: unicode, control characters, very long ones, look-alike ids. */
const ODD_STRINGS: readonly string[] = [
    "",
    " ",
    "\u0000",
    "é",
    "日本語",
    "😀".repeat(40),
    "\u202eRTL",
    "zero\u200bwidth",
    "a\nb",
    "${injection}",
    "`backtick`",
    "ou-ab12-wkdev001 ",
    "111111111111\u0000",
    "arn:aws:iam::aws:policy/*",
    "*",
    "r-ab12",
    "x".repeat(100_000),
    "PT99999H",
    "2027-02-30",
    "-1",
    "1e309",
    "null",
    "true",
    "[]",
    "{}",
    "[",
    '{"a":',
];

const ODD_VALUES = (rng: Rng, long: number): Json[] => [
    null,
    true,
    false,
    0,
    -1,
    1.5,
    1e308,
    -0,
    Number.MAX_SAFE_INTEGER,
    rng.pick(ODD_STRINGS),
    [],
    {},
    [null],
    { "": null },
    Array.from({ length: Math.ceil(long / 4) }, (_, i) => `item-${i}`),
];

/** Options of {@link mutate}. */
export interface MutateOptions {
    /** Length of the "huge" lists (default 20,000; the document fuzzer uses fewer, its analysis is per action). */
    readonly hugeList?: number;
}

/** A value nested `depth` levels deep in arrays or objects. */
export function deep(depth: number, rng: Rng): Json {
    let v: Json = "leaf";
    for (let i = 0; i < depth; i++) v = rng.float() < 0.5 ? [v] : { nested: v };
    return v;
}

/** Misspells a key: transposition, deletion, duplication, case change or a stray character. */
export function misspell(key: string, rng: Rng): string {
    if (key.length < 2) return `${key}x`;
    const i = rng.int(key.length - 1);
    switch (rng.int(5)) {
        case 0:
            return key.slice(0, i) + key[i + 1] + key[i] + key.slice(i + 2);
        case 1:
            return key.slice(0, i) + key.slice(i + 1);
        case 2:
            return key.slice(0, i) + key[i] + key.slice(i);
        case 3:
            return key.toUpperCase();
        default:
            return `${key}_`;
    }
}

type Container = Json[] | { [key: string]: Json };
interface Site {
    parent: Container;
    key: string | number;
    depth: number;
}

function isContainer(v: Json | undefined): v is Container {
    return v !== null && typeof v === "object";
}

/** Every (container, key) position in the value, breadth-first, skipping huge lists. */
function sites(root: Container): Site[] {
    const out: Site[] = [];
    const queue: Site[] = [];
    const visit = (c: Container, depth: number) => {
        const keys: (string | number)[] = Array.isArray(c) ? (c.length > 50 ? [] : c.map((_, i) => i)) : Object.keys(c);
        for (const k of keys) queue.push({ parent: c, key: k, depth });
    };
    visit(root, 0);
    for (let s = queue.shift(); s !== undefined; s = queue.shift()) {
        out.push(s);
        const v = (s.parent as Record<string | number, Json>)[s.key];
        if (isContainer(v) && out.length < 5_000) visit(v, s.depth + 1);
    }
    return out;
}

/** Defines an own property, even for `__proto__` (as JSON.parse and the YAML parser do). */
function defineOwn(o: { [key: string]: Json }, key: string, v: Json): void {
    Object.defineProperty(o, key, { value: v, enumerable: true, writable: true, configurable: true });
}

/** Swaps a value for one of another type (string ↔ number ↔ object ↔ array ↔ null ↔ boolean). */
function swapType(v: Json, rng: Rng): Json {
    if (typeof v === "string") return rng.pick<Json>([Number(v.length), [v], { value: v }, null, true]);
    if (typeof v === "number") return rng.pick<Json>([String(v), [v], { n: v }, null]);
    if (typeof v === "boolean") return rng.pick<Json>([String(v), v ? 1 : 0, null, [v]]);
    if (Array.isArray(v))
        return rng.pick<Json>([
            v.length > 0 ? v[0] : "",
            Object.fromEntries(v.map((x, i) => [String(i), x])),
            JSON.stringify(v).slice(0, 200),
            null,
        ]);
    if (v === null) return rng.pick<Json>(["", 0, [], {}]);
    return rng.pick<Json>([Object.values(v), Object.keys(v).join(","), 42, null]);
}

/** The mutation kinds, for reporting. */
export const MUTATIONS = [
    "swap-type",
    "drop-key",
    "duplicate-key",
    "misspell-key",
    "huge",
    "odd-value",
    "hostile-key",
    "null",
    "deep",
] as const;

/**
 * Applies one random mutation in place somewhere in `root` and returns its description
 * (e.g. `misspell-key idfed:groups.developers.displayName`).
 */
export function mutate(root: Container, rng: Rng, opts: MutateOptions = {}): string {
    const long = opts.hugeList ?? 20_000;
    const all = sites(root);
    if (all.length === 0) {
        if (!Array.isArray(root)) defineOwn(root, rng.pick(HOSTILE_KEYS), { polluted: true });
        return "hostile-key (empty)";
    }
    const s = rng.pick(all);
    const p = s.parent as Record<string | number, Json>;
    const kind = rng.pick(MUTATIONS);
    const where = String(s.key);
    switch (kind) {
        case "swap-type":
            p[s.key] = swapType(p[s.key], rng);
            break;
        case "drop-key":
            if (Array.isArray(s.parent)) s.parent.splice(s.key as number, 1);
            else delete p[s.key];
            break;
        case "duplicate-key":
            if (Array.isArray(s.parent)) s.parent.push(JSON.parse(JSON.stringify(p[s.key])) as Json);
            else defineOwn(s.parent, `${where}${rng.pick([" ", "2", "_copy"])}`, p[s.key]);
            break;
        case "misspell-key":
            if (!Array.isArray(s.parent)) {
                const v = p[s.key];
                delete p[s.key];
                defineOwn(s.parent, misspell(where, rng), v);
            } else p[s.key] = misspell(String(p[s.key]), rng);
            break;
        case "huge":
            p[s.key] = rng.pick<Json>(["x".repeat(200_000), Array.from({ length: long }, (_, i) => i), 1e308, -1e308]);
            break;
        case "odd-value":
            p[s.key] = rng.pick(ODD_VALUES(rng, long));
            break;
        case "hostile-key": {
            const target = isContainer(p[s.key]) && !Array.isArray(p[s.key]) ? (p[s.key] as { [key: string]: Json }) : undefined;
            const into = target ?? (Array.isArray(s.parent) ? undefined : s.parent);
            if (into)
                defineOwn(into, rng.pick(HOSTILE_KEYS), rng.pick<Json>([{ polluted: true }, "polluted", null, [1], { toString: "x" }]));
            else p[s.key] = { __proto__: { polluted: true } } as unknown as Json;
            break;
        }
        case "null":
            p[s.key] = null;
            break;
        case "deep":
            p[s.key] = deep(200 + rng.int(2_000), rng);
            break;
    }
    return `${kind} ${where}`;
}

/** Snapshot of the built-in prototypes' own properties, to prove no mutation polluted them. */
export function prototypeSnapshot(): string {
    const protos: [string, object][] = [
        ["Object", Object.prototype],
        ["Array", Array.prototype],
        ["Function", Function.prototype],
        ["String", String.prototype],
    ];
    return protos.map(([n, p]) => `${n}:${Object.getOwnPropertyNames(p).sort().join(",")}`).join("|");
}
