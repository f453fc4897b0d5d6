/**
 * The first real rollout, against mocks that answer in the shapes Entra and AWS really return
 * (scripts/lib/real-shapes/*.ts, each with its source). Every test here failed on the code before issue 10.
 */
import { strict as assert } from "assert";
import { exampleOrg, ofType, runWith, stackConfig } from "./helpers";
import { realShapesEntra } from "../offline";
const { servicePrincipalNotFound, SERVICE_PRINCIPAL_APP_ROLES } = realShapesEntra;
import { ZERO_ROLE_ID } from "../components/appRole";
import { OrgTree } from "../stacks/model";

const USER_ROLE = SERVICE_PRINCIPAL_APP_ROLES[0].id;
type Entra = { appDisplayName?: string; appRole?: string; saml: Record<string, unknown>; scim?: Record<string, unknown> };
const entraOf = (c: Record<string, unknown>) => c["idfed:entra"] as Entra;

function fakeClock() {
    let t = 0;
    const delays: number[] = [];
    return {
        delays,
        now: () => t,
        sleep: async (ms: number) => {
            delays.push(ms);
            t += ms;
        },
    };
}

describe("Entra side, against the gallery app's real answers", function () {
    it("assigns groups with the `User` role picked by display name (the roles have no value), never the all-zero id", async () => {
        const run = await runWith("prod", stackConfig("prod"));
        const assignments = ofType(run, "azuread:index/appRoleAssignment:AppRoleAssignment");
        assert.equal(assignments.length, Object.keys(stackConfig("prod")["idfed:groups"] as object).length, "one per configured group");
        for (const a of assignments) {
            assert.equal(a.props.appRoleId, USER_ROLE);
            assert.notEqual(a.props.appRoleId, ZERO_ROLE_ID);
        }
    });

    it("fails clearly, naming the roles that exist, when the configured role is absent", async () => {
        const config = stackConfig("prod");
        entraOf(config).appRole = "Administrator";
        await assert.rejects(runWith("prod", config), /no app role named `Administrator`; its roles are `User`, `msiam_access`/);
    });

    it("creates the job from template `aWSSingleSignon` and provisions every group on demand with the template's rule id", async () => {
        const run = await runWith("prod", stackConfig("prod"));
        const [job] = ofType(run, "azuread:index/synchronizationJob:SynchronizationJob");
        assert.equal(job.props.templateId, "aWSSingleSignon");
        const requests = ofType(run, "azuread:index/synchronizationJobProvisionOnDemand:SynchronizationJobProvisionOnDemand");
        assert.equal(requests.length, Object.keys(stackConfig("prod")["idfed:groups"] as object).length, "one per configured group");
        for (const r of requests) {
            const [p] = r.props.parameters as { ruleId: string; subjects: { objectTypeName: string }[] }[];
            assert.equal(p.ruleId, "03f7d90d-bf71-41b1-bda6-aaf0ddbee5d8");
            assert.equal(p.subjects[0].objectTypeName, "Group");
            assert.match(String(r.props.synchronizationJobId), /^aWSSingleSignon\.[0-9a-f]{32}\.[0-9a-f-]{36}$/);
        }
    });

    it("writes the identifier URI and reply URL only after the service principal is in SAML mode", async () => {
        const run = await runWith("prod", stackConfig("prod"));
        const [sp] = ofType(run, "azuread:index/servicePrincipal:ServicePrincipal");
        assert.equal(sp.props.preferredSingleSignOnMode, "saml");
        for (const t of [
            "azuread:index/applicationIdentifierUri:ApplicationIdentifierUri",
            "azuread:index/applicationRedirectUris:ApplicationRedirectUris",
        ]) {
            const [r] = ofType(run, t);
            assert.ok(r.dependencies?.includes(sp.urn), `${t} does not depend on the service principal`);
        }
    });

    it("reads the new service principal through Entra's replication delay", async () => {
        let calls = 0;
        const clock = fakeClock();
        const sp = (i: Record<string, unknown>) => {
            calls++;
            if (calls <= 2) throw new Error(servicePrincipalNotFound(String(i.objectId)));
            return {
                id: `/servicePrincipals/${String(i.objectId)}`,
                objectId: i.objectId,
                clientId: "2fbc8259-0f56-4f56-9870-93a228020936",
                displayName: "AWS IAM Identity Center",
                appRoles: [],
                appRoleIds: {},
            };
        };
        const run = await runWith("prod", stackConfig("prod"), {
            preview: false,
            poll: { sleep: clock.sleep, now: clock.now },
            invokes: new Map([["azuread:index/getServicePrincipal:getServicePrincipal", sp]]),
        });
        assert.equal(calls, 3);
        assert.equal(
            ofType(run, "azuread:index/servicePrincipal:ServicePrincipal")[0].props.clientId,
            "2fbc8259-0f56-4f56-9870-93a228020936",
        );
    });

    it("keeps the signing certificate when the app is renamed; rotation gives a fresh end date", async () => {
        const cert = async (mutate: (e: Entra) => void) => {
            const config = stackConfig("prod");
            mutate(entraOf(config));
            return ofType(
                await runWith("prod", config),
                "azuread:index/servicePrincipalTokenSigningCertificate:ServicePrincipalTokenSigningCertificate",
            )[0].props;
        };
        const before = await cert(() => undefined);
        const renamed = await cert((e) => {
            e.appDisplayName = "AWS access (renamed)";
        });
        assert.deepEqual(renamed, before);
        const rotated = await cert((e) => {
            e.saml.certificateIssuedOn = "2029-06-01";
        });
        assert.equal(rotated.endDate, "2032-06-01T00:00:00.000Z");
    });
});

describe("AWS side, against Organizations' real answers", function () {
    it("targets only ACTIVE accounts (state; the retired status is empty)", async () => {
        const org = exampleOrg();
        const withState = (state: string): OrgTree => ({
            ...org,
            ous: org.ous.map((u) =>
                u.id !== "ou-ab12-security"
                    ? u
                    : { ...u, accounts: u.accounts.map((a) => (a.id === "333333333333" ? { ...a, state } : a)) },
            ),
        });
        for (const state of ["PENDING_CLOSURE", "SUSPENDED", "CLOSED", "PENDING_ACTIVATION"]) {
            const run = await runWith("prod", stackConfig("prod"), { org: withState(state) });
            const targets = ofType(run, "aws:ssoadmin/accountAssignment:AccountAssignment").map((a) => a.props.targetId);
            assert.ok(!targets.includes("333333333333"), `${state} account targeted`);
            assert.ok(targets.includes("222222222222"));
        }
    });

    it("checks organization prerequisites before any resource, naming the one-time step", async () => {
        const org: OrgTree = { ...exampleOrg(), trustedAccess: ["sso.amazonaws.com"], rootPolicyTypes: [] };
        await assert.rejects(runWith("prod", stackConfig("prod"), { org }), (err: Error & { capturedResources?: unknown[] }) => {
            assert.match(err.message, /enable-policy-type --root-id r-ab12 --policy-type SERVICE_CONTROL_POLICY/);
            assert.match(err.message, /enable-aws-service-access --service-principal cloudtrail\.amazonaws\.com/);
            assert.match(err.message, /activate-organizations-access/);
            assert.ok((err.capturedResources ?? []).every((r) => (r as { type: string }).type === "pulumi:pulumi:Stack"));
            return true;
        });
    });
});

describe("safety of names", function () {
    it("rejects two grants that would share one resource name (hyphens in keys), before any resource", async () => {
        const config = stackConfig("prod");
        const groups = config["idfed:groups"] as Record<string, unknown>;
        const sets = config["idfed:permissionSets"] as Record<string, unknown>;
        groups["a-b"] = { displayName: "AWS-Prod-AB" };
        groups.a = { displayName: "AWS-Prod-A" };
        sets.c = { name: "C", managedPolicies: ["arn:aws:iam::aws:policy/ReadOnlyAccess"] };
        sets["b-c"] = { name: "BC", managedPolicies: ["arn:aws:iam::aws:policy/ReadOnlyAccess"] };
        (config["idfed:assignments"] as unknown[]).push(
            { group: "a-b", permissionSet: "c", accounts: ["222222222222"] },
            { group: "a", permissionSet: "b-c", accounts: ["222222222222"] },
        );
        await assert.rejects(runWith("prod", config), /assignments-222222222222-a-b-c/);
    });
});

describe("the plan shows what would be sent", function () {
    it("`--format json` gives every resource's inputs, the SCIM token only as [secret]", async () => {
        const { runPlan } = await import("../offline");
        const { SECRET_PLACEHOLDER } = await import("../stacks/config/stack-config");
        const { plan } = await runPlan({ stack: "prod", policies: false, now: new Date("2026-11-23T00:00:00Z") });
        const text = JSON.stringify(plan.resources);
        assert.ok(!text.includes(SECRET_PLACEHOLDER), "the SCIM token placeholder appears in the plan");
        assert.ok(plan.resources.every((r) => "inputs" in r));
        const secret = plan.resources.find((r) => r.type === "azuread:index/synchronizationSecret:SynchronizationSecret");
        // One secret element makes the whole list secret, as `pulumi preview --json` shows it.
        assert.equal((secret?.inputs as { credentials: unknown }).credentials, "[secret]");
        assert.match(String((secret?.inputs as { servicePrincipalId: unknown }).servicePrincipalId), /^\/servicePrincipals\//);
        const a = plan.resources.find((r) => r.type === "aws:ssoadmin/accountAssignment:AccountAssignment");
        assert.equal((a?.inputs as { principalType: string }).principalType, "GROUP");
        assert.equal(plan.rollout?.stage, 3);
    });
});

describe("alerts: every enabled region, one event → one alert", function () {
    it("root activity and break-glass use are matched once in each enabled region and alerted once", async () => {
        const { ENABLED_REGIONS } = (await import("../offline")).realShapesAws;
        const run = await runWith("prod", stackConfig("prod"));
        const rules = ofType(run, "aws:cloudwatch/eventRule:EventRule");
        const matching = (needle: string) => rules.filter((r) => String(r.props.eventPattern).includes(needle));
        for (const needle of ['"Root"', "break-glass"]) {
            const regions = matching(needle)
                .map((r) => String(r.props.region))
                .sort();
            assert.deepEqual(regions, [...ENABLED_REGIONS].sort(), `${needle}: ${regions.join(",")}`);
        }
        // Rules outside us-east-1 forward to the us-east-1 bus; only us-east-1 rules publish to SNS.
        const targets = ofType(run, "aws:cloudwatch/eventTarget:EventTarget");
        const forwards = targets.filter((t) => t.props.targetId === "home-bus");
        assert.ok(
            forwards.length > 0 &&
                forwards.every(
                    (t) =>
                        /^arn:aws:events:us-east-1:\d{12}:event-bus\/default$/.test(String(t.props.arn)) && t.props.region !== "us-east-1",
                ),
        );
        assert.ok(targets.filter((t) => t.props.targetId === "sns").every((t) => t.props.region !== undefined));
    });
});

describe("customer-managed policies exist where assignments use them", function () {
    it("fails before any resource, naming the policy and the accounts, when a referenced policy is not declared", async () => {
        const config = stackConfig("prod");
        delete config["idfed:customerManagedPolicies"];
        await assert.rejects(runWith("prod", config), (err: Error) => {
            assert.match(
                err.message,
                /customer-managed policy `\/idfed\/idfed-developer-boundary`, which must exist in account\(s\) 081000000002, 710000000001, 710000000002, 710000000003, 810000000001/,
            );
            assert.match(err.message, /`idfed:customerManagedPolicies\.idfed-oncall-boundary`/);
            return true;
        });
    });

    it("creates them by StackSet in the OUs of the accounts that need them, directly in the management account, before the assignments", async () => {
        const config = stackConfig("prod");
        (config["idfed:assignments"] as unknown[]).push({ group: "developers", permissionSet: "developer", accounts: ["111111111111"] });
        const run = await runWith("prod", config);
        const [stackSet] = ofType(run, "aws:cloudformation/stackSet:StackSet").filter((s) => s.name === "customer-policies-stackset");
        assert.equal(stackSet.props.permissionModel, "SERVICE_MANAGED");
        const template = JSON.parse(String(stackSet.props.templateBody)) as {
            Resources: Record<string, { Properties: { ManagedPolicyName: string; Path: string } }>;
        };
        assert.deepEqual(
            Object.values(template.Resources)
                .map((r) => `${r.Properties.Path}${r.Properties.ManagedPolicyName}`)
                .sort(),
            ["/idfed/idfed-developer-boundary", "/idfed/idfed-oncall-boundary"],
        );
        const instances = ofType(run, "aws:cloudformation/stackSetInstance:StackSetInstance").filter((i) =>
            i.name.startsWith("customer-policies-"),
        );
        assert.deepEqual(
            instances.map((i) => (i.props.deploymentTargets as { organizationalUnitIds: string[] }).organizationalUnitIds[0]).sort(),
            ["ou-ab12-sandbox1", "ou-ab12-wkdev001", "ou-ab12-wkprd001"],
        );
        const mgmt = ofType(run, "aws:iam/policy:Policy").filter((p) => p.name.startsWith("customer-policies-management-"));
        assert.deepEqual(
            mgmt.map((p) => `${String(p.props.path)}${String(p.props.name)}`),
            ["/idfed/idfed-developer-boundary"],
        );
        const devAssignments = ofType(run, "aws:ssoadmin/accountAssignment:AccountAssignment").filter((a) =>
            a.name.endsWith("-developers-developer"),
        );
        assert.ok(devAssignments.length > 0);
        for (const a of devAssignments) {
            for (const r of [...instances, ...mgmt]) assert.ok(a.dependencies?.includes(r.urn), `${a.name} does not wait for ${r.name}`);
        }
    });
});

describe("the offline engine refuses duplicate URNs, as the real one does", function () {
    it("a second registration of the same type, name and parent fails; other names pass", async () => {
        const { refuseDuplicateUrns } = await import("../offline");
        const registered: string[] = [];
        const monitor = {
            registerResource(req: { getName(): string }, cb: (err: unknown) => void) {
                registered.push(req.getName());
                cb(null);
            },
        };
        refuseDuplicateUrns(monitor as never, "idfed", "prod");
        const req = (name: string, parent = "urn:pulumi:prod::idfed::idfed:aws:AccountAssignments::assignments") => ({
            getType: () => "aws:ssoadmin/accountAssignment:AccountAssignment",
            getName: () => name,
            getParent: () => parent,
            getProtect: () => false,
            getCustom: () => true,
            getObject: () => ({}),
            getDependenciesList: () => [],
        });
        const errors: unknown[] = [];
        for (const r of [
            req("assignments-222222222222-a-b-c"),
            req("assignments-222222222222-a-b-c"),
            req("other"),
            req("assignments-222222222222-a-b-c", "urn:pulumi:prod::idfed::idfed:aws:Other::x"),
        ]) {
            monitor.registerResource(r as never, (err: unknown) => errors.push(err));
        }
        assert.deepEqual(registered, ["assignments-222222222222-a-b-c", "other", "assignments-222222222222-a-b-c"]);
        assert.match(
            String(errors[1]),
            /Duplicate resource URN 'urn:pulumi:prod::idfed::idfed:aws:AccountAssignments\$aws:ssoadmin\/accountAssignment:AccountAssignment::assignments-222222222222-a-b-c'/,
        );
        assert.equal(errors.filter((e) => e !== null).length, 1);
    });
});
