/**
 * Risk rules of the access diff: which permission sets are admin-level and which accounts are production.
 *
 * NOTE: this is a small local rule. When the policy pack's pure analysis (`policy-pack/analysis/`) exposes
 * an "is this document admin-level" function, call it from `adminReasons` instead of the checks below, so
 * the pack, the plan and the diff agree on one definition.
 */
import type { PlanAccessEntry, PlanPermissionSet } from "./access-diff-plan";
import type { ActionCatalog } from "./access-diff-iam";
import { allowedActions } from "./access-diff-iam";

/** AWS-managed policies that amount to administrator access or to a direct path to it. */
export const ADMIN_MANAGED_POLICIES: readonly string[] = [
    "AdministratorAccess",
    "IAMFullAccess",
    "AWSOrganizationsFullAccess",
    "AWSSSOMasterAccountAdministrator",
    "AWSSSOMemberAccountAdministrator",
    "AWSSSODirectoryAdministrator",
];

/** Services where a `Permissions management` action is a privilege-escalation path. */
const ESCALATION_SERVICES = new Set(["iam", "organizations", "sso", "sso-directory", "identitystore", "sts"]);

function isFullWildcard(doc: unknown): boolean {
    if (typeof doc !== "object" || doc === null) return false;
    const s = (doc as { Statement?: unknown }).Statement;
    const list = Array.isArray(s) ? s : [s];
    return list.some((st) => {
        if (typeof st !== "object" || st === null) return false;
        const { Effect, Action, Resource } = st as { Effect?: unknown; Action?: unknown; Resource?: unknown };
        const as = Array.isArray(Action) ? Action : [Action];
        const rs = Array.isArray(Resource) ? Resource : [Resource];
        return Effect === "Allow" && as.some((a) => a === "*" || a === "*:*") && rs.includes("*");
    });
}

/**
 * Why a permission set is admin-level (empty when it is not): an admin-grade AWS-managed policy, an inline
 * `Allow *` on `*`, or inline `Permissions management` actions on IAM / Organizations / Identity Center.
 */
export function adminReasons(ps: PlanPermissionSet | undefined, catalog: ActionCatalog): string[] {
    if (!ps) return [];
    const reasons: string[] = [];
    for (const arn of ps.managedPolicyArns) {
        const name = arn.slice(arn.lastIndexOf("/") + 1);
        if (ADMIN_MANAGED_POLICIES.includes(name)) reasons.push(`managed policy ${name}`);
    }
    if (ps.inlinePolicy !== undefined) {
        if (isFullWildcard(ps.inlinePolicy)) {
            reasons.push("inline policy allows `*` on `*`");
        } else {
            const escalation = [...allowedActions(ps.inlinePolicy, catalog)]
                .filter((a) => ESCALATION_SERVICES.has(a.split(":")[0].toLowerCase()) && catalog.accessLevel(a) === "Permissions management");
            if (escalation.length > 0) {
                reasons.push(`inline policy grants permissions management (${escalation.slice(0, 3).join(", ")}${escalation.length > 3 ? ", …" : ""})`);
            }
        }
    }
    return reasons;
}

const PROD_WORD = /(^|[^a-z])(prod|production|prd)([^a-z]|$)/i;

/**
 * Whether an access entry targets a production account: the account name or a segment of its OU path
 * reads `prod`/`production`/`prd` as a word (e.g. `payments-prod`, `Workloads/Prod`).
 */
export function isProductionAccount(entry: PlanAccessEntry): boolean {
    return PROD_WORD.test(entry.accountName) || entry.ouPath.split("/").some((seg) => PROD_WORD.test(seg));
}
