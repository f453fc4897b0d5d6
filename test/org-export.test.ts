import assert from "node:assert/strict";
import { mockClient } from "aws-sdk-client-mock";
import {
    DescribeOrganizationCommand,
    DescribePolicyCommand,
    ListAccountsForParentCommand,
    ListOrganizationalUnitsForParentCommand,
    ListPoliciesCommand,
    ListAWSServiceAccessForOrganizationCommand,
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
import { DescribeGroupCommand, IdentitystoreClient } from "@aws-sdk/client-identitystore";
import { parseOrgFixture } from "../stacks/org/fixture";
import { accountsUnder } from "../stacks/org/org-index";
import * as F from "./fixtures/org-export";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { defaultOrgFile, exportOrganization, runPlan, snapshotYaml } from "../offline";
import type { OrgTree, OrgUnit } from "../stacks/model/index";

const org = mockClient(OrganizationsClient);
const sso = mockClient(SSOAdminClient);
const ids = mockClient(IdentitystoreClient);
const clients = () => ({
    organizations: new OrganizationsClient({ region: "us-east-1" }),
    ssoAdmin: new SSOAdminClient({ region: "us-east-1" }),
    identityStore: new IdentitystoreClient({ region: "us-east-1" }),
});
const fast = { sleep: async () => undefined, now: new Date("2026-11-29T00:00:00Z") };

/** A small organization: management account under the root, Workloads → Prod with two accounts (second page), one SCP, one permission set. */
function stubOrganization(): void {
    org.on(DescribeOrganizationCommand).resolves(F.describeOrganization);
    org.on(ListRootsCommand).resolves(F.listRoots);
    org.on(ListAWSServiceAccessForOrganizationCommand).resolves(F.listAwsServiceAccess);
    org.on(ListAccountsForParentCommand, { ParentId: F.ROOT }).resolves({ Accounts: [F.account("111111111111", "management")] });
    org.on(ListAccountsForParentCommand, { ParentId: F.OU_WORKLOADS }).resolves({ Accounts: [] });
    org.on(ListAccountsForParentCommand, { ParentId: F.OU_PROD, NextToken: undefined }).resolves({
        Accounts: [F.account("720000000001", "payments-prod")],
        NextToken: "page-2",
    });
    org.on(ListAccountsForParentCommand, { ParentId: F.OU_PROD, NextToken: "page-2" }).resolves({
        Accounts: [F.account("720000000002", "data-prod", "SUSPENDED")],
    });
    org.on(ListOrganizationalUnitsForParentCommand, { ParentId: F.ROOT }).resolves({
        OrganizationalUnits: [F.ou(F.OU_WORKLOADS, "Workloads")],
    });
    org.on(ListOrganizationalUnitsForParentCommand, { ParentId: F.OU_WORKLOADS }).resolves({
        OrganizationalUnits: [F.ou(F.OU_PROD, "Prod")],
    });
    org.on(ListOrganizationalUnitsForParentCommand, { ParentId: F.OU_PROD }).resolves({ OrganizationalUnits: [] });
    org.on(ListTagsForResourceCommand).resolves({ Tags: [] });
    org.on(ListTagsForResourceCommand, { ResourceId: "720000000001" }).resolves({
        Tags: [
            { Key: "team", Value: "payments" },
            { Key: "env", Value: "prod" },
        ],
    });
    org.on(ListPoliciesCommand, { Filter: "SERVICE_CONTROL_POLICY" }).resolves({ Policies: [F.scpSummary] });
    org.on(DescribePolicyCommand, { PolicyId: "p-examplescp1" }).resolves({
        Policy: { PolicySummary: F.scpSummary, Content: JSON.stringify(F.scpContent) },
    });
    org.on(ListTargetsForPolicyCommand, { PolicyId: "p-examplescp1" }).resolves({
        Targets: [
            { TargetId: F.OU_PROD, Arn: "arn:x", Name: "Prod", Type: "ORGANIZATIONAL_UNIT" },
            { TargetId: F.ROOT, Arn: "arn:y", Name: "Root", Type: "ROOT" },
        ],
    });
    sso.on(ListInstancesCommand).resolves(F.listInstances);
    sso.on(ListPermissionSetsCommand).resolves({ PermissionSets: [F.PS_ADMIN] });
    sso.on(DescribePermissionSetCommand).resolves(F.describeAdmin);
    sso.on(ListManagedPoliciesInPermissionSetCommand).resolves({
        AttachedManagedPolicies: [{ Name: "AdministratorAccess", Arn: "arn:aws:iam::aws:policy/AdministratorAccess" }],
    });
    sso.on(ListCustomerManagedPolicyReferencesInPermissionSetCommand).resolves({ CustomerManagedPolicyReferences: [] });
    // No inline policy: the member is an empty string (API reference, GetInlinePolicyForPermissionSet).
    sso.on(GetInlinePolicyForPermissionSetCommand).resolves({ InlinePolicy: "" });
    // No boundary: ResourceNotFoundException (API reference, GetPermissionsBoundaryForPermissionSet).
    sso.on(GetPermissionsBoundaryForPermissionSetCommand).rejects(
        F.serviceError("ResourceNotFoundException", "Could not find PermissionsBoundary", 404),
    );
    sso.on(ListAccountsForProvisionedPermissionSetCommand).resolves({ AccountIds: ["720000000001"] });
    sso.on(ListAccountAssignmentsCommand).resolves({ AccountAssignments: [F.adminAssignment] });
    ids.on(DescribeGroupCommand).resolves(F.describeGroup);
}

describe("org export (offline/org-export, AWS SDK v3 under aws-sdk-client-mock)", () => {
    beforeEach(() => {
        org.reset();
        sso.reset();
        ids.reset();
        stubOrganization();
    });

    it("exports OUs, accounts (every page, state, tags), SCPs and Identity Center into the snapshot contract", async () => {
        const s = await exportOrganization(clients(), fast);
        assert.deepEqual(s, {
            managementAccountId: "111111111111",
            identityStoreId: F.IDENTITY_STORE_ID,
            instanceArn: F.INSTANCE_ARN,
            root: F.ROOT,
            trustedAccess: ["cloudtrail.amazonaws.com", "sso.amazonaws.com"],
            rootPolicyTypes: ["SERVICE_CONTROL_POLICY"],
            exportedAt: "2026-11-29T00:00:00Z",
            accounts: [{ id: "111111111111", name: "management", state: "ACTIVE" }],
            ous: [
                {
                    id: F.OU_WORKLOADS,
                    name: "Workloads",
                    accounts: [],
                    ous: [
                        {
                            id: F.OU_PROD,
                            name: "Prod",
                            ous: [],
                            accounts: [
                                { id: "720000000001", name: "payments-prod", state: "ACTIVE", tags: { env: "prod", team: "payments" } },
                                { id: "720000000002", name: "data-prod", state: "SUSPENDED" },
                            ],
                        },
                    ],
                },
            ],
            scps: [{ id: "p-examplescp1", name: "DenyLeaveOrg", document: F.scpContent, targets: [F.OU_PROD, F.ROOT] }],
            identityCenter: {
                permissionSets: [
                    {
                        arn: F.PS_ADMIN,
                        name: "AdministratorAccess",
                        description: "Full administrative access",
                        sessionDuration: "PT1H",
                        managedPolicies: ["arn:aws:iam::aws:policy/AdministratorAccess"],
                    },
                ],
                assignments: [
                    {
                        accountId: "720000000001",
                        permissionSetArn: F.PS_ADMIN,
                        principalType: "GROUP",
                        principalId: F.GROUP_ID,
                        principalDisplayName: "AWS-Prod-PlatformAdmins",
                    },
                ],
            },
        });
        assert.equal(org.commandCalls(ListAccountsForParentCommand, { ParentId: F.OU_PROD }).length, 2, "both pages read");
    });

    it("writes a fixture the plan's org parser reads (ids stay strings, a SUSPENDED state is not active)", async () => {
        const text = snapshotYaml(await exportOrganization(clients(), fast), "stacks/orgs/prod.yaml");
        assert.match(text, /id: "720000000001"/, "account ids stay strings");
        const tree = parseOrgFixture(text, "stacks/orgs/prod.yaml");
        assert.deepEqual(
            accountsUnder(tree, F.OU_WORKLOADS, true)?.map((a) => a.id),
            ["720000000001", "720000000002"],
        );
        assert.equal(tree.ous[0].ous[0].accounts[1].state, "SUSPENDED");
    });

    it("retries throttling, then succeeds", async () => {
        org.on(ListTagsForResourceCommand, { ResourceId: "720000000001" })
            .rejectsOnce(
                F.serviceError(
                    "TooManyRequestsException",
                    "AWS Organizations can't complete your request because another request is already in progress",
                ),
            )
            .resolves({ Tags: [{ Key: "env", Value: "prod" }] });
        const s = await exportOrganization(clients(), fast);
        assert.deepEqual(s.ous[0].ous[0].accounts[0].tags, { env: "prod" });
        assert.equal(org.commandCalls(ListTagsForResourceCommand, { ResourceId: "720000000001" }).length, 2);
    });

    for (const [label, stub] of [
        [
            "an access-denied account read",
            () =>
                org
                    .on(ListAccountsForParentCommand, { ParentId: F.OU_PROD, NextToken: "page-2" })
                    .rejects(F.serviceError("AccessDeniedException", "You don't have permissions to access this resource.")),
        ],
        [
            "throttling that never ends",
            () =>
                org
                    .on(ListOrganizationalUnitsForParentCommand, { ParentId: F.OU_WORKLOADS })
                    .rejects(F.serviceError("TooManyRequestsException", "Rate exceeded")),
        ],
        [
            "a failed assignment read",
            () => sso.on(ListAccountAssignmentsCommand).rejects(F.serviceError("InternalServerException", "internal", 500)),
        ],
    ] as const) {
        it(`refuses a partial snapshot on ${label}`, async () => {
            stub();
            await assert.rejects(
                exportOrganization(clients(), fast),
                (e: unknown) => e instanceof Error && /failed/.test(e.message) && !/undefined/.test(e.message),
            );
        });
    }

    it("stops on a NextToken loop instead of reading forever", async () => {
        org.on(ListAccountsForParentCommand, { ParentId: F.OU_PROD, NextToken: "page-2" }).resolves({ Accounts: [], NextToken: "page-2" });
        await assert.rejects(exportOrganization(clients(), fast), /same NextToken twice/);
    });

    it("round trip: the dev org served through the SDK exports to a snapshot the dev plan grants exactly as its fixture", async function () {
        this.timeout(240000);
        org.reset();
        sso.reset();
        ids.reset();
        const devOrg = defaultOrgFile("dev");
        const tree: OrgTree = parseOrgFixture(fs.readFileSync(devOrg, "utf8"), devOrg);
        org.on(DescribeOrganizationCommand).resolves({
            Organization: { ...F.describeOrganization.Organization, MasterAccountId: tree.managementAccountId },
        });
        org.on(ListRootsCommand).resolves({
            Roots: [
                {
                    ...F.listRoots.Roots[0],
                    Id: tree.root,
                    PolicyTypes: (tree.rootPolicyTypes ?? []).map((Type) => ({
                        Type: Type as "SERVICE_CONTROL_POLICY",
                        Status: "ENABLED" as const,
                    })),
                },
            ],
        });
        org.on(ListAWSServiceAccessForOrganizationCommand).resolves({
            EnabledServicePrincipals: (tree.trustedAccess ?? ["sso.amazonaws.com"]).map((ServicePrincipal) => ({ ServicePrincipal })),
        });
        const serve = (parent: string, u: { accounts: OrgTree["accounts"]; ous: readonly OrgUnit[] }): void => {
            org.on(ListAccountsForParentCommand, { ParentId: parent }).resolves({
                Accounts: u.accounts.map((a) =>
                    F.account(a.id, a.name, (a.state ?? "ACTIVE") as "ACTIVE" | "SUSPENDED" | "PENDING_CLOSURE" | "CLOSED"),
                ),
            });
            org.on(ListOrganizationalUnitsForParentCommand, { ParentId: parent }).resolves({
                OrganizationalUnits: u.ous.map((o) => F.ou(o.id, o.name)),
            });
            for (const a of u.accounts)
                org.on(ListTagsForResourceCommand, { ResourceId: a.id }).resolves({
                    Tags: Object.entries(a.tags).map(([Key, Value]) => ({ Key, Value })),
                });
            for (const o of u.ous) serve(o.id, o);
        };
        serve(tree.root, tree);
        org.on(ListPoliciesCommand).resolves({ Policies: [] });
        sso.on(ListInstancesCommand).resolves({
            Instances: [{ ...F.listInstances.Instances[0], InstanceArn: tree.instanceArn, IdentityStoreId: tree.identityStoreId }],
        });
        sso.on(ListPermissionSetsCommand).resolves({ PermissionSets: [] });
        const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "idfed-export-")), "dev.yaml");
        fs.writeFileSync(file, snapshotYaml(await exportOrganization(clients(), fast), file));
        const now = new Date("2026-11-29T00:00:00Z");
        const [exported, example] = [
            await runPlan({ stack: "dev", orgFile: file, now, policies: false }),
            await runPlan({ stack: "dev", now, policies: false }),
        ];
        const rows = (p: typeof exported) => p.plan.access.map((r) => `${r.group}/${r.permissionSet}/${r.accountId}`).sort();
        assert.ok(rows(example).length > 20);
        assert.deepEqual(rows(exported), rows(example));
    });
});
