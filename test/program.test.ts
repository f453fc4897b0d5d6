import { strict as assert } from "assert";
import { ASSIGNMENT, exampleOrg, ofType, registered, runWith, stackConfig } from "./helpers";
import { ProgramRun } from "../offline";

/** `account/group/permissionSet` triples from the registered assignments' inputs and the grants metadata. */
function triples(run: ProgramRun): string[] {
    const comp = run.resources.find((r) => r.type === "idfed:aws:AccountAssignments");
    const grants = (comp?.outputs?.grants ?? []) as { accountId: string; groupKey: string; permissionSetKey: string }[];
    return grants.map((g) => `${g.accountId}/${g.groupKey}/${g.permissionSetKey}`).sort();
}

function accountsOf(run: ProgramRun, group: string, ps: string): string[] {
    return triples(run).filter((t) => t.endsWith(`/${group}/${ps}`)).map((t) => t.split("/")[0]).sort();
}

const DEV_ACCOUNTS = ["710000000001", "710000000002", "710000000003"];
const PROD_ACCOUNTS = ["720000000001", "720000000002", "720000000003"];
const SANDBOX = ["081000000002", "810000000001"];
const SECURITY = ["222222222222", "333333333333"];
const INFRA = ["444444444444", "555555555555", "666666666666"];
const WORKLOADS_DIRECT = ["700000000001"];
const MANAGEMENT = "111111111111";
const SUSPENDED = "990000000001";

describe("program under mocks: prod on the example org", function () {
    let run: ProgramRun;
    before(async () => {
        run = await runWith("prod", stackConfig("prod"));
    });

    it("registers exactly the expected components", () => {
        const count = (t: string) => ofType(run, t).length;
        assert.equal(count("idfed:entra:IdentityCenterApp"), 1);
        assert.equal(count("idfed:entra:FederatedGroup"), 6);
        assert.equal(count("idfed:aws:PermissionSet"), 6);
        assert.equal(count("idfed:aws:AccountAssignments"), 1);
    });

    it("registers the Entra app with SAML mode, SCIM secret and a started sync job", () => {
        const sp = ofType(run, "azuread:index/servicePrincipal:ServicePrincipal");
        assert.equal(sp.length, 1);
        assert.equal(sp[0].props.preferredSingleSignOnMode, "saml");
        assert.equal(sp[0].props.useExisting, true);
        assert.equal(sp[0].props.appRoleAssignmentRequired, true);
        const job = ofType(run, "azuread:index/synchronizationJob:SynchronizationJob");
        assert.equal(job.length, 1);
        assert.equal(job[0].props.enabled, true);
        assert.equal(job[0].props.templateId, "aWSSingleSignOn");
        assert.equal(ofType(run, "azuread:index/synchronizationSecret:SynchronizationSecret").length, 1);
        const cert = ofType(run, "azuread:index/servicePrincipalTokenSigningCertificate:ServicePrincipalTokenSigningCertificate");
        assert.equal(cert[0].props.endDate, "2029-11-23T00:00:00.000Z", "3 years from the run's clock (certificateYears default)");
        const uri = ofType(run, "azuread:index/applicationIdentifierUri:ApplicationIdentifierUri");
        assert.equal(uri[0].props.identifierUri, "https://eu-west-1.signin.aws.amazon.com/platform/saml/d-906700a1b2");
    });

    it("assigns every federated group to the app and creates groups with security settings", () => {
        const assignments = ofType(run, "azuread:index/appRoleAssignment:AppRoleAssignment");
        assert.equal(assignments.length, 6);
        for (const g of ofType(run, "azuread:index/group:Group")) {
            assert.equal(g.props.securityEnabled, true);
            assert.equal(g.props.mailEnabled, false);
            assert.equal(g.props.preventDuplicateNames, true);
        }
    });

    it("registers every permission set policy kind with exact inputs", () => {
        const ps = ofType(run, "aws:ssoadmin/permissionSet:PermissionSet");
        assert.deepEqual(ps.map((p) => p.props.name).sort(), ["AdministratorAccess", "Billing", "Developer", "OnCallOperator", "ReadOnly", "SecurityAudit"]);
        const admin = ps.find((p) => p.props.name === "AdministratorAccess");
        assert.equal(admin?.props.sessionDuration, "PT1H");
        const boundary = ofType(run, "aws:ssoadmin/permissionsBoundaryAttachment:PermissionsBoundaryAttachment");
        assert.deepEqual(boundary.map((b) => b.name).sort(), ["ps-developer-boundary", "ps-oncall-operator-boundary"]);
        assert.deepEqual(boundary.find((b) => b.name === "ps-developer-boundary")?.props.permissionsBoundary,
            { customerManagedPolicyReference: { name: "idfed-developer-boundary", path: "/idfed/" } });
        const inline = ofType(run, "aws:ssoadmin/permissionSetInlinePolicy:PermissionSetInlinePolicy");
        assert.equal(inline.length, 2);
        const doc = JSON.parse(String(inline[0].props.inlinePolicy)) as { Statement: unknown[] };
        assert.equal(doc.Statement.length, 2);
        assert.equal(ofType(run, "aws:ssoadmin/managedPolicyAttachment:ManagedPolicyAttachment").length, 7);
    });

    it("expands nested OUs exactly, with exclusions, and never targets management or suspended accounts by default", () => {
        // platform-admins/admin: root, minus management (excluded), minus the Security OU (excluded), minus suspended.
        assert.deepEqual(accountsOf(run, "platform-admins", "admin"),
            [...SANDBOX, ...INFRA, ...WORKLOADS_DIRECT, ...DEV_ACCOUNTS, ...PROD_ACCOUNTS].sort());
        // developers: Dev (nested under Workloads) and Sandbox, not the Workloads OU's own account.
        assert.deepEqual(accountsOf(run, "developers", "developer"), [...SANDBOX, ...DEV_ACCOUNTS].sort());
        assert.deepEqual(accountsOf(run, "developers", "read-only"), PROD_ACCOUNTS);
        assert.deepEqual(accountsOf(run, "security", "admin"), SECURITY);
        assert.deepEqual(accountsOf(run, "billing", "billing"), [MANAGEMENT]);
        for (const t of triples(run)) assert.ok(!t.startsWith(SUSPENDED), `suspended account targeted: ${t}`);
        assert.equal(ofType(run, ASSIGNMENT).length, triples(run).length);
    });

    it("leaves out and reports expired grants, keeps time-bound ones with their expiry", () => {
        const comp = run.resources.find((r) => r.type === "idfed:aws:AccountAssignments");
        const expired = comp?.outputs?.expiredGrants as { accountId: string; groupKey: string }[];
        assert.deepEqual(expired.map((g) => `${g.accountId}/${g.groupKey}`), ["555555555555/oncall"]);
        assert.ok(!triples(run).includes("555555555555/oncall/oncall-operator"));
        const access = run.outputs.access as { accountId: string; group: string; expiresAt?: string }[];
        const oncall = access.filter((a) => a.group === "oncall");
        assert.deepEqual(oncall.map((a) => a.accountId).sort(), PROD_ACCOUNTS);
        assert.ok(oncall.every((a) => a.expiresAt === "2027-01-31T00:00:00.000Z"));
    });

    it("creates assignments for groups only, with the permission set ARN and the group's identity-store id", () => {
        for (const a of ofType(run, ASSIGNMENT)) {
            assert.equal(a.props.principalType, "GROUP");
            assert.equal(a.props.targetType, "AWS_ACCOUNT");
            assert.match(String(a.props.permissionSetArn), /^arn:aws:sso:::permissionSet\/ssoins-/);
            assert.match(String(a.props.principalId), /^[0-9a-f-]{36}$/);
        }
    });
});

describe("program under mocks: dev on the example org", function () {
    it("gives developers power-user in Dev and Sandbox and read-only in Prod", async () => {
        const run = await runWith("dev", stackConfig("dev"));
        assert.deepEqual(accountsOf(run, "developers", "power-user"), [...SANDBOX, ...DEV_ACCOUNTS].sort());
        assert.deepEqual(accountsOf(run, "developers", "read-only"), PROD_ACCOUNTS);
        assert.ok(!accountsOf(run, "platform-admins", "admin").includes(MANAGEMENT));
        assert.equal(ofType(run, "idfed:entra:FederatedGroup").length, 6);
        assert.equal(registered(run).length > 60, true);
    });

    it("with allowManagementAccount false, drops the management account even when named explicitly", async () => {
        const config = stackConfig("dev");
        config["idfed:allowManagementAccount"] = false;
        const run = await runWith("dev", config);
        assert.deepEqual(accountsOf(run, "billing", "billing"), []);
        assert.ok(!triples(run).some((t) => t.startsWith(MANAGEMENT)));
        assert.ok(exampleOrg().accounts.some((a) => a.id === MANAGEMENT));
    });
});
