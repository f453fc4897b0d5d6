/**
 * `idfed:customerManagedPolicies`: the customer-managed IAM policies that permission sets reference (as
 * attachments or boundaries) and that idfed creates in every account that needs them, and the check that
 * every referenced policy is one of them (Identity Center fails the assignment in an account without it).
 */
import { ConfigIssue, CustomerManagedPolicyModel, Grant, PermissionSetModel } from "../model";
import { parsePolicyDocumentValue, PermissionSetOptions } from "./permission-sets";
import { at, checkKeys, expectObject, Issues, own, show, str } from "../input/validate";
import { IAM_PATH_RE, POLICY_NAME_RE } from "../input/iam-names";

export type { CustomerManagedPolicyModel };

/** IAM's limit on a managed policy document: 6,144 characters without whitespace. */
export const MAX_MANAGED_POLICY_CHARS = 6144;
const KEYS = ["path", "description", "document"] as const;

/** Parses `idfed:customerManagedPolicies` (absent: none). */
export function parseCustomerManagedPolicies(value: unknown, opts: PermissionSetOptions, issues: Issues): CustomerManagedPolicyModel[] {
    const root = "idfed:customerManagedPolicies";
    if (value === undefined || value === null) return [];
    const o = expectObject(value, root, issues);
    if (!o) return [];
    const out: CustomerManagedPolicyModel[] = [];
    for (const name of Object.keys(o).sort()) {
        const path = at(root, name);
        if (!POLICY_NAME_RE.test(name)) {
            issues.add(path, `${show(name)} is not an IAM policy name ([\\w+=,.@-], at most 128 characters)`);
            continue;
        }
        const p = expectObject(own(o, name), path, issues);
        if (!p) continue;
        checkKeys(p, KEYS, path, issues);
        const iamPath =
            str(p, "path", path, issues, {
                pattern: IAM_PATH_RE,
                expected: "an IAM path that starts and ends with / (e.g. /idfed/)",
                max: 512,
            }) ?? "/";
        const description = str(p, "description", path, issues, { max: 1000 });
        if (own(p, "document") === undefined) {
            issues.add(at(path, "document"), "is required (a policy document, or a path to a .json file in the repository)");
            continue;
        }
        const doc = parsePolicyDocumentValue(
            own(p, "document"),
            at(path, "document"),
            opts,
            issues,
            MAX_MANAGED_POLICY_CHARS,
            "IAM allows a managed policy at most",
        );
        if (doc === undefined) continue;
        out.push({ name, path: iamPath, document: doc.doc, source: doc.source, ...(description !== undefined ? { description } : {}) });
    }
    return out;
}

/** Customer-managed policy references of one permission set (attachments and boundary), as `path+name`. */
export function customerManagedRefs(ps: PermissionSetModel): { name: string; path: string }[] {
    const refs = ps.customerManagedPolicies.map((r) => ({ name: r.name, path: r.path }));
    if (ps.permissionsBoundary?.kind === "customerManaged") refs.push({ ...ps.permissionsBoundary.policy });
    return refs;
}

/** Where each declared policy is needed: policy name → sorted account ids of the grants that use it. */
export function accountsNeedingPolicies(grants: readonly Grant[], permissionSets: readonly PermissionSetModel[]): Map<string, string[]> {
    const byKey = new Map(permissionSets.map((p) => [p.key, p]));
    const out = new Map<string, Set<string>>();
    for (const g of grants) {
        const ps = byKey.get(g.permissionSetKey);
        if (ps === undefined) continue;
        for (const r of customerManagedRefs(ps)) {
            const k = `${r.path}${r.name}`;
            let s = out.get(k);
            if (s === undefined) out.set(k, (s = new Set()));
            s.add(g.accountId);
        }
    }
    return new Map([...out].map(([k, s]) => [k, [...s].sort()]));
}

/**
 * One issue per customer-managed policy a live grant references that `idfed:customerManagedPolicies` does not
 * declare (with the same path): the assignment would fail in those accounts. Names the accounts and the fix.
 */
export function undeclaredPolicyIssues(
    grants: readonly Grant[],
    permissionSets: readonly PermissionSetModel[],
    declared: readonly CustomerManagedPolicyModel[],
): ConfigIssue[] {
    const known = new Set(declared.map((d) => `${d.path}${d.name}`));
    const users = new Map<string, string[]>();
    for (const ps of permissionSets)
        for (const r of customerManagedRefs(ps)) {
            const k = `${r.path}${r.name}`;
            users.set(k, [...(users.get(k) ?? []), ps.key]);
        }
    const issues: ConfigIssue[] = [];
    for (const [k, accounts] of accountsNeedingPolicies(grants, permissionSets)) {
        if (known.has(k)) continue;
        const name = k.slice(k.lastIndexOf("/") + 1);
        const path = `idfed:customerManagedPolicies.${name}`;
        const shown = accounts.length > 10 ? `${accounts.slice(0, 10).join(", ")} and ${accounts.length - 10} more` : accounts.join(", ");
        issues.push({
            path,
            message:
                `\`${path}\`: permission set(s) ${(users.get(k) ?? []).map((p) => `\`${p}\``).join(", ")} reference the customer-managed ` +
                `policy \`${k}\`, which must exist in account(s) ${shown} or their assignments fail there; declare it under ` +
                `\`${path}\` (path \`${k.slice(0, k.length - name.length)}\`, document) and idfed creates it in those accounts`,
        });
    }
    return issues;
}
