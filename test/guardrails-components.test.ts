import { strict as assert } from "assert";
import { CapturedResource, ProgramRun } from "../offline";
import { ofType, runWith, stackConfig } from "./helpers";

const T = {
    scp: "aws:organizations/policy:Policy", scpAttach: "aws:organizations/policyAttachment:PolicyAttachment",
    rule: "aws:cloudwatch/eventRule:EventRule", target: "aws:cloudwatch/eventTarget:EventTarget", topic: "aws:sns/topic:Topic",
    sub: "aws:sns/topicSubscription:TopicSubscription", topicPolicy: "aws:sns/topicPolicy:TopicPolicy",
    trail: "aws:cloudtrail/trail:Trail", key: "aws:kms/key:Key", bucket: "aws:s3/bucket:Bucket", bucketPolicy: "aws:s3/bucketPolicy:BucketPolicy",
    versioning: "aws:s3/bucketVersioning:BucketVersioning", pab: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
    sse: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    lifecycle: "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
    stackSet: "aws:cloudformation/stackSet:StackSet", instance: "aws:cloudformation/stackSetInstance:StackSetInstance",
    user: "aws:iam/user:User", group: "aws:iam/group:Group", groupPolicy: "aws:iam/groupPolicy:GroupPolicy",
    groupAttach: "aws:iam/groupPolicyAttachment:GroupPolicyAttachment", membership: "aws:iam/userGroupMembership:UserGroupMembership",
    accessKey: "aws:iam/accessKey:AccessKey", loginProfile: "aws:iam/userLoginProfile:UserLoginProfile", userPolicy: "aws:iam/userPolicy:UserPolicy",
    userAttach: "aws:iam/userPolicyAttachment:UserPolicyAttachment", role: "aws:iam/role:Role", iamPolicy: "aws:iam/policy:Policy",
    roleAttach: "aws:iam/rolePolicyAttachment:RolePolicyAttachment", passwordPolicy: "aws:iam/accountPasswordPolicy:AccountPasswordPolicy",
    cfgRule: "aws:cfg/rule:Rule", provider: "pulumi:providers:aws",
    pimPolicy: "azuread:index/groupRoleManagementPolicy:GroupRoleManagementPolicy",
    pimSchedule: "azuread:index/privilegedAccessGroupEligibilitySchedule:PrivilegedAccessGroupEligibilitySchedule",
} as const;

type Doc = { Statement: { Sid?: string; Effect: string; Action?: unknown; Principal?: unknown; Condition?: Record<string, Record<string, unknown>> }[] };
const json = (v: unknown): Doc => JSON.parse(String(v)) as Doc;
/** Unwraps Pulumi's secret signature objects as the run captures them. */
function reveal(v: unknown): unknown {
    const o = v as { value?: unknown } | null;
    return o !== null && typeof o === "object" && "value" in o ? o.value : v;
}
const under = (run: ProgramRun, componentType: string) => {
    const comp = run.resources.filter((r) => r.type === componentType).map((r) => r.urn);
    return (r: CapturedResource) => r.parent !== undefined && comp.includes(r.parent);
};

describe("guardrails under mocks: the prod stack (1, 4, 5, 6, 7)", function () {
    let run: ProgramRun;
    before(async () => {
        run = await runWith("prod", stackConfig("prod"));
    });

    it("registers exactly the enabled guardrails and no IAM-users or cross-account resources", () => {
        const g = ofType(run, "idfed:guardrails:Guardrails");
        assert.equal(g.length, 1);
        assert.deepEqual(g[0].outputs?.enabled, ["rootLockdown", "samlStackSets", "jit", "audit", "breakGlass"]);
        for (const t of ["IamUsers", "CrossAccountRoles"]) assert.equal(ofType(run, `idfed:guardrails:${t}`).length, 0, t);
        for (const t of [T.passwordPolicy, T.cfgRule, T.role, T.iamPolicy, T.accessKey, T.loginProfile, T.userPolicy, T.userAttach]) {
            assert.equal(ofType(run, t).length, 0, t);
        }
    });

    it("1: the SCP denies root principals on the org root, and root activity alerts", () => {
        const [scp] = ofType(run, T.scp);
        assert.equal(scp.props.type, "SERVICE_CONTROL_POLICY");
        const [s] = json(scp.props.content).Statement;
        assert.equal(s.Effect, "Deny");
        assert.equal(s.Action, "*");
        assert.deepEqual(s.Condition?.StringLike, { "aws:PrincipalArn": ["arn:aws:iam::*:root"] });
        assert.deepEqual(ofType(run, T.scpAttach).map((a) => a.props.targetId), ["r-ab12"]);
        const rule = ofType(run, T.rule).find((r) => r.name === "guardrails-root-lockdown-alerts-root-activity");
        assert.deepEqual(JSON.parse(String(rule?.props.eventPattern)).detail, { userIdentity: { type: ["Root"] } });
        assert.equal(rule?.props.region, "us-east-1");
    });

    it("4: a service-managed StackSet with auto-deployment to the Workloads OU, SAML:aud in every role trust", () => {
        const [ss] = ofType(run, T.stackSet);
        assert.equal(ss.props.permissionModel, "SERVICE_MANAGED");
        assert.deepEqual(ss.props.autoDeployment, { enabled: true, retainStacksOnAccountRemoval: false });
        assert.deepEqual(ss.props.capabilities, ["CAPABILITY_NAMED_IAM"]);
        assert.equal(ss.props.callAs, "SELF");
        const t = JSON.parse(String(ss.props.templateBody)) as { Resources: Record<string, { Type: string; Properties: { AssumeRolePolicyDocument?: Doc; SamlMetadataDocument?: string } }> };
        const roles = Object.values(t.Resources).filter((r) => r.Type === "AWS::IAM::Role");
        assert.equal(roles.length, 2);
        for (const r of roles) assert.deepEqual(r.Properties.AssumeRolePolicyDocument?.Statement[0].Condition, { StringEquals: { "SAML:aud": "https://signin.aws.amazon.com/saml" } });
        assert.match(String(t.Resources.SamlProvider.Properties.SamlMetadataDocument), /EntityDescriptor/);
        const [inst] = ofType(run, T.instance);
        assert.deepEqual(inst.props.deploymentTargets, { organizationalUnitIds: ["ou-ab12-workload"] });
        assert.equal(inst.props.stackSetInstanceRegion, "eu-west-1");
    });

    it("5: PIM on the on-call group's Entra object: bounded activation with MFA and approval, expiring eligibility", () => {
        const [policy] = ofType(run, T.pimPolicy);
        const oncallGroup = ofType(run, "azuread:index/group:Group").find((g) => g.props.displayName === "AWS-Prod-OnCall");
        assert.ok(oncallGroup);
        const schedules = ofType(run, T.pimSchedule);
        assert.equal(schedules.length, 2);
        for (const s of [policy, ...schedules]) assert.match(String(s.props.groupId), /^[0-9a-f-]{36}$/);
        assert.equal(new Set([policy, ...schedules].map((s) => s.props.groupId)).size, 1);
        assert.equal(policy.props.roleId, "member");
        const act = policy.props.activationRules as Record<string, unknown>;
        assert.equal(act.maximumDuration, "PT8H");
        assert.equal(act.requireMultifactorAuthentication, true);
        assert.equal(act.requireApproval, true);
        assert.deepEqual(policy.props.eligibleAssignmentRules, { expirationRequired: true, expireAfter: "P90D" });
        for (const s of schedules) {
            assert.equal(s.props.assignmentType, "member");
            assert.equal(s.props.duration, "P90D");
            assert.equal(s.props.permanentAssignment, undefined);
        }
    });

    it("6: an org trail (multi-region, validation, KMS) into a locked-down bucket, with activity alerts", () => {
        const [trail] = ofType(run, T.trail);
        assert.equal(trail.props.isOrganizationTrail, true);
        assert.equal(trail.props.isMultiRegionTrail, true);
        assert.equal(trail.props.enableLogFileValidation, true);
        assert.match(String(trail.props.kmsKeyId), /^arn:aws:kms:/);
        assert.equal(trail.props.s3BucketName, "idfed-org-trail-111111111111");
        assert.equal(ofType(run, T.key)[0].props.enableKeyRotation, true);
        assert.deepEqual(ofType(run, T.versioning)[0].props.versioningConfiguration, { status: "Enabled" });
        const pab = ofType(run, T.pab)[0].props;
        assert.deepEqual([pab.blockPublicAcls, pab.blockPublicPolicy, pab.ignorePublicAcls, pab.restrictPublicBuckets], [true, true, true, true]);
        assert.equal((ofType(run, T.sse)[0].props.rules as { applyServerSideEncryptionByDefault: { sseAlgorithm: string } }[])[0].applyServerSideEncryptionByDefault.sseAlgorithm, "aws:kms");
        assert.equal(ofType(run, T.lifecycle).length, 1);
        const st = json(ofType(run, T.bucketPolicy)[0].props.policy).Statement;
        assert.deepEqual(st.find((s) => s.Sid === "DenyInsecureTransport")?.Condition, { Bool: { "aws:SecureTransport": "false" } });
        assert.equal(st.find((s) => s.Sid === "DenyLogDeletion")?.Effect, "Deny");
        const names = ofType(run, T.rule).map((r) => r.name).filter((n) => n.startsWith("guardrails-audit")).sort();
        assert.deepEqual(names, ["guardrails-audit-identity-center-account-assignments", "guardrails-audit-identity-center-permission-set-changes",
            "guardrails-audit-signin-console-signin-without-mfa", "guardrails-audit-signin-root-activity"]);
        const ps = ofType(run, T.rule).find((r) => r.name === "guardrails-audit-identity-center-permission-set-changes");
        assert.ok(JSON.parse(String(ps?.props.eventPattern)).detail.eventName.includes("PutInlinePolicyToPermissionSet"));
        assert.equal(ofType(run, T.target).length, ofType(run, T.rule).length);
    });

    it("7: protected break-glass users with no access keys, in a group requiring MFA, alarmed on any use", () => {
        const inBreakGlass = under(run, "idfed:guardrails:BreakGlass");
        const users = ofType(run, T.user).filter(inBreakGlass);
        assert.deepEqual(users.map((u) => u.props.name), ["breakglass-1", "breakglass-2"]);
        for (const u of users) assert.equal(u.protect, true, u.name);
        for (const m of ofType(run, T.membership).filter(inBreakGlass)) assert.equal(m.protect, true);
        assert.equal(ofType(run, T.group).filter(inBreakGlass)[0].protect, true);
        const mfa = ofType(run, T.groupPolicy).filter(inBreakGlass);
        assert.deepEqual(json(mfa[0].props.policy).Statement[1].Condition, { BoolIfExists: { "aws:MultiFactorAuthPresent": "false" } });
        assert.equal(ofType(run, T.accessKey).length + ofType(run, T.loginProfile).length, 0);
        const rule = ofType(run, T.rule).find((r) => r.name === "guardrails-break-glass-alerts-use");
        assert.deepEqual(JSON.parse(String(rule?.props.eventPattern)).detail.userIdentity.arn,
            ["arn:aws:iam::111111111111:user/idfed/break-glass/breakglass-1", "arn:aws:iam::111111111111:user/idfed/break-glass/breakglass-2"]);
        const subs = ofType(run, T.sub).filter((s) => s.name.startsWith("guardrails-break-glass"));
        assert.deepEqual(subs.map((s) => s.props.endpoint).sort(), ["cto@example.com", "security-oncall@example.com"]);
        // Management account: the program's own provider, no assume-role provider.
        assert.equal(ofType(run, T.provider).filter((p) => p.name.startsWith("guardrails-account")).length, 0);
    });

    it("topics admit only EventBridge of their own account", () => {
        for (const p of ofType(run, T.topicPolicy)) {
            const [s] = json(p.props.policy).Statement;
            assert.deepEqual(s.Principal, { Service: "events.amazonaws.com" });
            assert.deepEqual(s.Condition, { StringEquals: { "aws:SourceAccount": "111111111111" } });
        }
    });
});

describe("guardrails under mocks: IAM users and cross-account roles (2, 3)", function () {
    let run: ProgramRun;
    before(async () => {
        const config = stackConfig("dev");
        config["idfed:guardrails"] = {
            iamUsers: {
                enabled: true, accountId: "700000000001",
                groups: { deployers: { policies: ["arn:aws:iam::aws:policy/job-function/ViewOnlyAccess"] } },
                users: { alice: { groups: ["deployers"] }, bob: {} },
            },
            crossAccountRoles: {
                enabled: true,
                roles: {
                    "prod-deploy": { targetAccountId: "720000000001", sourceAccounts: ["710000000001"], policies: ["arn:aws:iam::aws:policy/ReadOnlyAccess"], maxSessionDuration: "PT2H" },
                    vendor: { targetAccountId: "720000000002", sourceRoleArns: ["arn:aws:iam::710000000002:role/ci"], requireMfa: false, externalId: "ext-7f3c" },
                },
            },
        };
        run = await runWith("dev", config);
    });

    it("2: password policy, groups, users only through groups (MFA group for all), access-key Config rule", () => {
        const [pp] = ofType(run, T.passwordPolicy);
        assert.equal(pp.props.minimumPasswordLength, 14);
        assert.equal(pp.props.passwordReusePrevention, 24);
        assert.equal(pp.props.maxPasswordAge, 90);
        const users = ofType(run, T.user);
        assert.deepEqual(users.map((u) => u.props.name).sort(), ["alice", "bob"]);
        const groupsOf = Object.fromEntries(ofType(run, T.membership).map((m) => [String(m.name), m.props.groups]));
        assert.deepEqual(groupsOf, { "guardrails-iam-users-user-alice-groups": ["idfed-mfa-required", "idfed-deployers"], "guardrails-iam-users-user-bob-groups": ["idfed-mfa-required"] });
        assert.equal(ofType(run, T.userPolicy).length + ofType(run, T.userAttach).length + ofType(run, T.accessKey).length, 0);
        const [rule] = ofType(run, T.cfgRule);
        assert.deepEqual(rule.props.source, { owner: "AWS", sourceIdentifier: "ACCESS_KEYS_ROTATED" });
        assert.deepEqual(JSON.parse(String(rule.props.inputParameters)), { maxAccessKeyAge: "90" });
        // The users live in 700000000001, reached through OrganizationAccountAccessRole.
        const provider = ofType(run, T.provider).find((p) => p.name === "guardrails-account-700000000001");
        // Provider inputs reach the engine as JSON text.
        assert.deepEqual(JSON.parse(String(provider?.props.assumeRoles)), [{ roleArn: "arn:aws:iam::700000000001:role/OrganizationAccountAccessRole", sessionName: "idfed-guardrails" }]);
    });

    it("3: roles in the target accounts trusted by the named sources with MFA / ExternalId; source policies name exactly those roles", () => {
        const roles = Object.fromEntries(ofType(run, T.role).map((r) => [r.name, r]));
        const deploy = json(roles["guardrails-cross-account-prod-deploy"].props.assumeRolePolicy).Statement[0];
        assert.deepEqual(deploy.Principal, { AWS: ["arn:aws:iam::710000000001:root"] });
        assert.deepEqual(deploy.Condition, { Bool: { "aws:MultiFactorAuthPresent": "true" } });
        assert.equal(roles["guardrails-cross-account-prod-deploy"].props.maxSessionDuration, 7200);
        const vendorTrust = roles["guardrails-cross-account-vendor"].props.assumeRolePolicy;
        const vendor = json(reveal(vendorTrust)).Statement[0];
        assert.deepEqual(vendor.Condition, { StringEquals: { "sts:ExternalId": "ext-7f3c" } });
        assert.notEqual(typeof vendorTrust, "string", "a trust policy carrying an ExternalId must be a secret");
        const sources = Object.fromEntries(ofType(run, T.iamPolicy).map((p) => [p.name, json(p.props.policy).Statement[0]]));
        assert.deepEqual(sources["guardrails-cross-account-source-710000000001"].Action, "sts:AssumeRole");
        assert.deepEqual((sources["guardrails-cross-account-source-710000000001"] as { Resource?: unknown }).Resource, ["arn:aws:iam::720000000001:role/idfed-prod-deploy"]);
        assert.deepEqual((sources["guardrails-cross-account-source-710000000002"] as { Resource?: unknown }).Resource, ["arn:aws:iam::720000000002:role/idfed-vendor"]);
        const providerNames = ofType(run, T.provider).map((p) => p.name).sort();
        for (const a of ["700000000001", "710000000001", "710000000002", "720000000001", "720000000002"]) assert.ok(providerNames.includes(`guardrails-account-${a}`), a);
    });
});
