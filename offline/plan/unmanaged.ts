/**
 * Unmanaged access: what the org snapshot says exists in Identity Center that the stack does not declare
 * (permission sets and account assignments made by hand or by an older tool), and declared permission sets
 * that exist with different policies. Matching: a permission set by name (case-insensitive, as Identity
 * Center compares them); an assignment by (account, permission set name, group display name) for groups.
 * Users are never declared by idfed, so every user assignment is unmanaged. Pure.
 *
 * The verdict `unmanaged-admin-access` (mandatory in prod, advisory elsewhere) is a plan-level check: the
 * policy pack only sees registered resources, so the plan (which CI runs against the exported snapshot
 * before `pulumi preview`) is where it is enforced; see README "Unmanaged access".
 */
import type { OrgTree } from "../../stacks/model/index";
import type { SnapshotPermissionSet } from "../../stacks/model/snapshot";
import { stablePolicyJson } from "../../stacks/documents/policy-json";
import { adminReasons } from "idfed-policy-pack/analysis/admin-level";
import type {
    AccessRow,
    DriftedPermissionSet,
    PlanPermissionSet,
    PlanViolation,
    UnmanagedAssignment,
    UnmanagedPermissionSet,
    UnmanagedReport,
} from "../types";

export type { DriftedPermissionSet, UnmanagedAssignment, UnmanagedPermissionSet, UnmanagedReport };

/** What the report is computed from: the stack's declarations as the plan reports them. */
export interface Declared {
    environment: string;
    permissionSets: readonly PlanPermissionSet[];
    groups: readonly { key: string; displayName: string }[];
    access: readonly AccessRow[];
    expired: readonly AccessRow[];
}

const lc = (s: string) => s.toLowerCase();

/** The boundary of a declared permission set in the snapshot's shape (the model's shape differs). */
function declaredBoundary(b: unknown): unknown {
    if (!b || typeof b !== "object") return undefined;
    const o = b as Record<string, unknown>;
    if (o.kind === "managed") return { managedPolicyArn: o.managedPolicyArn };
    if (o.kind === "customerManaged" && o.policy && typeof o.policy === "object") {
        const p = o.policy as Record<string, unknown>;
        return { customerManagedPolicy: { name: p.name, path: p.path } };
    }
    return b;
}

/** Differences between a declared permission set and the one that exists with its name. */
export function permissionSetDifferences(d: PlanPermissionSet, e: SnapshotPermissionSet): string[] {
    const out: string[] = [];
    const setDiff = (what: string, declared: readonly string[], existing: readonly string[]) => {
        const ds = new Set(declared),
            es = new Set(existing);
        for (const x of [...es].filter((x) => !ds.has(x)).sort()) out.push(`${what} ${x} exists but is not declared`);
        for (const x of [...ds].filter((x) => !es.has(x)).sort()) out.push(`${what} ${x} is declared but not attached`);
    };
    setDiff("managed policy", d.managedPolicyArns, e.managedPolicies);
    setDiff(
        "customer-managed policy",
        d.customerManagedPolicies.map((c) => `${c.path}${c.name}`),
        e.customerManagedPolicies.map((c) => `${c.path}${c.name}`),
    );
    if (stablePolicyJson(d.inlinePolicy ?? null) !== stablePolicyJson(e.inlinePolicy ?? null)) {
        out.push(
            e.inlinePolicy === undefined
                ? "inline policy is declared but none exists"
                : d.inlinePolicy === undefined
                  ? "an inline policy exists but none is declared"
                  : "inline policy differs from the declared one",
        );
    }
    if (stablePolicyJson(declaredBoundary(d.permissionsBoundary) ?? null) !== stablePolicyJson(e.permissionsBoundary ?? null))
        out.push("permissions boundary differs");
    if (e.sessionDuration !== undefined && e.sessionDuration !== d.sessionDuration)
        out.push(`session duration ${e.sessionDuration} (declared ${d.sessionDuration})`);
    return out;
}

/** Admin reasons of an existing permission set (the one definition: `admin-level.ts`). */
export function existingAdminReasons(e: SnapshotPermissionSet): string[] {
    return adminReasons({
        managedPolicyArns: e.managedPolicies,
        ...(e.inlinePolicy !== undefined ? { inlinePolicy: e.inlinePolicy } : {}),
    });
}

/** Compares the stack's declarations with what the snapshot says exists. */
export function findUnmanaged(
    declared: Declared,
    org: OrgTree,
    accounts: ReadonlyMap<string, { name: string; ouPath: string }>,
): UnmanagedReport {
    const ic = org.snapshot?.identityCenter;
    if (!ic) return { checked: false, assignments: [], permissionSets: [], drifted: [] };
    const declaredByName = new Map(declared.permissionSets.map((p) => [lc(p.name), p]));
    const groupsByName = new Map(declared.groups.map((g) => [lc(g.displayName), g.key]));
    const grantKey = (acct: string, psName: string, group: string) => `${acct}\u0000${lc(psName)}\u0000${lc(group)}`;
    const live = new Set(declared.access.map((r) => grantKey(r.accountId, r.permissionSetName, r.groupDisplayName)));
    const expired = new Set(declared.expired.map((r) => grantKey(r.accountId, r.permissionSetName, r.groupDisplayName)));
    const existing = new Map(ic.permissionSets.map((p) => [p.arn, p]));
    const reasons = new Map(ic.permissionSets.map((p) => [p.arn, existingAdminReasons(p)]));

    const assignments: UnmanagedAssignment[] = [];
    const uses = new Map<string, number>();
    for (const a of ic.assignments) {
        const ps = existing.get(a.permissionSetArn);
        if (!ps) continue;
        uses.set(ps.arn, (uses.get(ps.arn) ?? 0) + 1);
        const name = a.principalDisplayName ?? a.principalId;
        const key = grantKey(a.accountId, ps.name, name);
        if (a.principalType === "GROUP" && a.principalDisplayName !== undefined && live.has(key)) continue;
        const acct = accounts.get(a.accountId);
        const declaredPs = declaredByName.get(lc(ps.name));
        const declaredGroup =
            a.principalType === "GROUP" && a.principalDisplayName !== undefined ? groupsByName.get(lc(a.principalDisplayName)) : undefined;
        assignments.push({
            accountId: a.accountId,
            accountName: acct?.name ?? a.accountId,
            ouPath: acct?.ouPath ?? "?",
            permissionSetArn: ps.arn,
            permissionSetName: ps.name,
            principalType: a.principalType,
            principalId: a.principalId,
            principalDisplayName: name,
            adminReasons: reasons.get(ps.arn) ?? [],
            ...(declaredPs ? { declaredPermissionSet: declaredPs.key } : {}),
            ...(declaredGroup ? { declaredGroup } : {}),
            ...(a.principalType === "GROUP" && expired.has(key) ? { expiredGrant: true } : {}),
        });
    }
    const permissionSets: UnmanagedPermissionSet[] = [];
    const drifted: DriftedPermissionSet[] = [];
    for (const e of ic.permissionSets) {
        const d = declaredByName.get(lc(e.name));
        if (!d) {
            permissionSets.push({ arn: e.arn, name: e.name, adminReasons: reasons.get(e.arn) ?? [], assignments: uses.get(e.arn) ?? 0 });
            continue;
        }
        const differences = permissionSetDifferences(d, e);
        if (differences.length === 0) continue;
        const declaredAdmin = adminReasons(d).length > 0;
        drifted.push({ key: d.key, name: d.name, arn: e.arn, differences, adminReasons: declaredAdmin ? [] : (reasons.get(e.arn) ?? []) });
    }
    const byAcct = (x: UnmanagedAssignment, y: UnmanagedAssignment) =>
        (x.accountId < y.accountId ? -1 : x.accountId > y.accountId ? 1 : 0) ||
        (x.permissionSetName < y.permissionSetName ? -1 : x.permissionSetName > y.permissionSetName ? 1 : 0) ||
        (x.principalDisplayName < y.principalDisplayName ? -1 : x.principalDisplayName > y.principalDisplayName ? 1 : 0);
    return {
        checked: true,
        assignments: assignments.sort(byAcct),
        permissionSets: permissionSets.sort((a, b) => (a.name < b.name ? -1 : 1)),
        drifted,
    };
}

/** Policy name of the plan-level check. */
export const UNMANAGED_ADMIN_POLICY = "unmanaged-admin-access";

/**
 * Verdicts for unmanaged admin-level access: mandatory in prod, advisory elsewhere. One per assignment (and
 * one per drifted permission set whose existing version is admin-level while the declared one is not).
 */
export function unmanagedViolations(r: UnmanagedReport, environment: string): PlanViolation[] {
    const level: PlanViolation["level"] = environment === "prod" ? "mandatory" : "advisory";
    const out: PlanViolation[] = [];
    for (const a of r.assignments) {
        if (a.adminReasons.length === 0) continue;
        out.push({
            policy: UNMANAGED_ADMIN_POLICY,
            level,
            message:
                `${a.principalType === "USER" ? "user" : "group"} ${a.principalDisplayName} holds admin-level ${a.permissionSetName} ` +
                `(${a.adminReasons.join("; ")}) in ${a.accountName} ${a.accountId}, and no stack declares it. Remove the assignment in ` +
                "Identity Center, or declare it and adopt it (`npm run adopt`, then `pulumi import --file`).",
        });
    }
    for (const d of r.drifted) {
        if (d.adminReasons.length === 0) continue;
        out.push({
            policy: UNMANAGED_ADMIN_POLICY,
            level,
            message:
                `permission set ${d.name} (\`${d.key}\`) exists with admin-level policies the stack does not declare ` +
                `(${d.adminReasons.join("; ")}): ${d.differences.join("; ")}. The next update resets it to the declared policies.`,
        });
    }
    return out;
}
