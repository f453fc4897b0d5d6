/**
 * Risk rules of the access diff: which permission sets are admin-level (the one definition, the pack's
 * `analysis/admin-level.ts`) plus the diff's own stricter signal, inline `Permissions management` actions on
 * identity services even when scoped (reported as such, not as admin-level), and which accounts are production.
 */
import type { PlanAccessEntry, PlanPermissionSet } from "./access-diff-plan";
import type { ActionCatalog } from "./access-diff-iam";
import { allowedActions } from "./access-diff-iam";
import { adminReasons } from "idfed-policy-pack/analysis/admin-level";

/** Services where a `Permissions management` action is a privilege-escalation path. */
const ESCALATION_SERVICES = new Set(["iam", "organizations", "sso", "sso-directory", "identitystore", "sts"]);

/**
 * Why granting a permission set is high risk (empty when it is not): each admin-level reason (the one
 * definition) as `admin-level: …`, and inline `Permissions management` actions on IAM / Organizations /
 * Identity Center even where scoped, as `identity write: …` (a risk signal of the diff, not admin-level).
 */
export function permissionSetRiskReasons(ps: PlanPermissionSet | undefined, catalog: ActionCatalog): string[] {
    if (!ps) return [];
    const admin = adminReasons(ps);
    const reasons = admin.map((r) => `admin-level: ${r}`);
    if (ps.inlinePolicy !== undefined && !admin.some((r) => r.startsWith("inline policy"))) {
        const escalation = [...allowedActions(ps.inlinePolicy, catalog)].filter(
            (a) => ESCALATION_SERVICES.has(a.split(":")[0].toLowerCase()) && catalog.accessLevel(a) === "Permissions management",
        );
        if (escalation.length > 0) {
            reasons.push(
                `identity write: inline policy grants permissions management (${escalation.slice(0, 3).join(", ")}${escalation.length > 3 ? ", …" : ""})`,
            );
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
