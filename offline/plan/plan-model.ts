/**
 * The offline plan's result as data: what `--format json` prints and what the text and markdown renderers,
 * the access diff and the access review read. Built from a program run, the stack model and the org tree.
 */
import { Grant, OrgAccount, OrgTree, StackModel } from "../../stacks/model";
import { indexOrg, ROOT_PATH } from "../../stacks/org/org-index";
import type { AccessRow, CapturedResource, PlanPermissionSet, PlanResult, PlanViolation, UnmanagedReport } from "../types";
import type { RolloutStage } from "../../stacks/config/rollout";

/** Pulumi's marker of a secret value in serialized properties (`4dabf1…` = "sig", `1b4706…` = secret). */
const SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

/**
 * Inputs as `pulumi preview --json` shows them: plain data, every secret value replaced by `"[secret]"`,
 * unknown values (not known until apply) as `"[unknown]"`.
 */
export function displayInputs(value: unknown, depth = 0): unknown {
    if (depth > 64) return "[too deep]";
    if (Array.isArray(value)) return value.map((v) => displayInputs(v, depth + 1));
    if (value !== null && typeof value === "object") {
        const o = value as Record<string, unknown>;
        if (o[SIG_KEY] === SECRET_SIG) return "[secret]";
        const out: Record<string, unknown> = {};
        for (const k of Object.keys(o).sort()) {
            if (k === SIG_KEY) continue;
            Object.defineProperty(out, k, { value: displayInputs(o[k], depth + 1), enumerable: true, writable: true, configurable: true });
        }
        return out;
    }
    if (value === "04da6b54-80e4-46f7-96ec-b56ff0331ba9") return "[unknown]";
    return value;
}

export type { AccessRow, PlanPermissionSet, PlanResult, PlanViolation };

/** Account id → account with its OU path (`Workloads/Prod`; `Root` for accounts under the root): the one org index. */
export function accountIndex(org: OrgTree): Map<string, OrgAccount & { ouPath: string }> {
    const index = indexOrg(org);
    return new Map([...index.accounts].map(([id, a]) => [id, { ...a, ouPath: index.accountPaths.get(id) ?? ROOT_PATH }]));
}

/** Builds the plan data from a run. */
export function buildPlan(
    stack: string,
    model: StackModel,
    org: OrgTree,
    grants: readonly Grant[],
    expired: readonly Grant[],
    resources: readonly CapturedResource[],
    violations: PlanViolation[],
    notes: string[],
    rollout?: RolloutStage,
    unmanaged: UnmanagedReport = { checked: false, assignments: [], permissionSets: [], drifted: [] },
): PlanResult {
    const accounts = accountIndex(org);
    const groups = new Map(model.groups.map((g) => [g.key, g]));
    const sets = new Map(model.permissionSets.map((p) => [p.key, p]));
    const row = (g: Grant): AccessRow => {
        const a = accounts.get(g.accountId);
        return {
            group: g.groupKey,
            groupDisplayName: groups.get(g.groupKey)?.displayName ?? g.groupKey,
            accountId: g.accountId,
            accountName: a?.name ?? g.accountId,
            ouPath: a?.ouPath ?? "?",
            permissionSet: g.permissionSetKey,
            permissionSetName: sets.get(g.permissionSetKey)?.name ?? g.permissionSetKey,
            ...(g.expiresAt !== undefined ? { expiresAt: g.expiresAt } : {}),
        };
    };
    const byType: Record<string, number> = {};
    for (const r of resources) byType[r.type] = (byType[r.type] ?? 0) + 1;
    const count = (l: PlanViolation["level"]) => violations.filter((v) => v.level === l).length;
    return {
        stack,
        environment: model.environment,
        resources: resources.map((r) => ({
            urn: r.urn,
            type: r.type,
            name: r.name,
            parent: r.parent ?? null,
            inputs: displayInputs(r.props),
        })),
        ...(rollout !== undefined ? { rollout } : {}),
        access: grants.map(row),
        expired: expired.map(row),
        permissionSets: model.permissionSets.map((p) => {
            const out: PlanPermissionSet = {
                key: p.key,
                name: p.name,
                sessionDuration: p.sessionDuration,
                managedPolicyArns: [...p.managedPolicyArns],
                customerManagedPolicies: p.customerManagedPolicies.map((c) => ({ name: c.name, path: c.path })),
                ...(p.inlinePolicy !== undefined ? { inlinePolicy: p.inlinePolicy } : {}),
                ...(p.permissionsBoundary !== undefined ? { permissionsBoundary: p.permissionsBoundary } : {}),
            };
            return out;
        }),
        groups: model.groups.map((g) => ({ key: g.key, displayName: g.displayName })),
        violations,
        unmanaged,
        notes,
        summary: {
            resources: resources.length,
            resourcesByType: byType,
            grants: grants.length,
            expiredGrants: expired.length,
            violations: { mandatory: count("mandatory"), advisory: count("advisory"), remediate: count("remediate") },
        },
    };
}
