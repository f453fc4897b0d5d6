/**
 * Read-only export of an AWS Organization and its IAM Identity Center into the org fixture format
 * (DESIGN.md "Organization data" + the shared snapshot contract: `state`, `exportedAt`, `scps`,
 * `identityCenter`). Every list is paginated; throttling is retried with backoff; any other failed read
 * fails the whole export, so a partial (smaller) organization is never written.
 *
 * API shapes: AWS SDK for JavaScript v3 `@aws-sdk/client-organizations`, `client-sso-admin`,
 * `client-identitystore` (the types in node_modules; AWS API references "ListAccountsForParent",
 * "ListOrganizationalUnitsForParent", "ListPolicies", "DescribePolicy", "ListTargetsForPolicy",
 * "ListInstances", "ListPermissionSets", "DescribePermissionSet", "ListAccountAssignments", "DescribeGroup").
 */
import {
    DescribeOrganizationCommand,
    ListAWSServiceAccessForOrganizationCommand,
    DescribePolicyCommand,
    ListAccountsForParentCommand,
    ListOrganizationalUnitsForParentCommand,
    ListPoliciesCommand,
    ListRootsCommand,
    ListTagsForResourceCommand,
    ListTargetsForPolicyCommand,
    OrganizationsClient,
} from "@aws-sdk/client-organizations";
import {
    DescribePermissionSetCommand,
    GetInlinePolicyForPermissionSetCommand,
    GetPermissionsBoundaryForPermissionSetCommand,
    ListAccountAssignmentsCommand,
    ListAccountsForProvisionedPermissionSetCommand,
    ListCustomerManagedPolicyReferencesInPermissionSetCommand,
    ListInstancesCommand,
    ListManagedPoliciesInPermissionSetCommand,
    ListPermissionSetsCommand,
    SSOAdminClient,
} from "@aws-sdk/client-sso-admin";
import { DescribeGroupCommand, DescribeUserCommand, IdentitystoreClient } from "@aws-sdk/client-identitystore";

/** The three clients the export reads with (tests pass clients whose `send` is mocked). */
export interface ExportClients {
    readonly organizations: OrganizationsClient;
    readonly ssoAdmin: SSOAdminClient;
    readonly identityStore: IdentitystoreClient;
}

/** Retry settings for throttled calls. */
export interface RetryOptions {
    /** Attempts per call, first included (default 8). */
    readonly attempts?: number;
    /** Base delay in ms, doubled per attempt with jitter (default 500). */
    readonly baseDelayMs?: number;
    /** Sleep function (tests pass one that does not wait). */
    readonly sleep?: (ms: number) => Promise<void>;
}

/** An account in the snapshot. */
export interface SnapshotAccount {
    id: string;
    name: string;
    state?: string;
    tags?: Record<string, string>;
}
/** An OU in the snapshot. */
export interface SnapshotOu {
    id: string;
    name: string;
    accounts: SnapshotAccount[];
    ous: SnapshotOu[];
}
/** The snapshot, in the fixture's key order. */
export interface OrgSnapshot {
    managementAccountId: string;
    identityStoreId: string;
    instanceArn: string;
    root: string;
    /** Service principals with trusted access (ListAWSServiceAccessForOrganization): the prerequisites check reads them. */
    trustedAccess: string[];
    /** Policy types enabled on the root (ListRoots `PolicyTypes` with status ENABLED). */
    rootPolicyTypes: string[];
    exportedAt: string;
    accounts: SnapshotAccount[];
    ous: SnapshotOu[];
    scps: Array<{ id: string; name: string; document: unknown; targets: string[] }>;
    identityCenter: {
        permissionSets: Array<Record<string, unknown>>;
        assignments: Array<{
            accountId: string;
            permissionSetArn: string;
            principalType: string;
            principalId: string;
            principalDisplayName?: string;
        }>;
    };
}

const THROTTLING = new Set([
    "ThrottlingException",
    "TooManyRequestsException",
    "Throttling",
    "RequestLimitExceeded",
    "ConcurrentModificationException",
    "ServiceUnavailableException",
]);
/** Pages per list before the export gives up (a loop guard: 1,000 × the page size is far past any organization). */
const MAX_PAGES = 1000;
/** OU nesting AWS allows under the root. */
const MAX_DEPTH = 5;

function errorName(e: unknown): string {
    return typeof e === "object" && e !== null ? String((e as { name?: unknown }).name ?? "") : "";
}

/** Calls `fn`, retrying throttling errors with exponential backoff; rethrows anything else at once. */
export async function withRetry<T>(what: string, fn: () => Promise<T>, opts: RetryOptions = {}): Promise<T> {
    const attempts = opts.attempts ?? 8;
    const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
    for (let i = 1; ; i++) {
        try {
            return await fn();
        } catch (e) {
            if (!THROTTLING.has(errorName(e)) || i >= attempts) {
                const msg = e instanceof Error ? e.message : String(e);
                throw new Error(`${what} failed${i > 1 ? ` after ${i} attempts` : ""}: ${errorName(e) || "Error"}: ${msg}`);
            }
            await sleep(Math.round((opts.baseDelayMs ?? 500) * 2 ** (i - 1) * (0.5 + Math.random() / 2)));
        }
    }
}

/** Collects every page of a `NextToken` list (bounded; a repeated token is an error, not a loop). */
export async function allPages<T>(
    what: string,
    page: (token?: string) => Promise<{ items?: T[]; next?: string }>,
    opts: RetryOptions = {},
): Promise<T[]> {
    const out: T[] = [];
    const seen = new Set<string>();
    let token: string | undefined;
    for (let n = 0; n < MAX_PAGES; n++) {
        const r = await withRetry(what, () => page(token), opts);
        out.push(...(r.items ?? []));
        if (!r.next) return out;
        if (seen.has(r.next)) throw new Error(`${what} failed: the service returned the same NextToken twice`);
        seen.add(r.next);
        token = r.next;
    }
    throw new Error(`${what} failed: more than ${MAX_PAGES} pages`);
}

function need<T>(value: T | undefined | null, what: string): T {
    if (value === undefined || value === null || value === "") throw new Error(`${what}: missing in the response`);
    return value;
}

/** Reads the organization and Identity Center; throws on any failed read (nothing partial is returned). */
export async function exportOrganization(c: ExportClients, opts: RetryOptions & { now?: Date } = {}): Promise<OrgSnapshot> {
    const org = c.organizations;
    const described = await withRetry("DescribeOrganization", () => org.send(new DescribeOrganizationCommand({})), opts);
    const managementAccountId = need(described.Organization?.MasterAccountId, "DescribeOrganization Organization.MasterAccountId");
    const roots = await allPages(
        "ListRoots",
        async (t) => {
            const r = await org.send(new ListRootsCommand({ NextToken: t }));
            return { items: r.Roots, next: r.NextToken };
        },
        opts,
    );
    if (roots.length !== 1) throw new Error(`ListRoots: expected one root, got ${roots.length}`);
    const root = need(roots[0].Id, "ListRoots Roots[0].Id");
    const rootPolicyTypes = (roots[0].PolicyTypes ?? [])
        .filter((t) => t.Status === "ENABLED")
        .map((t) => need(t.Type, "ListRoots PolicyTypes[].Type"))
        .sort();
    const trustedAccess = (
        await allPages(
            "ListAWSServiceAccessForOrganization",
            async (t) => {
                const r = await org.send(new ListAWSServiceAccessForOrganizationCommand({ NextToken: t }));
                return { items: r.EnabledServicePrincipals, next: r.NextToken };
            },
            opts,
        )
    )
        .map((p) => need(p.ServicePrincipal, "ListAWSServiceAccessForOrganization EnabledServicePrincipals[].ServicePrincipal"))
        .sort();

    const accountsOf = async (parentId: string): Promise<SnapshotAccount[]> => {
        const list = await allPages(
            `ListAccountsForParent ${parentId}`,
            async (t) => {
                const r = await org.send(new ListAccountsForParentCommand({ ParentId: parentId, NextToken: t }));
                return { items: r.Accounts, next: r.NextToken };
            },
            opts,
        );
        const out: SnapshotAccount[] = [];
        for (const a of list) {
            const id = need(a.Id, `ListAccountsForParent ${parentId} Accounts[].Id`);
            const tags = await allPages(
                `ListTagsForResource ${id}`,
                async (t) => {
                    const r = await org.send(new ListTagsForResourceCommand({ ResourceId: id, NextToken: t }));
                    return { items: r.Tags, next: r.NextToken };
                },
                opts,
            );
            const state = a.State ?? undefined;
            out.push({
                id,
                name: a.Name ?? id,
                ...(state ? { state } : {}),
                ...(tags.length
                    ? {
                          tags: Object.fromEntries(
                              tags.map((x) => [need(x.Key, `tags of ${id}`), x.Value ?? ""]).sort(([x], [y]) => (x < y ? -1 : 1)),
                          ),
                      }
                    : {}),
            });
        }
        return out.sort((x, y) => (x.id < y.id ? -1 : 1));
    };
    const ousOf = async (parentId: string, depth: number): Promise<SnapshotOu[]> => {
        if (depth > MAX_DEPTH) throw new Error(`ListOrganizationalUnitsForParent ${parentId}: OUs nested deeper than ${MAX_DEPTH} levels`);
        const list = await allPages(
            `ListOrganizationalUnitsForParent ${parentId}`,
            async (t) => {
                const r = await org.send(new ListOrganizationalUnitsForParentCommand({ ParentId: parentId, NextToken: t }));
                return { items: r.OrganizationalUnits, next: r.NextToken };
            },
            opts,
        );
        const out: SnapshotOu[] = [];
        for (const u of list) {
            const id = need(u.Id, `ListOrganizationalUnitsForParent ${parentId} OrganizationalUnits[].Id`);
            out.push({ id, name: u.Name ?? id, accounts: await accountsOf(id), ous: await ousOf(id, depth + 1) });
        }
        return out.sort((x, y) => (x.id < y.id ? -1 : 1));
    };
    const accounts = await accountsOf(root);
    const ous = await ousOf(root, 1);
    const scps = await exportScps(c, opts);
    const ic = await exportIdentityCenter(c, opts);
    return {
        managementAccountId,
        identityStoreId: ic.identityStoreId,
        instanceArn: ic.instanceArn,
        root,
        trustedAccess,
        rootPolicyTypes,
        exportedAt: (opts.now ?? new Date()).toISOString().replace(/\.\d{3}Z$/, "Z"),
        accounts,
        ous,
        scps,
        identityCenter: { permissionSets: ic.permissionSets, assignments: ic.assignments },
    };
}

async function exportScps(c: ExportClients, opts: RetryOptions): Promise<OrgSnapshot["scps"]> {
    const org = c.organizations;
    const policies = await allPages(
        "ListPolicies SERVICE_CONTROL_POLICY",
        async (t) => {
            const r = await org.send(new ListPoliciesCommand({ Filter: "SERVICE_CONTROL_POLICY", NextToken: t }));
            return { items: r.Policies, next: r.NextToken };
        },
        opts,
    );
    const out: OrgSnapshot["scps"] = [];
    for (const p of policies) {
        const id = need(p.Id, "ListPolicies Policies[].Id");
        const d = await withRetry(`DescribePolicy ${id}`, () => org.send(new DescribePolicyCommand({ PolicyId: id })), opts);
        const content = need(d.Policy?.Content, `DescribePolicy ${id} Policy.Content`);
        let document: unknown;
        try {
            document = JSON.parse(content);
        } catch {
            throw new Error(`DescribePolicy ${id}: Policy.Content is not JSON`);
        }
        const targets = await allPages(
            `ListTargetsForPolicy ${id}`,
            async (t) => {
                const r = await org.send(new ListTargetsForPolicyCommand({ PolicyId: id, NextToken: t }));
                return { items: r.Targets, next: r.NextToken };
            },
            opts,
        );
        out.push({
            id,
            name: p.Name ?? id,
            document,
            targets: targets.map((x) => need(x.TargetId, `ListTargetsForPolicy ${id} TargetId`)).sort(),
        });
    }
    return out.sort((x, y) => (x.id < y.id ? -1 : 1));
}

async function exportIdentityCenter(c: ExportClients, opts: RetryOptions) {
    const sso = c.ssoAdmin;
    const instances = await allPages(
        "ListInstances",
        async (t) => {
            const r = await sso.send(new ListInstancesCommand({ NextToken: t }));
            return { items: r.Instances, next: r.NextToken };
        },
        opts,
    );
    if (instances.length !== 1) throw new Error(`ListInstances: expected one Identity Center instance, got ${instances.length}`);
    const instanceArn = need(instances[0].InstanceArn, "ListInstances Instances[0].InstanceArn");
    const identityStoreId = need(instances[0].IdentityStoreId, "ListInstances Instances[0].IdentityStoreId");
    const arns = await allPages(
        "ListPermissionSets",
        async (t) => {
            const r = await sso.send(new ListPermissionSetsCommand({ InstanceArn: instanceArn, NextToken: t }));
            return { items: r.PermissionSets, next: r.NextToken };
        },
        opts,
    );
    const permissionSets: Array<Record<string, unknown>> = [];
    const assignments: OrgSnapshot["identityCenter"]["assignments"] = [];
    const names = new Map<string, string>();
    for (const arn of [...arns].sort()) {
        const q = { InstanceArn: instanceArn, PermissionSetArn: arn };
        const ps = need(
            (await withRetry(`DescribePermissionSet ${arn}`, () => sso.send(new DescribePermissionSetCommand(q)), opts)).PermissionSet,
            `DescribePermissionSet ${arn}`,
        );
        const managed = await allPages(
            `ListManagedPoliciesInPermissionSet ${arn}`,
            async (t) => {
                const r = await sso.send(new ListManagedPoliciesInPermissionSetCommand({ ...q, NextToken: t }));
                return { items: r.AttachedManagedPolicies, next: r.NextToken };
            },
            opts,
        );
        const customer = await allPages(
            `ListCustomerManagedPolicyReferencesInPermissionSet ${arn}`,
            async (t) => {
                const r = await sso.send(new ListCustomerManagedPolicyReferencesInPermissionSetCommand({ ...q, NextToken: t }));
                return { items: r.CustomerManagedPolicyReferences, next: r.NextToken };
            },
            opts,
        );
        const inline = (
            await withRetry(`GetInlinePolicyForPermissionSet ${arn}`, () => sso.send(new GetInlinePolicyForPermissionSetCommand(q)), opts)
        ).InlinePolicy;
        // No boundary is answered with ResourceNotFoundException (AWS API reference, GetPermissionsBoundaryForPermissionSet).
        const boundary = await withRetry(
            `GetPermissionsBoundaryForPermissionSet ${arn}`,
            async () => {
                try {
                    return (await sso.send(new GetPermissionsBoundaryForPermissionSetCommand(q))).PermissionsBoundary;
                } catch (e) {
                    if (errorName(e) === "ResourceNotFoundException") return undefined;
                    throw e;
                }
            },
            opts,
        );
        permissionSets.push({
            arn,
            name: need(ps.Name, `DescribePermissionSet ${arn} Name`),
            ...(ps.Description ? { description: ps.Description } : {}),
            ...(ps.SessionDuration ? { sessionDuration: ps.SessionDuration } : {}),
            managedPolicies: managed.map((m) => need(m.Arn, `managed policies of ${arn}`)).sort(),
            ...(customer.length
                ? {
                      customerManagedPolicies: customer.map((x) => ({
                          name: need(x.Name, `customer-managed policies of ${arn}`),
                          path: x.Path ?? "/",
                      })),
                  }
                : {}),
            ...(inline ? { inlinePolicy: JSON.parse(inline) as unknown } : {}),
            ...(boundary?.ManagedPolicyArn
                ? { permissionsBoundary: { managedPolicyArn: boundary.ManagedPolicyArn } }
                : boundary?.CustomerManagedPolicyReference?.Name
                  ? {
                        permissionsBoundary: {
                            customerManagedPolicy: {
                                name: boundary.CustomerManagedPolicyReference.Name,
                                path: boundary.CustomerManagedPolicyReference.Path ?? "/",
                            },
                        },
                    }
                  : {}),
        });
        const accountIds = await allPages(
            `ListAccountsForProvisionedPermissionSet ${arn}`,
            async (t) => {
                const r = await sso.send(new ListAccountsForProvisionedPermissionSetCommand({ ...q, NextToken: t }));
                return { items: r.AccountIds, next: r.NextToken };
            },
            opts,
        );
        for (const accountId of [...accountIds].sort()) {
            const list = await allPages(
                `ListAccountAssignments ${accountId} ${arn}`,
                async (t) => {
                    const r = await sso.send(new ListAccountAssignmentsCommand({ ...q, AccountId: accountId, NextToken: t }));
                    return { items: r.AccountAssignments, next: r.NextToken };
                },
                opts,
            );
            for (const a of list) {
                const principalType = need(a.PrincipalType, "ListAccountAssignments PrincipalType");
                const principalId = need(a.PrincipalId, "ListAccountAssignments PrincipalId");
                const key = `${principalType}:${principalId}`;
                if (!names.has(key)) names.set(key, await displayName(c, identityStoreId, principalType, principalId, opts));
                assignments.push({
                    accountId,
                    permissionSetArn: arn,
                    principalType,
                    principalId,
                    principalDisplayName: names.get(key) ?? principalId,
                });
            }
        }
    }
    return { instanceArn, identityStoreId, permissionSets, assignments };
}

async function displayName(c: ExportClients, identityStoreId: string, type: string, id: string, opts: RetryOptions): Promise<string> {
    if (type === "GROUP") {
        const g = await withRetry(
            `DescribeGroup ${id}`,
            () => c.identityStore.send(new DescribeGroupCommand({ IdentityStoreId: identityStoreId, GroupId: id })),
            opts,
        );
        return g.DisplayName ?? id;
    }
    const u = await withRetry(
        `DescribeUser ${id}`,
        () => c.identityStore.send(new DescribeUserCommand({ IdentityStoreId: identityStoreId, UserId: id })),
        opts,
    );
    return u.DisplayName ?? u.UserName ?? id;
}
