/**
 * Expansion of assignment rules over the org tree into grants (account × group × permission set). Pure
 * and deterministic; the org is indexed once, so the cost is O(accounts × OU depth + grants).
 */
import { AssignmentRule, ConfigError, Expansion, Grant, OrgTree, StackModel } from "../model";
import { indexOrg, OrgIndex } from "./org-index";

export { indexOrg };
export type { OrgIndex };
import { idx, Issues, at, show } from "../input/validate";

/** Stable identity of a grant: `${accountId}/${groupKey}/${permissionSetKey}`. */
export function grantKey(g: Pick<Grant, "accountId" | "groupKey" | "permissionSetKey">): string {
    return `${g.accountId}/${g.groupKey}/${g.permissionSetKey}`;
}

/** Account ids whose tags contain every pair of `selector` (`*` matches any value). */
export function selectByTags(index: OrgIndex, selector: Readonly<Record<string, string>>): string[] {
    const pairs = Object.keys(selector).map((k) => [k, selector[k]] as const);
    let best: readonly string[] | undefined;
    for (const [k, v] of pairs) {
        const list = index.tags.get(k)?.get(v) ?? [];
        if (!best || list.length < best.length) best = list;
    }
    if (!best) return [];
    return best.filter((id) => {
        const t = index.accounts.get(id)?.tags ?? {};
        return pairs.every(([k, v]) => Object.prototype.hasOwnProperty.call(t, k) && (v === "*" || t[k] === v));
    });
}

// No did-you-mean for identifiers: the nearest id is a different, real OU or account (a typo in an account id
// once drew a suggestion of the management account). Suggestions are for names and keys only.
function unknownUnit(id: string, path: string, index: OrgIndex, issues: Issues): void {
    issues.add(
        path,
        `OU ${show(id)} is not in the organization; check the id in AWS Organizations` +
            ` (known OUs: ${[...index.unitPaths]
                .slice(0, 12)
                .map(([k, p]) => `\`${k}\` (${show(p)})`)
                .join(", ")}${index.unitPaths.size > 12 ? ", …" : ""})`,
    );
}

function unknownAccount(id: string, path: string, _index: OrgIndex, issues: Issues): void {
    issues.add(path, `account ${show(id)} is not in the organization; check the id in AWS Organizations (ids are never guessed)`);
}

interface Acc {
    readonly accountId: string;
    readonly groupKey: string;
    readonly permissionSetKey: string;
    /** Indexes of unexpired rules, and of expired ones. */
    readonly live: number[];
    dead?: number[];
    /** Some unexpired rule has no expiry. */
    liveOpen: boolean;
    /** Latest expiry (epoch ms and text) among unexpired rules, and among expired ones. */
    liveT: number;
    liveS: string;
    deadT: number;
    deadS: string;
}

/** The accounts one rule targets (before the management/suspended filters), or records unknown ids. */
function targetsOf(rule: AssignmentRule, index: OrgIndex, issues: Issues): Iterable<string> {
    const { targets: t, exclude: x } = rule;
    const units = t.recursive ? index.recursive : index.direct;
    if (t.ous.length === 1 && t.accounts.length === 0 && !t.accountTags && x.accounts.length + x.ous.length === 0) {
        const only = units.get(t.ous[0]);
        if (only) return only; // common case: one OU, no exclusions — the precomputed list, already unique
    }
    const base = idx("idfed:assignments", rule.index);
    const out = new Set<string>();
    rule.targets.ous.forEach((ou, j) => {
        const list = units.get(ou);
        if (list) for (const id of list) out.add(id);
        else unknownUnit(ou, idx(at(base, "ous"), j), index, issues);
    });
    rule.targets.accounts.forEach((id, j) => {
        if (index.accounts.has(id)) out.add(id);
        else unknownAccount(id, idx(at(base, "accounts"), j), index, issues);
    });
    if (rule.targets.accountTags) for (const id of selectByTags(index, rule.targets.accountTags)) out.add(id);
    rule.exclude.accounts.forEach((id, j) => {
        if (index.accounts.has(id)) out.delete(id);
        else unknownAccount(id, idx(at(at(base, "exclude"), "accounts"), j), index, issues);
    });
    rule.exclude.ous.forEach((ou, j) => {
        const list = index.recursive.get(ou);
        if (list) for (const id of list) out.delete(id);
        else unknownUnit(ou, idx(at(at(base, "exclude"), "ous"), j), index, issues);
    });
    return out;
}

/**
 * Expands assignment rules into grants: OUs recursively (or direct accounts only with `recursive: false`),
 * explicit accounts and tag selectors, minus exclusions (accounts, and OUs recursively). The management
 * account is skipped unless `allowManagementAccount`, and accounts that are not ACTIVE always (both noted).
 * Grants given by several rules are merged: a live grant's `expiresAt` is the latest expiry of its
 * unexpired rules, absent if any of them has none; grants whose every rule expired (`expiresAt <= now`)
 * go to `expired`. Throws a {@link ConfigError} naming `idfed:assignments[i].ous[j]` (j indexes the
 * normalized, sorted list) for ids not in the org, with the nearest OU or account suggested.
 */
export function expandGrants(
    model: Pick<StackModel, "assignments" | "allowManagementAccount">,
    org: OrgTree,
    now: Date,
    index: OrgIndex = indexOrg(org),
): Expansion {
    const issues = new Issues();
    const notes: string[] = [];
    // (group, permission set) → account id → accumulated grant: flat string keys, no per-grant key building.
    const pairs = new Map<string, Map<string, Acc>>();
    const nowT = now.getTime();
    const rules = [...model.assignments].sort((a, b) => a.index - b.index);
    for (const rule of rules) {
        const where = `\`${idx("idfed:assignments", rule.index)}\` (${rule.group} → ${rule.permissionSet})`;
        const targets = targetsOf(rule, index, issues);
        const expS = rule.expiresAt ?? "";
        const expT = rule.expiresAt === undefined ? Infinity : Date.parse(rule.expiresAt);
        const expired = expT <= nowT;
        const pairKey = `${rule.group}\0${rule.permissionSet}`;
        let byAccount = pairs.get(pairKey);
        if (byAccount === undefined) pairs.set(pairKey, (byAccount = new Map()));
        let count = 0;
        for (const id of targets) {
            const account = index.accounts.get(id);
            if (!account) continue;
            if (id === org.managementAccountId && !model.allowManagementAccount) {
                notes.push(
                    `${where}: management account ${id} (${account.name}) skipped; ` +
                        "set `idfed:allowManagementAccount: true` to allow it",
                );
                continue;
            }
            if (account.state !== undefined && account.state !== "ACTIVE") {
                // Only ACTIVE accounts take assignments (SUSPENDED, PENDING_ACTIVATION, PENDING_CLOSURE, CLOSED do not).
                notes.push(`${where}: account ${id} (${account.name}) is ${account.state}; skipped (only ACTIVE accounts are targets)`);
                continue;
            }
            count++;
            let acc = byAccount.get(id);
            if (acc === undefined) {
                acc = {
                    accountId: id,
                    groupKey: rule.group,
                    permissionSetKey: rule.permissionSet,
                    live: [],
                    liveOpen: false,
                    liveT: -Infinity,
                    liveS: "",
                    deadT: -Infinity,
                    deadS: "",
                };
                byAccount.set(id, acc);
            }
            if (expired) {
                (acc.dead ??= []).push(rule.index);
                if (expT > acc.deadT) {
                    acc.deadT = expT;
                    acc.deadS = expS;
                }
            } else {
                acc.live.push(rule.index);
                if (expT === Infinity) acc.liveOpen = true;
                else if (expT > acc.liveT) {
                    acc.liveT = expT;
                    acc.liveS = expS;
                }
            }
        }
        if (count === 0 && issues.count === 0) notes.push(`${where}: matches no account`);
        else if (expired && count > 0) notes.push(`${where}: expired at ${rule.expiresAt}; its grants are not created`);
    }
    if (issues.count > 0) throw new ConfigError(issues.list, "assignments for this organization");
    // Bucket by account (ids sorted once), filling each bucket in (group, permission set) order: NUL sorts
    // below every key character, so sorting the pair keys sorts by group, then permission set.
    const rank = new Map([...index.accounts.keys()].sort().map((id, i) => [id, i]));
    const buckets: Acc[][] = Array.from({ length: rank.size }, () => []);
    for (const pairKey of [...pairs.keys()].sort()) {
        for (const acc of (pairs.get(pairKey) as Map<string, Acc>).values()) buckets[rank.get(acc.accountId) as number].push(acc);
    }
    const grants: Grant[] = [];
    const expiredGrants: Grant[] = [];
    for (const bucket of buckets) {
        for (const a of bucket) {
            const live = a.live.length > 0;
            const g: { -readonly [K in keyof Grant]: Grant[K] } = {
                accountId: a.accountId,
                groupKey: a.groupKey,
                permissionSetKey: a.permissionSetKey,
                rules: live ? a.live : (a.dead ?? []),
            };
            if (live && !a.liveOpen) g.expiresAt = a.liveS;
            if (!live) g.expiresAt = a.deadS;
            (live ? grants : expiredGrants).push(g);
        }
    }
    return { grants, expired: expiredGrants, notes };
}
