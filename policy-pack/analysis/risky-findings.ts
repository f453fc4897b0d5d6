/**
 * Findings for named risky actions on broad resources (see `risky-actions.ts`): dangerous actions
 * (resource exposure, defence evasion, remote execution, identity creation, `sts:AssumeRole`), workload
 * takeover, credential reads. And condition keys that never apply to the actions they guard.
 */
import { CatalogAction, PatternMatch, actionsWithFlag } from "./catalog";
import { conditionKeyApplies, passesWhenKeyMissing } from "./condition-keys";
import { Statement } from "./document";
import { DANGEROUS_ACTIONS } from "./risky-actions";
import { ActionFlag } from "./sensitive";
import { Finding } from "./types";

function names(actions: readonly CatalogAction[], max = 5): string {
    const sorted = [...actions].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const shown = sorted
        .slice(0, max)
        .map((a) => `\`${a.name}\``)
        .join(", ");
    return sorted.length > max ? `${shown} and ${sorted.length - max} more` : shown;
}

function collect(
    matches: readonly PatternMatch[],
    flag: number,
    skip: ReadonlySet<string>,
    scoped: (a: CatalogAction) => boolean,
): CatalogAction[] {
    const out = new Map<string, CatalogAction>();
    for (const m of matches) {
        if (skip.has(m.pattern)) continue;
        for (const a of actionsWithFlag(m, flag)) if (!scoped(a)) out.set(a.key, a);
    }
    return [...out.values()];
}

/**
 * Named risky actions an Allow statement grants on a broad Resource. `skip`: patterns already reported as a
 * service wildcard (one finding per cause); `scoped(a)`: a condition that applies to `a` scopes it.
 */
export function riskyActionFindings(
    s: Statement,
    matches: readonly PatternMatch[],
    onWhat: string,
    skip: ReadonlySet<string>,
    scoped: (a: CatalogAction) => boolean,
    out: Finding[],
): void {
    const dangerous = collect(matches, ActionFlag.Dangerous, skip, scoped);
    if (dangerous.length > 0) {
        const classes = [...new Set(dangerous.map((a) => DANGEROUS_ACTIONS.get(a.key)))].join(", ");
        out.push({
            kind: "dangerous-action-on-all",
            level: "mandatory",
            statement: s.index,
            message:
                `${s.label}: ${names(dangerous)} on ${onWhat} (${classes}): every bucket, key, trail, instance or role ` +
                "of the account, including ones created later. Scope Resource to the ARNs it needs, or add an " +
                "`aws:ResourceTag/...` condition.",
        });
    }
    const takeover = collect(matches, ActionFlag.WorkloadTakeover, new Set(), scoped);
    if (takeover.length > 0) {
        out.push({
            kind: "workload-takeover",
            level: "mandatory",
            statement: s.index,
            message:
                `${s.label}: ${names(takeover)} on ${onWhat} takes over existing workloads (functions, instances, ` +
                "containers, notebooks, stacks) and so acts with their roles, a privilege escalation without `iam:PassRole`. " +
                "Scope Resource to the workloads it owns (function / instance / stack ARNs) or a tag condition.",
        });
    }
    const creds = collect(matches, ActionFlag.Credential, new Set(), scoped);
    if (creds.length > 0) {
        out.push({
            kind: "unscoped-credential-read",
            level: "mandatory",
            statement: s.index,
            message:
                `${s.label}: ${names(creds)} on ${onWhat} returns credentials (database users, tokens, instance ` +
                "passwords or keys) for any resource. Scope Resource to the cluster / db-user / domain ARNs it needs.",
        });
    }
}

/** Statements matching more actions than this are not checked for condition applicability (e.g. `*`). */
const APPLICABILITY_LIMIT = 3_000;

/**
 * Condition keys that never apply to any action the statement names. Returns the lower-case keys that do
 * apply (or cannot be told), for the scoping decision; reports the others.
 */
export function conditionApplicability(s: Statement, matches: readonly PatternMatch[], out: Finding[]): Set<string> {
    const applying = new Set<string>();
    if (s.conditions.length === 0) return applying;
    const actions = matches.flatMap((m) => m.actions);
    if (s.notActions !== undefined || actions.length === 0 || actions.length > APPLICABILITY_LIMIT) {
        for (const c of s.conditions) applying.add(c.key);
        return applying;
    }
    for (const c of s.conditions) {
        let verdict: boolean | undefined = false;
        for (const a of actions) {
            const v = conditionKeyApplies(a, c.key);
            if (v !== false) {
                verdict = v;
                if (v === true || v === undefined) break;
            }
        }
        if (verdict !== false) {
            applying.add(c.key);
            continue;
        }
        const sample = names(actions, 3);
        if (passesWhenKeyMissing(c.operator, c.values)) {
            out.push({
                kind: "condition-not-applicable",
                level: "advisory",
                statement: s.index,
                subject: c.key,
                message:
                    `${s.label}: \`${c.key}\` is never in the request context of ${sample}, so \`${c.operator}\` on it is ` +
                    "always true and restricts nothing; the statement is judged as if it had no such condition.",
            });
        } else {
            out.push({
                kind: "condition-not-applicable",
                level: "mandatory",
                statement: s.index,
                subject: c.key,
                message:
                    `${s.label}: \`${c.key}\` is never in the request context of ${sample}, so \`${c.operator}\` on it is ` +
                    "always false and the statement grants nothing (it fails closed). Use a key those actions support " +
                    "(e.g. `aws:ResourceTag/<key>` where the resource takes tags), or drop the condition.",
            });
        }
    }
    return applying;
}
