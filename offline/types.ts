/**
 * The offline plan's data types, declared once: what the plan builds and prints (`--format json`), what the
 * access diff reads back from a saved plan and what the access review reads. Types only; the captured
 * resources and policy diagnostics are the pack runner's own declarations.
 */
import type { CapturedResource, Violation } from "idfed-policy-pack/runner";

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
}

/** The plan, as printed by `--format json`. */
export interface PlanResult {
    readonly stack: string;
    readonly environment: string;
    readonly resources: readonly PlanResource[];
    readonly access: readonly AccessRow[];
    readonly expired: readonly AccessRow[];
    readonly permissionSets: readonly PlanPermissionSet[];
    readonly groups: readonly { readonly key: string; readonly displayName: string }[];
    readonly violations: readonly PlanViolation[];
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
export type PlanJson = Pick<PlanResult, "stack" | "environment" | "access" | "expired" | "permissionSets" | "violations">;
