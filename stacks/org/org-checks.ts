/**
 * What the organization must hold for a stack's config: the OUs and accounts its shard and guardrails name.
 * Checks over the one org index; problems are structured issues (key path + message), never prose.
 */
import { ConfigError, ConfigIssue, Expansion, Grant, GuardrailsModel, OrgTree, ShardModel } from "../model";
import { OrgIndex, indexOrg } from "./org-index";

/**
 * Checks the enabled guardrails against the organization: target OUs exist, accounts are members.
 * Returns one issue per unknown reference.
 */
export function checkGuardrailsAgainstOrg(g: GuardrailsModel, org: OrgTree, path = "idfed:guardrails"): ConfigIssue[] {
    const index: OrgIndex = indexOrg(org);
    const out: ConfigIssue[] = [];
    const ou = (id: string, p: string) => {
        if (id !== org.root && !index.units.has(id))
            out.push({ path: p, message: `\`${p}\`: \`${id}\` is not an OU of the organization (root ${org.root})` });
    };
    const acct = (id: string, p: string) => {
        if (!index.accounts.has(id)) out.push({ path: p, message: `\`${p}\`: \`${id}\` is not an account of the organization` });
    };
    if (g.rootLockdown?.enabled) g.rootLockdown.targets.forEach((t, i) => ou(t, `${path}.rootLockdown.targets[${i}]`));
    if (g.samlStackSets?.enabled) g.samlStackSets.targets.forEach((t, i) => ou(t, `${path}.samlStackSets.targets[${i}]`));
    if (g.breakGlass?.enabled) acct(g.breakGlass.accountId, `${path}.breakGlass.accountId`);
    if (g.iamUsers?.enabled && g.iamUsers.accountId !== undefined) acct(g.iamUsers.accountId, `${path}.iamUsers.accountId`);
    if (g.crossAccountRoles?.enabled) {
        for (const r of g.crossAccountRoles.roles) acct(r.targetAccountId, `${path}.crossAccountRoles.roles.${r.key}.targetAccountId`);
    }
    return out;
}

/**
 * Keeps the grants (live and expired) whose account the shard owns. Throws a {@link ConfigError} when a
 * shard OU or account is not in the organization.
 */
export function selectShardGrants(expansion: Expansion, org: OrgTree, shard: ShardModel): Expansion {
    if (shard.role === "single") return expansion;
    if (shard.role === "shared")
        return { grants: [], expired: [], notes: [...expansion.notes, "shared stack: account assignments live in the assignment shards"] };
    const index = indexOrg(org);
    const owned = new Set<string>(shard.accounts);
    const problems: { path: string; message: string }[] = [];
    shard.ous.forEach((ou, i) => {
        const accounts = ou === org.root ? [...index.accounts.keys()] : index.recursive.get(ou);
        if (accounts === undefined || (ou !== org.root && !index.units.has(ou))) {
            problems.push({
                path: `idfed:shard.ous[${i}]`,
                message: `\`idfed:shard.ous[${i}]\`: \`${ou}\` is not an OU of the organization (root ${org.root})`,
            });
        } else {
            for (const a of accounts) owned.add(a);
        }
    });
    // Every owned account must be in the organization: an unknown id would leave that account's grants to no shard.
    shard.accounts.forEach((id, i) => {
        if (!index.accounts.has(id)) {
            problems.push({
                path: `idfed:shard.accounts[${i}]`,
                message:
                    `\`idfed:shard.accounts[${i}]\`: account \`${id}\` is not in ` +
                    "the organization; check the id in AWS Organizations (a shard must own real accounts, or their grants belong to no shard)",
            });
        }
    });
    if (problems.length > 0) throw new ConfigError(problems, "shard");
    const mine = (g: Grant) => owned.has(g.accountId);
    return {
        grants: expansion.grants.filter(mine),
        expired: expansion.expired.filter(mine),
        notes: [
            ...expansion.notes,
            `assignments shard: ${owned.size} accounts owned; groups and permission sets from stack ${shard.sharedStack}`,
        ],
    };
}
