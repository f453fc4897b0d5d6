/**
 * The one index of an organization tree: every walk of the tree (OU paths, accounts by parent, recursive
 * membership, tags) happens here, once per tree (cached), whichever way the tree was built (fixture or
 * Organizations invokes). Pure.
 */
import { OrgAccount, OrgTree, OrgUnit } from "../model";
import { compareStrings } from "../input/validate";

/** The OU path of the organization root: accounts directly under the root are listed under it. */
export const ROOT_PATH = "Root";

const CACHE = new WeakMap<OrgTree, OrgIndex>();

/** An account with where it sits in the tree. */
export interface LocatedAccount {
    readonly account: OrgAccount;
    /** Id of the OU (or root) that directly holds the account. */
    readonly parentId: string;
    /** OU names from the root, joined with `/` (e.g. `Workloads/Prod`); {@link ROOT_PATH} for accounts under the root. */
    readonly ouPath: string;
}

/** Lookups over an org tree, built once by {@link indexOrg}. */
export interface OrgIndex {
    /** Accounts by id. */
    readonly accounts: ReadonlyMap<string, OrgAccount>;
    /** OU (and root) ids to their name path (`Workloads/Prod`; {@link ROOT_PATH} for the root). */
    readonly unitPaths: ReadonlyMap<string, string>;
    /** OUs by id (the root is not an OU). */
    readonly units: ReadonlyMap<string, OrgUnit>;
    /** Account id → id of the OU (or root) that directly holds it. */
    readonly parents: ReadonlyMap<string, string>;
    /** Account id → OU path of its parent ({@link ROOT_PATH} for accounts under the root). */
    readonly accountPaths: ReadonlyMap<string, string>;
    /** OU (and root) ids to the ids of their direct accounts. */
    readonly direct: ReadonlyMap<string, readonly string[]>;
    /** OU (and root) ids to the ids of every account below them. */
    readonly recursive: ReadonlyMap<string, readonly string[]>;
    /** Tag key → tag value → account ids; the `*` value lists every account that has the key. */
    readonly tags: ReadonlyMap<string, ReadonlyMap<string, readonly string[]>>;
    /** OU (and root) ids to their ancestry from the root, itself last (`[r-…, ou-a, ou-b]`): where SCPs apply. */
    readonly chains: ReadonlyMap<string, readonly string[]>;
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
    const list = m.get(k);
    if (list) list.push(v);
    else m.set(k, [v]);
}

/** Indexes the tree: one walk, then per-unit account lists (direct and recursive) and a tag index. */
export function indexOrg(tree: OrgTree): OrgIndex {
    const cached = CACHE.get(tree);
    if (cached !== undefined) return cached;
    const accounts = new Map<string, OrgAccount>();
    const direct = new Map<string, string[]>([[tree.root, []]]);
    const recursive = new Map<string, string[]>([[tree.root, []]]);
    const unitPaths = new Map<string, string>([[tree.root, ROOT_PATH]]);
    const units = new Map<string, OrgUnit>();
    const parents = new Map<string, string>();
    const accountPaths = new Map<string, string>();
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
        units.set(ou.id, ou);
        direct.set(ou.id, []);
        recursive.set(ou.id, []);
    }
    for (const { account, parentId, ouPath } of allAccounts(tree)) {
        accounts.set(account.id, account);
        parents.set(account.id, parentId);
        accountPaths.set(account.id, ouPath);
        push(direct, parentId, account.id);
        for (const a of ouIds.get(parentId) ?? [tree.root]) push(recursive, a, account.id);
        for (const k of Object.keys(account.tags)) {
            let byValue = tags.get(k);
            if (!byValue) tags.set(k, (byValue = new Map()));
            push(byValue, account.tags[k], account.id);
            if (account.tags[k] !== "*") push(byValue, "*", account.id);
        }
    }
    const index: OrgIndex = { accounts, unitPaths, units, parents, accountPaths, direct, recursive, tags, chains: ouIds };
    CACHE.set(tree, index);
    return index;
}

/** The OU with id `ouId` anywhere in the tree, or undefined. */
export function findOu(tree: OrgTree, ouId: string): OrgUnit | undefined {
    const stack = [...tree.ous];
    for (let u = stack.pop(); u; u = stack.pop()) {
        if (u.id === ouId) return u;
        stack.push(...u.ous);
    }
    return undefined;
}

function collect(
    u: { readonly accounts: readonly OrgAccount[]; readonly ous: readonly OrgUnit[] },
    recursive: boolean,
    out: OrgAccount[],
): void {
    out.push(...u.accounts);
    if (recursive) for (const c of u.ous) collect(c, true, out);
}

/**
 * Accounts under an OU (or the root id), sorted by id: its direct accounts, plus every nested OU's
 * when `recursive`. Undefined when the id is not in the tree.
 */
export function accountsUnder(tree: OrgTree, ouId: string, recursive: boolean): OrgAccount[] | undefined {
    const unit = ouId === tree.root ? tree : findOu(tree, ouId);
    if (!unit) return undefined;
    const out: OrgAccount[] = [];
    collect(unit, recursive, out);
    return out.sort((a, b) => compareStrings(a.id, b.id));
}

/** Every account in the tree with its parent id and OU path, in tree order (root accounts first). */
export function allAccounts(tree: OrgTree): LocatedAccount[] {
    const out: LocatedAccount[] = tree.accounts.map((account) => ({ account, parentId: tree.root, ouPath: ROOT_PATH }));
    const walk = (u: OrgUnit, prefix: string): void => {
        const ouPath = prefix ? `${prefix}/${u.name}` : u.name;
        for (const account of u.accounts) out.push({ account, parentId: u.id, ouPath });
        for (const c of u.ous) walk(c, ouPath);
    };
    for (const u of tree.ous) walk(u, "");
    return out;
}

/** Every OU in the tree with its path of names (e.g. `Workloads/Prod`), in tree order. */
export function allOus(tree: OrgTree): { readonly ou: OrgUnit; readonly path: string }[] {
    const out: { ou: OrgUnit; path: string }[] = [];
    const walk = (u: OrgUnit, prefix: string): void => {
        const path = prefix ? `${prefix}/${u.name}` : u.name;
        out.push({ ou: u, path });
        for (const c of u.ous) walk(c, path);
    };
    for (const u of tree.ous) walk(u, "");
    return out;
}
