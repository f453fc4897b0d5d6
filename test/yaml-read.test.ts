import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { loadPlainYaml, MAX_ALIAS_NODES, MAX_YAML_CHARS, MAX_YAML_DEPTH, readYaml } from "../stacks/input/yaml-read";
import { ConfigError } from "../stacks/model";
import { prng } from "../offline";

const ROOT = path.resolve(__dirname, "..");

/** What the full parser (`yaml`, core schema) reads. */
const full = (text: string): unknown => parse(text, { schema: "core", uniqueKeys: true });

describe("stacks/yaml-read: the fast path reads exactly what the full parser reads", function () {
    it("on every shipped stack file and org fixture", () => {
        const files = ["Pulumi.dev.yaml", "Pulumi.prod.yaml", "stacks/orgs/dev.yaml", "stacks/orgs/prod.yaml"];
        for (const f of files) {
            const text = fs.readFileSync(path.join(ROOT, f), "utf8");
            const fast = loadPlainYaml(text);
            assert.notEqual(fast, undefined, `${f} took the slow path`);
            assert.deepEqual(fast, full(text), f);
        }
    });

    it("on scalars whose type differs between YAML versions", () => {
        const text = [
            "a: 2027-01-31",
            "b: 2027-01-31T00:00:00Z",
            "c: yes",
            "d: no",
            "e: on",
            "f: 0123",
            "g: 0o17",
            "h: 0x1F",
            "i: 081000000002",
            "j: 1e3",
            "k: .inf",
            "l: ~",
            "m: null",
            "n: True",
            "o: '007'",
            "p: 12345678901234567890",
            "r: +5",
            "s: 1_000",
            't: "s3:*"',
            "u: arn:aws:s3:::bucket/*",
            "v: [a, {b: c}]",
            "w: |\n  line1\n  line2",
        ].join("\n");
        const fast = loadPlainYaml(text);
        assert.notEqual(fast, undefined);
        assert.deepEqual(fast, full(text));
    });

    it("leaves anchors, aliases, tags, duplicate keys and bad syntax to the full parser", () => {
        for (const text of ["a: &x 1\nb: *x", "a: !!str 1", "a: 1\na: 2", "a: [unclosed", "<<: *base"]) {
            assert.equal(loadPlainYaml(text), undefined, text);
        }
        const deep = `a: ${"[".repeat(20_000)}${"]".repeat(20_000)}`;
        assert.equal(loadPlainYaml(deep), undefined, "hostile nesting");
    });
});

/** Reads `text` as a stack config file would be read; returns the value or the ConfigError. */
function read(text: string): { value?: unknown; error?: ConfigError } {
    try {
        return { value: readYaml(text, "in.yaml", { source: "stack config in.yaml" }) };
    } catch (e) {
        if (e instanceof ConfigError) return { error: e };
        throw e;
    }
}

/** Nodes of a plain value; throws on a cycle (a tree is what every consumer walks). */
function nodes(v: unknown, depth = 0, open = new Set<object>()): number {
    if (v === null || typeof v !== "object") return 1;
    assert.ok(!open.has(v), "the value has a cycle");
    assert.ok(depth <= MAX_YAML_DEPTH + 1, "the value nests past the bound");
    open.add(v);
    let n = 1;
    for (const x of Array.isArray(v) ? v : Object.values(v)) n += nodes(x, depth + 1, open);
    open.delete(v);
    return n;
}

/** Billion laughs: `levels` anchors each holding `width` aliases of the previous, in flow or block syntax. */
function laughs(levels: number, width: number, flow: boolean): string {
    let s = "a0: &a0 [lol, lol, lol]\n";
    for (let i = 1; i <= levels; i++) {
        const items = Array.from({ length: width }, () => `*a${i - 1}`);
        s += flow ? `a${i}: &a${i} [${items.join(", ")}]\n` : `a${i}: &a${i}\n${items.map((x) => `  - ${x}\n`).join("")}`;
    }
    return s;
}

describe("stacks/yaml-read: hostile YAML ends in a ConfigError naming the file and line", function () {
    const cases: [string, string, RegExp][] = [
        ["billion laughs, flow sequences", laughs(9, 9, true), /in\.yaml:\d+`: aliases expand/],
        ["billion laughs, block sequences", laughs(9, 9, false), /in\.yaml:\d+`: aliases expand/],
        [
            "billion laughs, flow mappings",
            "a: &a {x: 1, y: 2}\nb: &b {a: *a, b: *a, c: *a, d: *a, e: *a, f: *a, g: *a, h: *a}\n" +
                Array.from(
                    { length: 8 },
                    (_, i) =>
                        `c${i}: &c${i} {a: *${i === 0 ? "b" : `c${i - 1}`}, b: *${i === 0 ? "b" : `c${i - 1}`}, c: *${i === 0 ? "b" : `c${i - 1}`}, d: *${i === 0 ? "b" : `c${i - 1}`}, e: *${i === 0 ? "b" : `c${i - 1}`}, f: *${i === 0 ? "b" : `c${i - 1}`}, g: *${i === 0 ? "b" : `c${i - 1}`}}`,
                ).join("\n"),
            /aliases expand/,
        ],
        [
            "self-referencing alias, flow sequence",
            "config:\n  idfed:groups: &a [*a]\n",
            /in\.yaml:2`: the alias `\*a` refers to a value that contains it/,
        ],
        ["self-referencing alias, flow mapping", "a: &b {x: *b}\n", /in\.yaml:1`: the alias `\*b` refers/],
        ["self-referencing alias, block", "a: &b\n  x:\n    - y: *b\n", /in\.yaml:3`: the alias `\*b` refers/],
        ["alias without anchor", "a: *nope\n", /in\.yaml/],
        ["deep flow nesting", `a: ${"[".repeat(5000)}${"]".repeat(5000)}`, /in\.yaml:1`: nested more than 64 levels/],
        [
            "deep flow nesting (200 KB, refused before parsing)",
            `a: ${"{a: ".repeat(50_000)}1${"}".repeat(50_000)}`,
            /in\.yaml:1`: nested more than 64 levels/,
        ],
        ["deep block nesting", Array.from({ length: 300 }, (_, i) => `${" ".repeat(i)}k${i}:`).join("\n") + " 1\n", /nested more than/],
        [
            "deep nesting through aliases",
            Array.from({ length: 80 }, (_, i) => (i === 0 ? "a0: &a0 [x]" : `a${i}: &a${i} [*a${i - 1}]`)).join("\n"),
            /nested more than/,
        ],
        ["a huge file", `a: "${"x".repeat(MAX_YAML_CHARS)}"\n`, /in\.yaml`: is \d+ characters long; the limit is/],
    ];
    for (const [name, text, re] of cases) {
        it(name, () => {
            const r = read(text);
            assert.ok(r.error, `${name}: read without an error (${r.value === undefined ? "" : nodes(r.value)} nodes)`);
            assert.match(r.error.message, re);
            assert.match(r.error.message, /^invalid stack config in\.yaml/);
        });
    }

    it("brackets inside quoted strings and comments do not count as nesting", () => {
        const r = read(`a: "${"[".repeat(500)}"\nq: '${"{".repeat(500)}'\n# ${"{".repeat(500)}\nb: {c: [1]}\n`);
        assert.equal(r.error, undefined, r.error?.message);
        assert.deepEqual((r.value as { b: unknown }).b, { c: [1] });
    });

    it("still reads modest reuse of an anchor, as a tree with the aliased values", () => {
        const r = read("base: &t { ous: [r-ab12], reason: x }\nrules: [*t, *t, { <<: *t }]\n");
        assert.equal(r.error, undefined, r.error?.message);
        assert.deepEqual((r.value as { rules: unknown[] }).rules.slice(0, 2), [
            { ous: ["r-ab12"], reason: "x" },
            { ous: ["r-ab12"], reason: "x" },
        ]);
    });
});

describe("stacks/yaml-read: fuzz of anchors, aliases and flow syntax", function () {
    /** A random YAML text mixing block and flow collections, anchors and aliases (some forward, some cyclic). */
    function randomYaml(rng: () => number): string {
        const anchors: string[] = [];
        const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)];
        const scalar = () => pick(["x", "1", "true", "null", "'q'", '"s3:*"', "~", "2027-01-31"]);
        const flow = (depth: number): string => {
            const r = rng();
            if (depth > 3 || r < 0.3) return anchors.length > 0 && rng() < 0.5 ? `*${pick(anchors)}` : scalar();
            const anchor = rng() < 0.4 ? `a${anchors.length}` : undefined;
            const n = 1 + Math.floor(rng() * 5);
            // The anchor is known to later aliases, and (for cycles) already inside its own value.
            if (anchor && rng() < 0.05) anchors.push(anchor);
            const items = Array.from({ length: n }, (_, i) => (r < 0.65 ? flow(depth + 1) : `k${i}: ${flow(depth + 1)}`));
            if (anchor && !anchors.includes(anchor)) anchors.push(anchor);
            const body = r < 0.65 ? `[${items.join(", ")}]` : `{${items.join(", ")}}`;
            return anchor ? `&${anchor} ${body}` : body;
        };
        const lines: string[] = [];
        const keys = 1 + Math.floor(rng() * 6);
        for (let i = 0; i < keys; i++) {
            if (rng() < 0.5) lines.push(`k${i}: ${flow(0)}`);
            else {
                const anchor = rng() < 0.5 ? `b${i}` : undefined;
                lines.push(`k${i}:${anchor ? ` &${anchor}` : ""}`);
                const cyclic = anchor !== undefined && rng() < 0.1;
                if (anchor && cyclic) anchors.push(anchor);
                const n = 1 + Math.floor(rng() * 5);
                for (let j = 0; j < n; j++) lines.push(`  - ${flow(1)}`);
                if (anchor && !cyclic) anchors.push(anchor);
            }
        }
        return lines.join("\n") + "\n";
    }

    it("800 random documents: a bounded tree, or a ConfigError naming the file and line", () => {
        const rng = prng(14);
        let refused = 0;
        for (let i = 0; i < 800; i++) {
            const text = randomYaml(rng);
            const r = read(text);
            if (r.error) {
                refused++;
                assert.match(r.error.message, /`in\.yaml(:\d+(:\d+)?)?`: /, text);
                continue;
            }
            const n = nodes(r.value);
            // Alias expansion adds at most max(MAX_ALIAS_NODES, the file's own nodes).
            assert.ok(n <= 2 * text.length + MAX_ALIAS_NODES * 2, `${n} nodes from ${text.length} characters:\n${text}`);
            // The same value as the document model without bounds (the reader never changes what it accepts).
            assert.deepEqual(r.value, parse(text, { schema: "core", uniqueKeys: true, maxAliasCount: -1 }), text);
        }
        assert.ok(refused > 50 && refused < 750, `${refused} of 800 refused: the generator should produce both`);
    });
});
