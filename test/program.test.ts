import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { ASSIGNMENT, ofType, orgOf, runWith, stackConfig } from "./helpers";
import { fakeGuid, mockIdentityStoreGroupId, mockPermissionSetArn, ProgramRun, PROJECT_ROOT } from "../offline";
import { assignmentResourceName } from "../stacks/org/names";
import { stablePolicyJson } from "../stacks/documents/policy-json";

/** `account/group/permissionSet` triples from the registered assignments' inputs and the grants metadata. */
function triples(run: ProgramRun): string[] {
    const comp = run.resources.find((r) => r.type === "idfed:aws:AccountAssignments");
    const grants = (comp?.outputs?.grants ?? []) as { accountId: string; groupKey: string; permissionSetKey: string }[];
    return grants.map((g) => `${g.accountId}/${g.groupKey}/${g.permissionSetKey}`).sort();
}

function accountsOf(run: ProgramRun, group: string, ps: string): string[] {
    return triples(run)
        .filter((t) => t.endsWith(`/${group}/${ps}`))
        .map((t) => t.split("/")[0])
        .sort();
}

const DEV_ACCOUNTS = ["710000000001", "710000000002", "710000000003"];
const PROD_ACCOUNTS = ["720000000001", "720000000002", "720000000003"];
const SANDBOX = ["081000000002", "810000000001"];
const SECURITY = ["222222222222", "333333333333"];
const INFRA = ["444444444444", "555555555555", "666666666666"];
const WORKLOADS_DIRECT = ["700000000001"];
const MANAGEMENT = "111111111111";
const SUSPENDED = "990000000001";

/** The prod example's config with a recognisable SCIM token (the shipped file holds only ciphertext). */
const TOKEN = "scim-tok-3f9a1c7e-NEVER-PRINT-ME";
type GroupsConfig = Record<string, { displayName: string }>;
type PermissionSetsConfig = Record<
    string,
    {
        name: string;
        sessionDuration?: string;
        inlinePolicy?: string;
        managedPolicies?: string[];
        permissionsBoundary?: { customerManagedPolicy?: { name: string; path: string }; managedPolicyArn?: string };
    }
>;

/**
 * Golden tests of the prod example: what the components do is tested one at a time in test/components/; here,
 * the access matrix against a hand-computed expectation and the program's wiring (one component per config key,
 * ids passed from one component to the next, the SCIM token secret end to end). Counts come from the config.
 */
describe("program under mocks: prod on the example org (golden)", function () {
    let run: ProgramRun;
    let config: Record<string, unknown>;
    before(async () => {
        config = stackConfig("prod");
        config["idfed:scimToken"] = TOKEN;
        run = await runWith("prod", config);
    });

    it("registers one component per config key (app, groups, permission sets with every policy kind as configured, assignments)", () => {
        const names = (t: string) =>
            ofType(run, t)
                .map((r) => r.name)
                .sort();
        const groups = Object.keys(config["idfed:groups"] as GroupsConfig);
        const sets = config["idfed:permissionSets"] as PermissionSetsConfig;
        assert.deepEqual(names("idfed:entra:IdentityCenterApp"), ["entra-app"]);
        assert.deepEqual(names("idfed:entra:FederatedGroup"), groups.map((k) => `group-${k}`).sort());
        assert.deepEqual(
            names("idfed:aws:PermissionSet"),
            Object.keys(sets)
                .map((k) => `ps-${k}`)
                .sort(),
        );
        assert.deepEqual(names("idfed:aws:AccountAssignments"), ["assignments"]);
        assert.equal(
            ofType(run, "azuread:index/appRoleAssignment:AppRoleAssignment").length,
            groups.length,
            "every federated group is assigned to the app",
        );
        // The permission sets carry their config (inline policies from their files, keys sorted).
        for (const [key, ps] of Object.entries(sets)) {
            const r = run.resources.find((x) => x.name === `ps-${key}` && x.type === "aws:ssoadmin/permissionSet:PermissionSet");
            assert.equal(r?.props.name, ps.name);
            assert.equal(r?.props.sessionDuration, ps.sessionDuration ?? "PT1H");
            const managed = run.resources.filter(
                (x) =>
                    x.type === "aws:ssoadmin/managedPolicyAttachment:ManagedPolicyAttachment" &&
                    x.parent === r?.parent &&
                    x.name.startsWith(`ps-${key}-managed-`),
            );
            assert.deepEqual(managed.map((x) => x.props.managedPolicyArn).sort(), [...(ps.managedPolicies ?? [])].sort(), key);
            const boundary = run.resources.find((x) => x.name === `ps-${key}-boundary`)?.props.permissionsBoundary;
            const b = ps.permissionsBoundary;
            assert.deepEqual(
                boundary,
                b === undefined
                    ? undefined
                    : b.customerManagedPolicy !== undefined
                      ? { customerManagedPolicyReference: b.customerManagedPolicy }
                      : { managedPolicyArn: b.managedPolicyArn },
                key,
            );
            const inline = run.resources.find((x) => x.name === `ps-${key}-inline`);
            if (ps.inlinePolicy === undefined) assert.equal(inline, undefined, key);
            else
                assert.equal(
                    inline?.props.inlinePolicy,
                    stablePolicyJson(JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, ps.inlinePolicy), "utf8"))),
                    key,
                );
        }
    });

    it("the access matrix matches the hand-computed expectation: nested OUs, exclusions, never management or suspended accounts by default", () => {
        // platform-admins/admin: root, minus management (excluded), minus the Security OU (excluded), minus suspended.
        assert.deepEqual(
            accountsOf(run, "platform-admins", "admin"),
            [...SANDBOX, ...INFRA, ...WORKLOADS_DIRECT, ...DEV_ACCOUNTS, ...PROD_ACCOUNTS].sort(),
        );
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
        assert.deepEqual(
            expired.map((g) => `${g.accountId}/${g.groupKey}`),
            ["555555555555/oncall"],
        );
        assert.ok(!triples(run).includes("555555555555/oncall/oncall-operator"));
        const access = run.outputs.access as { accountId: string; group: string; expiresAt?: string }[];
        const oncall = access.filter((a) => a.group === "oncall");
        assert.deepEqual(oncall.map((a) => a.accountId).sort(), PROD_ACCOUNTS);
        assert.ok(oncall.every((a) => a.expiresAt === "2027-01-31T00:00:00.000Z"));
    });

    it("wires each assignment to its permission set's ARN and its group's identity-store id (one per grant, by stable name)", () => {
        const comp = run.resources.find((r) => r.type === "idfed:aws:AccountAssignments");
        const grants = comp?.outputs?.grants as { accountId: string; groupKey: string; permissionSetKey: string }[];
        const groups = config["idfed:groups"] as GroupsConfig;
        const instanceArn = orgOf("prod").instanceArn;
        for (const g of grants) {
            const a = run.resources.find((r) => r.type === ASSIGNMENT && r.name === assignmentResourceName("assignments", g));
            assert.deepEqual(a?.props, {
                instanceArn,
                permissionSetArn: mockPermissionSetArn(instanceArn, `ps-${g.permissionSetKey}`),
                principalId: mockIdentityStoreGroupId(groups[g.groupKey].displayName),
                principalType: "GROUP",
                targetId: g.accountId,
                targetType: "AWS_ACCOUNT",
            });
        }
    });

    it("wires the guardrails: PIM on the Entra object of the configured group, the enabled sections as configured", () => {
        const guardrails = config["idfed:guardrails"] as Record<string, { enabled?: boolean; pim?: Record<string, unknown> }>;
        const order = ["rootLockdown", "iamUsers", "crossAccountRoles", "samlStackSets", "jit", "audit", "breakGlass"];
        assert.deepEqual(
            ofType(run, "idfed:guardrails:Guardrails")[0].outputs?.enabled,
            order.filter((k) => guardrails[k]?.enabled === true),
        );
        const pimGroups = Object.keys(guardrails.jit?.pim ?? {});
        assert.ok(pimGroups.length > 0, "the example uses PIM");
        const policies = ofType(run, "azuread:index/groupRoleManagementPolicy:GroupRoleManagementPolicy");
        assert.deepEqual(
            policies.map((p) => p.props.groupId).sort(),
            pimGroups.map((k) => fakeGuid(`azuread:index/group:Group:group-${k}`)).sort(),
        );
    });

    it("the SCIM token is a secret in the provisioning resource and absent from stack outputs and every other resource", () => {
        const secret = ofType(run, "azuread:index/synchronizationSecret:SynchronizationSecret")[0];
        const credentials = secret.props.credentials as Record<string, unknown>;
        assert.equal(credentials[pulumi.runtime.specialSigKey], pulumi.runtime.specialSecretSig, "credentials are not marked secret");
        assert.ok(JSON.stringify(credentials).includes(TOKEN), "the provider gets the token");
        assert.ok(!JSON.stringify(run.outputs).includes(TOKEN), "token in stack outputs");
        for (const r of run.resources) {
            if (r === secret) continue;
            assert.ok(!JSON.stringify(r.props).includes(TOKEN), `token in inputs of ${r.urn}`);
            assert.ok(!JSON.stringify(r.outputs ?? {}).includes(TOKEN), `token in outputs of ${r.urn}`);
        }
    });
});

describe("program under mocks: dev on its own organization (stacks/orgs/dev.yaml)", function () {
    const DEV_MANAGEMENT = "300000000000";
    it("gives developers power-user in Dev and Sandbox and read-only in Staging; skips the account pending closure", async () => {
        const run = await runWith("dev", stackConfig("dev"));
        assert.deepEqual(accountsOf(run, "developers", "power-user"), ["321000000001", "321000000002", "330000000001"]);
        assert.deepEqual(accountsOf(run, "developers", "read-only"), ["322000000001"]);
        assert.ok(!triples(run).some((t) => t.startsWith("330000000002")), "PENDING_CLOSURE account targeted");
        assert.ok(!accountsOf(run, "platform-admins", "admin").includes(DEV_MANAGEMENT));
        assert.equal(ofType(run, "idfed:entra:FederatedGroup").length, Object.keys(stackConfig("dev")["idfed:groups"] as object).length);
    });

    it("with allowManagementAccount false, drops the management account even when named explicitly", async () => {
        const config = stackConfig("dev");
        config["idfed:allowManagementAccount"] = false;
        const run = await runWith("dev", config);
        assert.deepEqual(accountsOf(run, "billing", "billing"), []);
        assert.ok(!triples(run).some((t) => t.startsWith(DEV_MANAGEMENT)));
        assert.ok(orgOf("dev").accounts.some((a) => a.id === DEV_MANAGEMENT));
    });

    it("dev and prod describe two organizations that can exist side by side", () => {
        const dev = orgOf("dev");
        const prod = orgOf("prod");
        assert.notEqual(dev.managementAccountId, prod.managementAccountId);
        assert.notEqual(dev.identityStoreId, prod.identityStoreId);
        assert.notEqual(dev.instanceArn, prod.instanceArn);
        const ids = (o: typeof dev) =>
            [
                ...o.accounts,
                ...o.ous.flatMap(function all(u): { id: string }[] {
                    return [...u.accounts, ...u.ous.flatMap(all)];
                }),
            ].map((a) => a.id);
        assert.deepEqual(
            ids(dev).filter((id) => ids(prod).includes(id)),
            [],
        );
        const entra = (s: "dev" | "prod") => stackConfig(s)["idfed:entra"] as { saml: { entityId: string }; scim: { endpoint: string } };
        assert.ok(entra("dev").saml.entityId.endsWith(dev.identityStoreId));
        assert.ok(entra("prod").saml.entityId.endsWith(prod.identityStoreId));
        assert.notEqual(entra("dev").scim.endpoint, entra("prod").scim.endpoint);
    });
});
