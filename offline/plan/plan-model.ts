/**
 * The offline plan's result as data: what `--format json` prints and what the text and markdown renderers,
 * the access diff and the access review read. Built from a program run, the stack model and the org tree.
 */
import { Grant, OrgAccount, OrgTree, OrgUnit, StackModel } from "../../stacks/model/index";
import { CapturedResource } from "./run-program";

/** A policy verdict. */
export interface PlanViolation {
    policy: string;
    level: "advisory" | "mandatory" | "remediate" | "disabled";
    urn?: string;
    message: string;
}

/** One row of the access matrix. */
export interface AccessRow {
    group: string;
    groupDisplayName: string;
    accountId: string;
    accountName: string;
    ouPath: string;
    permissionSet: string;
    permissionSetName: string;
    expiresAt?: string;
}

/** A permission set as the plan reports it (for diffs and reviews). */
export interface PlanPermissionSet {
    key: string;
    name: string;
    sessionDuration: string;
    managedPolicyArns: string[];
    customerManagedPolicies: { name: string; path: string }[];
    inlinePolicy?: unknown;
    permissionsBoundary?: unknown;
}

/** The plan, as printed by `--format json`. */
export interface PlanResult {
    stack: string;
    environment: string;
    resources: { urn: string; type: string; name: string; parent: string | null }[];
    access: AccessRow[];
    expired: AccessRow[];
    permissionSets: PlanPermissionSet[];
    groups: { key: string; displayName: string }[];
    violations: PlanViolation[];
    notes: string[];
    summary: {
        resources: number;
        resourcesByType: Record<string, number>;
        grants: number;
        expiredGrants: number;
        violations: { mandatory: number; advisory: number; remediate: number };
    };
}

/** Account id → account with its OU path (`Workloads/Prod`; root accounts have path `Root`). */
export function accountIndex(org: OrgTree): Map<string, OrgAccount & { ouPath: string }> {
    const out = new Map<string, OrgAccount & { ouPath: string }>();
    for (const a of org.accounts) out.set(a.id, { ...a, ouPath: "Root" });
    const walk = (ous: readonly OrgUnit[], prefix: string) => {
        for (const ou of ous) {
            const path = prefix === "" ? ou.name : `${prefix}/${ou.name}`;
            for (const a of ou.accounts) out.set(a.id, { ...a, ouPath: path });
            walk(ou.ous, path);
        }
    };
    walk(org.ous, "");
    return out;
}

/** Builds the plan data from a run. */
export function buildPlan(stack: string, model: StackModel, org: OrgTree, grants: readonly Grant[], expired: readonly Grant[],
    resources: readonly CapturedResource[], violations: PlanViolation[], notes: string[]): PlanResult {
    const accounts = accountIndex(org);
    const groups = new Map(model.groups.map((g) => [g.key, g]));
    const sets = new Map(model.permissionSets.map((p) => [p.key, p]));
    const row = (g: Grant): AccessRow => {
        const a = accounts.get(g.accountId);
        const r: AccessRow = {
            group: g.groupKey, groupDisplayName: groups.get(g.groupKey)?.displayName ?? g.groupKey,
            accountId: g.accountId, accountName: a?.name ?? g.accountId, ouPath: a?.ouPath ?? "?",
            permissionSet: g.permissionSetKey, permissionSetName: sets.get(g.permissionSetKey)?.name ?? g.permissionSetKey,
        };
        if (g.expiresAt !== undefined) r.expiresAt = g.expiresAt;
        return r;
    };
    const byType: Record<string, number> = {};
    for (const r of resources) byType[r.type] = (byType[r.type] ?? 0) + 1;
    const count = (l: PlanViolation["level"]) => violations.filter((v) => v.level === l).length;
    return {
        stack,
        environment: model.environment,
        resources: resources.map((r) => ({ urn: r.urn, type: r.type, name: r.name, parent: r.parent ?? null })),
        access: grants.map(row),
        expired: expired.map(row),
        permissionSets: model.permissionSets.map((p) => {
            const out: PlanPermissionSet = {
                key: p.key, name: p.name, sessionDuration: p.sessionDuration,
                managedPolicyArns: [...p.managedPolicyArns],
                customerManagedPolicies: p.customerManagedPolicies.map((c) => ({ name: c.name, path: c.path })),
            };
            if (p.inlinePolicy !== undefined) out.inlinePolicy = p.inlinePolicy;
            if (p.permissionsBoundary !== undefined) out.permissionsBoundary = p.permissionsBoundary;
            return out;
        }),
        groups: model.groups.map((g) => ({ key: g.key, displayName: g.displayName })),
        violations,
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
