import * as pulumi from "@pulumi/pulumi";
import * as organizations from "@pulumi/aws/organizations";
import * as ssoadmin from "@pulumi/aws/ssoadmin";
import { OrgAccount, OrgTree, OrgUnit } from "../stacks/model";

/** Options of {@link loadOrgTree}. */
export interface LoadOrgOptions {
    /** Fetch account tags (one `getResourceTags` per account); only needed when a rule selects by tag. */
    withTags: boolean;
    /** Invoke options (provider, parent) passed to every call. */
    invokeOptions?: pulumi.InvokeOptions;
}

/**
 * Builds the organization tree from the provider's invokes: `getOrganization`, then per OU
 * `getOrganizationalUnits` + `getOrganizationalUnitChildAccounts` (two calls per OU, level by level, in
 * parallel), `getResourceTags` per account when tags are needed, and `ssoadmin.getInstances`. Offline, the
 * plan answers these same tokens from the org fixture, so this is the code path of a real preview.
 */
export async function loadOrgTree(opts: LoadOrgOptions): Promise<OrgTree> {
    const io = opts.invokeOptions;
    const [org, instances] = await Promise.all([organizations.getOrganization({}, io), ssoadmin.getInstances({}, io)]);
    if (org.roots.length === 0) {
        throw new pulumi.RunError(
            "idfed: `organizations.getOrganization` returned no root: run with credentials of the management account or a delegated administrator.",
        );
    }
    if (instances.arns.length === 0 || instances.identityStoreIds.length === 0) {
        throw new pulumi.RunError(
            "idfed: no IAM Identity Center instance found (`ssoadmin.getInstances`): enable Identity Center in this region (check `aws:region`).",
        );
    }
    const rootId = org.roots[0].id;
    const tagCache = new Map<string, Promise<Record<string, string>>>();
    const tagsOf = (id: string): Promise<Record<string, string>> => {
        if (!opts.withTags) return Promise.resolve({});
        let p = tagCache.get(id);
        if (p === undefined) {
            p = organizations.getResourceTags({ resourceId: id }, io).then((r) => ({ ...(r.tags ?? {}) }));
            tagCache.set(id, p);
        }
        return p;
    };
    const accountsOf = async (parentId: string): Promise<OrgAccount[]> => {
        const r = await organizations.getOrganizationalUnitChildAccounts({ parentId }, io);
        const out = await Promise.all(
            r.accounts.map(async (a) => ({
                // `state` (AWS retired `status` on 2026-09-09; the provider then reports it empty).
                id: a.id,
                name: a.name,
                state: a.state || a.status || "ACTIVE",
                tags: await tagsOf(a.id),
            })),
        );
        return out.sort((a, b) => a.id.localeCompare(b.id));
    };
    const seen = new Set<string>([rootId]);
    const unitsOf = async (parentId: string, depth: number): Promise<OrgUnit[]> => {
        const r = await organizations.getOrganizationalUnits({ parentId }, io);
        if (depth > 5 && r.children.length > 0) {
            // AWS Organizations nests OUs at most five levels deep (a level-5 OU has no child OUs); deeper
            // means a loop in the answers.
            throw new pulumi.RunError(
                `idfed: OU nesting under ${parentId} exceeds AWS's limit of 5 levels: the Organizations answers are inconsistent.`,
            );
        }
        const children = [...r.children].sort((a, b) => a.id.localeCompare(b.id));
        return Promise.all(
            children.map(async (c) => {
                if (seen.has(c.id)) {
                    throw new pulumi.RunError(
                        `idfed: OU ${c.id} appears twice in the organization tree (a cycle in the Organizations answers).`,
                    );
                }
                seen.add(c.id);
                const [accounts, ous] = await Promise.all([accountsOf(c.id), unitsOf(c.id, depth + 1)]);
                return { id: c.id, name: c.name, accounts, ous };
            }),
        );
    };
    const [rootAccounts, ous] = await Promise.all([accountsOf(rootId), unitsOf(rootId, 1)]);
    const root = org.roots[0];
    return {
        trustedAccess: [...(org.awsServiceAccessPrincipals ?? [])].sort(),
        rootPolicyTypes: (root.policyTypes ?? [])
            .filter((p) => p.status === "ENABLED")
            .map((p) => p.type)
            .sort(),
        managementAccountId: org.masterAccountId,
        identityStoreId: instances.identityStoreIds[0],
        instanceArn: instances.arns[0],
        root: rootId,
        accounts: rootAccounts,
        ous,
    };
}
