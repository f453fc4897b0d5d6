/**
 * One definition of "admin-level" for the offline tools (access review, access diff), decided by the
 * policy pack's own analysis (`policy-pack/analysis/`) so the pack, the review and the diff agree. AWS-managed
 * policies are judged from their documents in the pack's data set; a short list of names is kept as a floor.
 */
import { judgeManagedPolicy } from "idfed-policy-pack/analysis/managed-policies";
import { analyzeIdentityPolicy } from "idfed-policy-pack/analysis/identity";

/** AWS-managed policies always admin-level (each is also admin-level by its document in the data set). */
export const ADMIN_POLICY_NAMES: readonly string[] = [
    "AdministratorAccess", "IAMFullAccess", "AWSOrganizationsFullAccess", "AWSSSOMasterAccountAdministrator",
    "AWSSSOMemberAccountAdministrator", "AWSSSODirectoryAdministrator",
];

/** Why a permission set is admin-level (empty when it is not). */
export function adminReasons(ps: { readonly managedPolicyArns: readonly string[]; readonly inlinePolicy?: unknown }): string[] {
    const out: string[] = [];
    for (const arn of ps.managedPolicyArns) {
        const name = arn.slice(arn.indexOf(":policy/") + 8);
        if (judgeManagedPolicy(arn).adminLevel || ADMIN_POLICY_NAMES.includes(name)) out.push(`managed policy ${name}`);
    }
    if (ps.inlinePolicy !== undefined) {
        const r = analyzeIdentityPolicy(ps.inlinePolicy, "inline policy");
        if (r.adminLevel) {
            const kinds = [...new Set(r.findings.filter((f) => f.kind === "full-admin" || f.kind === "privilege-escalation" ||
                f.kind === "identity-center-takeover").map((f) => f.kind))];
            out.push(`inline policy (${kinds.join(", ")})`);
        }
    }
    return out;
}
