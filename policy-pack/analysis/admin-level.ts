/**
 * The one definition of "admin-level" (a permission set that can grant itself anything: full admin,
 * privilege escalation, Identity Center takeover; the finding kinds of `ADMIN_KINDS`), used by the pack's
 * `admin-permission-sets` policy, the access review, the access diff and the who-can answers. AWS-managed
 * policies are judged by their real documents (managed-policies.ts), inline policies by the same analysis.
 */
import { analyzeIdentityPolicy } from "./identity";
import { judgeManagedPolicy } from "./managed-policies";
import { ADMIN_KINDS } from "./types";

/** What admin-level is decided from: a permission set's AWS-managed ARNs and its inline document. */
export interface AdminLevelInput {
    readonly managedPolicyArns: readonly string[];
    readonly inlinePolicy?: unknown;
}

/** Why a permission set is admin-level, one reason per policy that makes it so (empty when it is not). */
export function adminReasons(ps: AdminLevelInput): string[] {
    const out: string[] = [];
    for (const arn of ps.managedPolicyArns) {
        if (judgeManagedPolicy(arn).findings.some((f) => ADMIN_KINDS.has(f.kind)))
            out.push(`managed policy ${arn.slice(arn.indexOf(":policy/") + 8)}`);
    }
    if (ps.inlinePolicy !== undefined) {
        const r = analyzeIdentityPolicy(ps.inlinePolicy, "inline policy");
        const kinds = [...new Set(r.findings.filter((f) => ADMIN_KINDS.has(f.kind)).map((f) => f.kind))];
        if (kinds.length > 0) out.push(`inline policy (${kinds.join(", ")})`);
    }
    return out;
}
