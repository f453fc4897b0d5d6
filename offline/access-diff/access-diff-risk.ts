/**
 * Risk rules of the access diff: which permission sets are admin-level (the shared definition in
 * `admin-level.ts`, from the policy pack's analysis) plus the diff's own stricter signal, inline
 * `Permissions management` actions on identity services even when scoped, and which accounts are production.
 */
import type { PlanAccessEntry, PlanPermissionSet } from "./access-diff-plan";
import type { ActionCatalog } from "./access-diff-iam";
import { allowedActions } from "./access-diff-iam";
import { adminReasons as sharedAdminReasons } from "../review/admin-level";

/** Services where a `Permissions management` action is a privilege-escalation path. */
const ESCALATION_SERVICES = new Set(["iam", "organizations", "sso", "sso-directory", "identitystore", "sts"]);

/**
 * Why a permission set is admin-level (empty when it is not): the shared definition (pack analysis of the
 * managed and inline policies), or inline `Permissions management` actions on IAM / Organizations /
 * Identity Center even where scoped (the diff flags those as high risk too).
 */
export function adminReasons(ps: PlanPermissionSet | undefined, catalog: ActionCatalog): string[] {
    if (!ps) return [];
    const reasons = sharedAdminReasons(ps);
    if (ps.inlinePolicy !== undefined && !reasons.some((r) => r.startsWith("inline policy"))) {
        const escalation = [...allowedActions(ps.inlinePolicy, catalog)]
            .filter((a) => ESCALATION_SERVICES.has(a.split(":")[0].toLowerCase()) && catalog.accessLevel(a) === "Permissions management");
        if (escalation.length > 0) {
            reasons.push(`inline policy grants permissions management (${escalation.slice(0, 3).join(", ")}${escalation.length > 3 ? ", …" : ""})`);
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
