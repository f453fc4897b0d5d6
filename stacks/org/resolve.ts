/**
 * Resolves a validated stack model against the organization: expands assignment rules into grants, keeps
 * this shard's part, and checks every OU and account the config names (assignments, shard, guardrails).
 * One function for the program and the offline plan, so both reject the same configs with the same
 * messages, before any resource is registered.
 */
import { expandGrants } from "./expand";
import { ConfigError, ConfigIssue, Expansion, OrgTree, StackModel } from "../model";
import { checkGuardrailsAgainstOrg, selectShardGrants } from "./org-checks";

/** The grants of this stack; throws one {@link ConfigError} listing every reference the org does not have. */
export function resolveStack(model: StackModel, org: OrgTree, now: Date): Expansion {
    const issues: ConfigIssue[] = [];
    let expansion: Expansion | undefined;
    try {
        expansion = selectShardGrants(expandGrants(model, org, now), org, model.shard);
    } catch (err) {
        if (!(err instanceof ConfigError)) throw err;
        issues.push(...err.issues);
    }
    if (model.guardrails !== undefined && model.shard.role !== "assignments") {
        issues.push(...checkGuardrailsAgainstOrg(model.guardrails, org));
    }
    if (issues.length > 0 || expansion === undefined) throw new ConfigError(issues, "config (checked against the organization)");
    return expansion;
}
