/**
 * The offline plan's data types, declared once: what the plan builds and prints (`--format json`), what the
 * access diff reads back from a saved plan and what the access review reads. Types only; the captured
 * resources and policy diagnostics are the pack runner's own declarations.
 */
import type { CapturedResource, Violation } from "idfed-policy-pack/runner";
import type { RolloutStage } from "../stacks/config/rollout";

export type { CapturedResource };

/** A policy verdict of the plan (the pack's diagnostic: policy, level, URN when resource-level, message). */
export type PlanViolation = Violation;

/** One row of the access matrix: group × permission set × account. */
export interface AccessRow {
    /** Group config key. */
    readonly group: string;
    readonly groupDisplayName: string;
    readonly accountId: string;
    readonly accountName: string;
    /** OU path of the account, e.g. `Workloads/Prod` (`Root` for accounts directly under the root). */
    readonly ouPath: string;
    /** Permission set config key. */
    readonly permissionSet: string;
    readonly permissionSetName: string;
    /** ISO-8601 instant after which the grant is removed, when time-bound. */
    readonly expiresAt?: string;
}

/** A customer-managed policy reference of a permission set. */
export interface PlanCustomerManagedPolicy {
    readonly name: string;
    readonly path: string;
}

/** A permission set as the plan reports it (for diffs and reviews). */
export interface PlanPermissionSet {
    /** Permission set config key. */
    readonly key: string;
    readonly name: string;
    /** ISO-8601 duration, e.g. `PT1H`. */
    readonly sessionDuration: string;
    readonly managedPolicyArns: readonly string[];
    readonly customerManagedPolicies: readonly PlanCustomerManagedPolicy[];
    /** Inline policy document, parsed. */
    readonly inlinePolicy?: unknown;
    /** Permissions boundary, as the plan prints it (compared structurally). */
    readonly permissionsBoundary?: unknown;
}

/** A registered resource as the plan lists it. */
export interface PlanResource {
    readonly urn: string;
    readonly type: string;
    readonly name: string;
    readonly parent: string | null;
    /** The inputs that would be sent, as `pulumi preview --json` shows them (secrets as "[secret]"). */
    readonly inputs: unknown;
}

/** An existing assignment no stack declares. */
export interface UnmanagedAssignment {
    accountId: string;
    accountName: string;
    ouPath: string;
    permissionSetArn: string;
    permissionSetName: string;
    principalType: "GROUP" | "USER";
    principalId: string;
    principalDisplayName: string;
    /** Why the permission set is admin-level (empty when it is not). */
    adminReasons: string[];
    /** The declared permission set key with this name, when the stack declares one (adoption uses it). */
    declaredPermissionSet?: string;
    /** The declared group key with this display name, when the stack declares one. */
    declaredGroup?: string;
    /** True when the stack declared this grant but it expired (the next update removes it if idfed made it). */
    expiredGrant?: boolean;
}

/** An existing permission set no stack declares. */
export interface UnmanagedPermissionSet {
    arn: string;
    name: string;
    adminReasons: string[];
    /** Assignments using it. */
    assignments: number;
}

/** A declared permission set that exists with different policies. */
export interface DriftedPermissionSet {
    key: string;
    name: string;
    arn: string;
    /** What differs, e.g. `managed policy arn:… exists but is not declared`. */
    differences: string[];
    /** Admin reasons of what exists, when the declared version is not admin-level but the existing one is. */
    adminReasons: string[];
}

/** The unmanaged-access report (plan JSON `unmanaged`). */
export interface UnmanagedReport {
    /** False when the org snapshot has no `identityCenter` section (nothing could be compared). */
    checked: boolean;
    assignments: UnmanagedAssignment[];
    permissionSets: UnmanagedPermissionSet[];
    drifted: DriftedPermissionSet[];
}

/** The plan, as printed by `--format json`. */
export interface PlanResult {
    readonly stack: string;
    readonly environment: string;
    /** Where the stack is in the first rollout and the next console step (absent for an assignments shard). */
    readonly rollout?: RolloutStage;
    readonly resources: readonly PlanResource[];
    readonly access: readonly AccessRow[];
    readonly expired: readonly AccessRow[];
    readonly permissionSets: readonly PlanPermissionSet[];
    readonly groups: readonly { readonly key: string; readonly displayName: string }[];
    readonly violations: readonly PlanViolation[];
    /** Access the org snapshot shows that the stack does not declare (`checked: false` without a snapshot). */
    readonly unmanaged: UnmanagedReport;
    readonly notes: readonly string[];
    readonly summary: {
        readonly resources: number;
        readonly resourcesByType: Readonly<Record<string, number>>;
        readonly grants: number;
        readonly expiredGrants: number;
        readonly violations: { readonly mandatory: number; readonly advisory: number; readonly remediate: number };
    };
}

/** The parts of a saved plan JSON that the access diff reads (older saved plans may lack the rest). */
export type PlanJson = Pick<PlanResult, "stack" | "environment" | "access" | "expired" | "permissionSets" | "violations"> & {
    /** Unmanaged assignments of the plan (empty for plans that predate them). */
    readonly unmanaged: readonly UnmanagedAssignment[];
};
