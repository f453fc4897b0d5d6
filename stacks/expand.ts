/**
 * Expansion of assignment rules over the org tree into grants (account × group × permission set). Pure
 * and deterministic; the org is indexed once, so the cost is O(accounts × OU depth + grants).
 */
import { AssignmentRule, ConfigError, Expansion, Grant, OrgAccount, OrgTree, StackModel } from "./model";
import { allAccounts, allOus } from "./org";
import { compareStrings, didYouMean, idx, Issues, at, show } from "./validate";

/** Stable identity of a grant: `${accountId}/${groupKey}/${permissionSetKey}`. */
export function grantKey(g: Pick<Grant, "accountId" | "groupKey" | "permissionSetKey">): string {
    return `${g.accountId}/${g.groupKey}/${g.permissionSetKey}`;
}

/** Lookups over an org tree, built once by {@link indexOrg}. */
export interface OrgIndex {
    /** Accounts by id. */
    readonly accounts: ReadonlyMap<string, OrgAccount>;
    /** OU (and root) ids to their name path (`Workloads/Prod`; `(root)` for the root). */
    readonly unitPaths: ReadonlyMap<string, string>;
    /** OU (and root) ids to the ids of their direct accounts. */
    readonly direct: ReadonlyMap<string, readonly string[]>;
    /** OU (and root) ids to the ids of every account below them. */
    readonly recursive: ReadonlyMap<string, readonly string[]>;
    /** Tag key → tag value → account ids; the `*` value lists every account that has the key. */
    readonly tags: ReadonlyMap<string, ReadonlyMap<string, readonly string[]>>;
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
    const list = m.get(k);
    if (list) list.push(v);
    else m.set(k, [v]);
}

/** Indexes the tree: one walk, then per-unit account lists (direct and recursive) and a tag index. */
export function indexOrg(tree: OrgTree): OrgIndex {
    const accounts = new Map<string, OrgAccount>();
    const direct = new Map<string, string[]>([[tree.root, []]]);
    const recursive = new Map<string, string[]>([[tree.root, []]]);
    const unitPaths = new Map<string, string>([[tree.root, "(root)"]]);
    const tags = new Map<string, Map<string, string[]>>();
    const ouIds = new Map<string, string[]>(); // ou → ancestor chain incl. itself and root
    ouIds.set(tree.root, [tree.root]);
    const setChain = (ous: readonly OrgTree["ous"][number][], chain: string[]): void => {
        for (const u of ous) {
            const c = [...chain, u.id];
            ouIds.set(u.id, c);
            setChain(u.ous, c);
        }
    };
    setChain(tree.ous, [tree.root]);
    for (const { ou, path } of allOus(tree)) {
        unitPaths.set(ou.id, path);
        direct.set(ou.id, []);
        recursive.set(ou.id, []);
    }
    for (const { account, parentId } of allAccounts(tree)) {
        accounts.set(account.id, account);
        push(direct, parentId, account.id);
        for (const a of ouIds.get(parentId) ?? [tree.root]) push(recursive, a, account.id);
        for (const k of Object.keys(account.tags)) {
            let byValue = tags.get(k);
            if (!byValue) tags.set(k, (byValue = new Map()));
            push(byValue, account.tags[k], account.id);
            if (account.tags[k] !== "*") push(byValue, "*", account.id);
        }
    }
    return { accounts, unitPaths, direct, recursive, tags };
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

function unknownUnit(id: string, path: string, index: OrgIndex, issues: Issues): void {
    const near = didYouMean(id, index.unitPaths.keys());
    issues.add(path, `OU ${show(id)} is not in the organization` + (near
        ? `; did you mean \`${near}\` (${index.unitPaths.get(near)})?`
        : `; known OUs: ${[...index.unitPaths].slice(0, 12).map(([k, p]) => `\`${k}\` (${p})`).join(", ")}`));
}

function unknownAccount(id: string, path: string, index: OrgIndex, issues: Issues): void {
    const near = didYouMean(id, index.accounts.keys());
    issues.add(path, `account ${show(id)} is not in the organization` +
        (near ? `; did you mean \`${near}\` (${index.accounts.get(near)?.name})?` : ""));
}

interface Acc {
    readonly accountId: string;
    readonly groupKey: string;
    readonly permissionSetKey: string;
    readonly live: number[];
    liveOpen: boolean;
    liveMax?: { t: number; s: string };
    readonly dead: number[];
    deadMax?: { t: number; s: string };
}

function later(cur: { t: number; s: string } | undefined, s: string, t: number): { t: number; s: string } {
    return cur && cur.t >= t ? cur : { t, s };
}

/** The accounts one rule targets (before the management/suspended filters), or records unknown ids. */
function targetsOf(rule: AssignmentRule, index: OrgIndex, issues: Issues): Set<string> {
    const base = idx("idfed:assignments", rule.index);
    const out = new Set<string>();
    const units = rule.targets.recursive ? index.recursive : index.direct;
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
 * account is skipped unless `allowManagementAccount`, and `SUSPENDED` accounts always (both noted).
 * Grants given by several rules are merged: a live grant's `expiresAt` is the latest expiry of its
 * unexpired rules, absent if any of them has none; grants whose every rule expired (`expiresAt <= now`)
 * go to `expired`. Throws a {@link ConfigError} naming `idfed:assignments[i].ous[j]` (j indexes the
 * normalized, sorted list) for ids not in the org, with the nearest OU or account suggested.
 */
export function expandGrants(model: Pick<StackModel, "assignments" | "allowManagementAccount">, org: OrgTree,
    now: Date, index: OrgIndex = indexOrg(org)): Expansion {
    const issues = new Issues();
    const notes: string[] = [];
    const accs = new Map<string, Acc>();
    const nowT = now.getTime();
    const rules = [...model.assignments].sort((a, b) => a.index - b.index);
    for (const rule of rules) {
        const where = `\`${idx("idfed:assignments", rule.index)}\` (${rule.group} → ${rule.permissionSet})`;
        const targets = targetsOf(rule, index, issues);
        const expT = rule.expiresAt === undefined ? undefined : Date.parse(rule.expiresAt);
        const expired = expT !== undefined && expT <= nowT;
        let count = 0;
        for (const id of [...targets].sort(compareStrings)) {
            const account = index.accounts.get(id);
            if (!account) continue;
            if (id === org.managementAccountId && !model.allowManagementAccount) {
                notes.push(`${where}: management account ${id} (${account.name}) skipped; ` +
                    "set `idfed:allowManagementAccount: true` to allow it");
                continue;
            }
            if (account.status === "SUSPENDED") {
                notes.push(`${where}: account ${id} (${account.name}) is SUSPENDED; skipped`);
                continue;
            }
            count++;
            const key = `${id}/${rule.group}/${rule.permissionSet}`;
            let acc = accs.get(key);
            if (!acc) {
                acc = { accountId: id, groupKey: rule.group, permissionSetKey: rule.permissionSet, live: [], liveOpen: false, dead: [] };
                accs.set(key, acc);
            }
            if (expired) {
                acc.dead.push(rule.index);
                acc.deadMax = later(acc.deadMax, rule.expiresAt as string, expT as number);
            } else {
                acc.live.push(rule.index);
                if (expT === undefined) acc.liveOpen = true;
                else acc.liveMax = later(acc.liveMax, rule.expiresAt as string, expT);
            }
        }
        if (count === 0 && issues.count === 0) notes.push(`${where}: matches no account`);
        else if (expired && count > 0) notes.push(`${where}: expired at ${rule.expiresAt}; its grants are not created`);
    }
    if (issues.count > 0) throw new ConfigError(issues.list, "assignments for this organization");
    const grants: Grant[] = [];
    const expiredGrants: Grant[] = [];
    for (const a of accs.values()) {
        const base = { accountId: a.accountId, groupKey: a.groupKey, permissionSetKey: a.permissionSetKey };
        if (a.live.length > 0) {
            grants.push({ ...base, ...(!a.liveOpen && a.liveMax ? { expiresAt: a.liveMax.s } : {}), rules: a.live });
        } else {
            expiredGrants.push({ ...base, ...(a.deadMax ? { expiresAt: a.deadMax.s } : {}), rules: a.dead });
        }
    }
    const order = (x: Grant, y: Grant): number => compareStrings(x.accountId, y.accountId) ||
        compareStrings(x.groupKey, y.groupKey) || compareStrings(x.permissionSetKey, y.permissionSetKey);
    return { grants: grants.sort(order), expired: expiredGrants.sort(order), notes };
}
