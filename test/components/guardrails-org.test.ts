/**
 * The organization-side guardrails, each alone on a minimal model: AlertRules (components/guardrails/alerts.ts),
 * RootLockdown (1), SamlStackSet (4), JitAccess (5) and Audit (6). Exact inputs, exact counts, and the absence of
 * what must not exist.
 */
import { strict as assert } from "assert";
import { AlertRules, Audit, JitAccess, RootLockdown, SamlStackSet } from "../../components/guardrails";
import { accountAssignmentPattern, rootActivityPattern } from "../../stacks/documents/guardrails-docs";
import { construct, constructFails, jsonOf } from "./harness";
import { auditModel, email, MANAGEMENT, pimGroup, rootLockdownModel, samlStackSetsModel } from "./models";

const T = {
    scp: "aws:organizations/policy:Policy",
    scpAttach: "aws:organizations/policyAttachment:PolicyAttachment",
    rule: "aws:cloudwatch/eventRule:EventRule",
    target: "aws:cloudwatch/eventTarget:EventTarget",
    topic: "aws:sns/topic:Topic",
    sub: "aws:sns/topicSubscription:TopicSubscription",
    topicPolicy: "aws:sns/topicPolicy:TopicPolicy",
    role: "aws:iam/role:Role",
    rolePolicy: "aws:iam/rolePolicy:RolePolicy",
    trail: "aws:cloudtrail/trail:Trail",
    key: "aws:kms/key:Key",
    bucket: "aws:s3/bucket:Bucket",
    bucketPolicy: "aws:s3/bucketPolicy:BucketPolicy",
    versioning: "aws:s3/bucketVersioning:BucketVersioning",
    pab: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
    ownership: "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
    sse: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    lifecycle: "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
    stackSet: "aws:cloudformation/stackSet:StackSet",
    instance: "aws:cloudformation/stackSetInstance:StackSetInstance",
    pimPolicy: "azuread:index/groupRoleManagementPolicy:GroupRoleManagementPolicy",
    pimSchedule: "azuread:index/privilegedAccessGroupEligibilitySchedule:PrivilegedAccessGroupEligibilitySchedule",
} as const;
type Doc = {
    Statement: {
        Sid?: string;
        Effect: string;
        Action?: unknown;
        Principal?: unknown;
        Resource?: unknown;
        Condition?: Record<string, Record<string, unknown>>;
    }[];
};

describe("AlertRules (components/guardrails/alerts.ts)", function () {
    it("a topic only EventBridge of its own account may publish to, its subscriptions, one rule and SNS target per pattern", async () => {
        const c = await construct(
            () =>
                new AlertRules("alerts", {
                    accountId: MANAGEMENT,
                    subscriptions: [email("a@example.com"), { protocol: "https", endpoint: "https://hooks.example.com/x" }],
                    rules: { "root-activity": rootActivityPattern(), "account-assignments": accountAssignmentPattern() },
                    region: "us-east-1",
                }),
        );
        assert.deepEqual(c.counts(), {
            "idfed:guardrails:AlertRules": 1,
            [T.topic]: 1,
            [T.topicPolicy]: 1,
            [T.sub]: 2,
            [T.rule]: 2,
            [T.target]: 2,
        });
        const [s] = jsonOf<Doc>(c.only(T.topicPolicy).props.policy).Statement;
        assert.deepEqual(s.Principal, { Service: "events.amazonaws.com" });
        assert.deepEqual(s.Condition, { StringEquals: { "aws:SourceAccount": MANAGEMENT } });
        assert.deepEqual(
            c
                .ofType(T.sub)
                .map((x) => [x.props.protocol, x.props.endpoint])
                .sort(),
            [
                ["email", "a@example.com"],
                ["https", "https://hooks.example.com/x"],
            ],
        );
        const rule = c.named("alerts-root-activity");
        assert.deepEqual(jsonOf(rule.props.eventPattern), rootActivityPattern());
        assert.equal(rule.props.region, "us-east-1");
        assert.equal(c.only(T.topic).props.name, "idfed-alerts");
        for (const t of c.ofType(T.target))
            assert.deepEqual([t.props.targetId, t.props.arn], ["sns", `arn:aws:sns:us-east-1:${MANAGEMENT}:idfed-alerts`]);
        assert.equal(c.ofType(T.role).length, 0, "no forwarding role without other regions");
    });

    it("other enabled regions get the same rules, forwarded to the home region's default bus by one role", async () => {
        const c = await construct(
            () =>
                new AlertRules("alerts", {
                    accountId: MANAGEMENT,
                    subscriptions: [],
                    rules: { "root-activity": rootActivityPattern() },
                    region: "us-east-1",
                    regions: ["us-east-1", "eu-west-1", "eu-central-1"],
                }),
        );
        assert.deepEqual(c.counts(), {
            "idfed:guardrails:AlertRules": 1,
            [T.topic]: 1,
            [T.topicPolicy]: 1,
            [T.rule]: 3,
            [T.target]: 3,
            [T.role]: 1,
            [T.rolePolicy]: 1,
        });
        assert.equal(c.only(T.role).name, "alerts-forward");
        const forwards = c.ofType(T.target).filter((t) => t.props.targetId === "home-bus");
        assert.deepEqual(forwards.map((t) => t.props.region).sort(), ["eu-central-1", "eu-west-1"]);
        for (const t of forwards) assert.equal(t.props.arn, `arn:aws:events:us-east-1:${MANAGEMENT}:event-bus/default`);
        assert.deepEqual(
            jsonOf<Doc>(c.only(T.rolePolicy).props.policy).Statement[0].Resource,
            `arn:aws:events:us-east-1:${MANAGEMENT}:event-bus/default`,
        );
    });
});

describe("RootLockdown (components/guardrails/rootLockdown.ts): 1", function () {
    it("an SCP denying root principals, attached to the org root by default, and a root-activity alert in us-east-1", async () => {
        const c = await construct(
            () => new RootLockdown("root-lockdown", { model: rootLockdownModel(), orgRootId: "r-ab12", managementAccountId: MANAGEMENT }),
        );
        const scp = c.only(T.scp);
        assert.equal(scp.props.type, "SERVICE_CONTROL_POLICY");
        const [s] = jsonOf<Doc>(scp.props.content).Statement;
        assert.deepEqual([s.Effect, s.Action], ["Deny", "*"]);
        assert.deepEqual(s.Condition, { StringLike: { "aws:PrincipalArn": ["arn:aws:iam::*:root"] } });
        assert.deepEqual(
            c.ofType(T.scpAttach).map((a) => a.props.targetId),
            ["r-ab12"],
        );
        const rule = c.named("root-lockdown-alerts-root-activity");
        assert.deepEqual(jsonOf<{ detail: unknown }>(rule.props.eventPattern).detail, { userIdentity: { type: ["Root"] } });
        assert.equal(rule.props.region, "us-east-1");
        assert.equal(c.ofType(T.rule).length, 1);
    });

    it("explicit targets replace the root; exempt accounts are excluded by aws:PrincipalAccount", async () => {
        const model = rootLockdownModel({ targets: ["ou-ab12-workload", "ou-ab12-dev00001"], exemptAccounts: ["222222222222"] });
        const c = await construct(() => new RootLockdown("rl", { model, orgRootId: "r-ab12", managementAccountId: MANAGEMENT }));
        assert.deepEqual(
            c
                .ofType(T.scpAttach)
                .map((a) => a.props.targetId)
                .sort(),
            ["ou-ab12-dev00001", "ou-ab12-workload"],
        );
        assert.deepEqual(jsonOf<Doc>(c.only(T.scp).props.content).Statement[0].Condition?.StringNotEquals, {
            "aws:PrincipalAccount": ["222222222222"],
        });
    });
});

describe("SamlStackSet (components/guardrails/samlStackSet.ts): 4", function () {
    it("a service-managed StackSet with auto-deployment to the target OUs, SAML:aud in every role trust", async () => {
        const model = samlStackSetsModel({
            roles: [
                ...samlStackSetsModel().roles,
                { key: "view-only", roleName: "Entra-view-only", policyArns: [], maxSessionDurationSeconds: 14400 },
            ],
        });
        const c = await construct(() => new SamlStackSet("saml", { model, region: "eu-west-1" }));
        assert.deepEqual(c.counts(), { "idfed:guardrails:SamlStackSet": 1, [T.stackSet]: 1, [T.instance]: 1 });
        const ss = c.only(T.stackSet);
        assert.equal(ss.name, "saml-stackset");
        assert.equal(ss.props.permissionModel, "SERVICE_MANAGED");
        assert.deepEqual(ss.props.autoDeployment, { enabled: true, retainStacksOnAccountRemoval: false });
        assert.deepEqual(ss.props.capabilities, ["CAPABILITY_NAMED_IAM"]);
        assert.equal(ss.props.callAs, "SELF");
        const t = jsonOf<{
            Resources: Record<string, { Type: string; Properties: { AssumeRolePolicyDocument?: Doc; SamlMetadataDocument?: string } }>;
        }>(ss.props.templateBody);
        const roles = Object.values(t.Resources).filter((r) => r.Type === "AWS::IAM::Role");
        assert.equal(roles.length, 2);
        for (const r of roles)
            assert.deepEqual(r.Properties.AssumeRolePolicyDocument?.Statement[0].Condition, {
                StringEquals: { "SAML:aud": "https://signin.aws.amazon.com/saml" },
            });
        assert.match(String(t.Resources.SamlProvider.Properties.SamlMetadataDocument), /EntityDescriptor/);
        const inst = c.only(T.instance);
        assert.equal(inst.name, "saml-instances");
        assert.deepEqual(inst.props.deploymentTargets, { organizationalUnitIds: ["ou-ab12-workload"] });
        assert.equal(inst.props.stackSetInstanceRegion, "eu-west-1");
    });

    it("a delegated administrator calls as DELEGATED_ADMIN on the StackSet and its instances", async () => {
        const c = await construct(() => new SamlStackSet("saml", { model: samlStackSetsModel({ callAs: "DELEGATED_ADMIN" }) }));
        assert.equal(c.only(T.stackSet).props.callAs, "DELEGATED_ADMIN");
        assert.equal(c.only(T.instance).props.callAs, "DELEGATED_ADMIN");
        assert.equal(c.only(T.instance).props.stackSetInstanceRegion, undefined);
    });
});

describe("JitAccess (components/guardrails/jitAccess.ts): 5", function () {
    const GROUP = "7a0b1c2d-0000-4000-8000-0000000000c1";
    it("PIM on the group's Entra object: bounded activation with MFA and approval, one expiring eligibility per member", async () => {
        const members = ["4c1f0e0a-0000-4000-8000-000000000001", "4c1f0e0a-0000-4000-8000-000000000002"];
        const c = await construct(
            () =>
                new JitAccess("jit", {
                    model: { enabled: true, pim: [pimGroup("oncall", { eligibleMembers: members })] },
                    entraGroupIds: new Map([["oncall", GROUP]]),
                }),
        );
        assert.deepEqual(c.counts(), { "idfed:guardrails:JitAccess": 1, [T.pimPolicy]: 1, [T.pimSchedule]: 2 });
        const policy = c.only(T.pimPolicy);
        assert.equal(policy.props.groupId, GROUP);
        assert.equal(policy.props.roleId, "member");
        assert.deepEqual(policy.props.activationRules, {
            maximumDuration: "PT8H",
            requireMultifactorAuthentication: true,
            requireJustification: true,
            requireTicketInfo: false,
            requireApproval: true,
            approvalStage: { primaryApprovers: [{ objectId: "4c1f0e0a-0000-4000-8000-0000000000a1", type: "singleUser" }] },
        });
        assert.deepEqual(policy.props.eligibleAssignmentRules, { expirationRequired: true, expireAfter: "P90D" });
        const schedules = c.ofType(T.pimSchedule);
        assert.deepEqual(schedules.map((s) => s.props.principalId).sort(), members);
        for (const s of schedules) {
            assert.deepEqual(
                [s.props.groupId, s.props.assignmentType, s.props.duration, s.props.permanentAssignment],
                [GROUP, "member", "P90D", undefined],
            );
            assert.ok(s.dependencies?.includes(policy.urn), "eligibility after the policy");
        }
    });

    it("no approval: no approval stage", async () => {
        const c = await construct(
            () =>
                new JitAccess("jit", {
                    model: { enabled: true, pim: [pimGroup("oncall", { requireApproval: false, approvers: [] })] },
                    entraGroupIds: new Map([["oncall", GROUP]]),
                }),
        );
        assert.equal((c.only(T.pimPolicy).props.activationRules as Record<string, unknown>).approvalStage, undefined);
    });

    it("a group this stack does not federate fails naming the key, before any PIM resource", async () => {
        const f = await constructFails(
            () => new JitAccess("jit", { model: { enabled: true, pim: [pimGroup("ghosts")] }, entraGroupIds: new Map() }),
        );
        assert.match(f.error.message, /`idfed:guardrails\.jit\.pim\.ghosts`: the group is not federated by this stack/);
        assert.equal(f.resources.filter((r) => r.type === T.pimPolicy).length, 0);
    });
});

describe("Audit (components/guardrails/audit.ts): 6", function () {
    it("an org trail (multi-region, validation, KMS) into a locked-down bucket, with activity alerts", async () => {
        const c = await construct(
            () =>
                new Audit("audit", { model: auditModel(), managementAccountId: MANAGEMENT, region: "eu-west-1", rootActivityAlert: false }),
        );
        const trail = c.only(T.trail).props;
        assert.deepEqual(
            [trail.isOrganizationTrail, trail.isMultiRegionTrail, trail.enableLogFileValidation, trail.includeGlobalServiceEvents],
            [true, true, true, true],
        );
        assert.match(String(trail.kmsKeyId), /^arn:aws:kms:/);
        assert.equal(trail.s3BucketName, `idfed-org-trail-${MANAGEMENT}`);
        assert.equal(c.only(T.key).props.enableKeyRotation, true);
        assert.deepEqual(c.only(T.versioning).props.versioningConfiguration, { status: "Enabled" });
        const pab = c.only(T.pab).props;
        assert.deepEqual(
            [pab.blockPublicAcls, pab.blockPublicPolicy, pab.ignorePublicAcls, pab.restrictPublicBuckets],
            [true, true, true, true],
        );
        assert.deepEqual(c.only(T.ownership).props.rule, { objectOwnership: "BucketOwnerEnforced" });
        assert.equal(
            (c.only(T.sse).props.rules as { applyServerSideEncryptionByDefault: { sseAlgorithm: string } }[])[0]
                .applyServerSideEncryptionByDefault.sseAlgorithm,
            "aws:kms",
        );
        const [rule] = c.only(T.lifecycle).props.rules as { transitions: unknown; expiration: unknown }[];
        assert.deepEqual([rule.transitions, rule.expiration], [[{ days: 90, storageClass: "GLACIER" }], { days: 2555 }]);
        const st = jsonOf<Doc>(c.only(T.bucketPolicy).props.policy).Statement;
        assert.deepEqual(st.find((s) => s.Sid === "DenyInsecureTransport")?.Condition, { Bool: { "aws:SecureTransport": "false" } });
        assert.equal(st.find((s) => s.Sid === "DenyLogDeletion")?.Effect, "Deny");
        // Root activity is alerted by root lock-down when it is on: one event, one alert.
        assert.deepEqual(
            c
                .ofType(T.rule)
                .map((r) => [r.name, r.props.region])
                .sort(),
            [
                ["audit-identity-center-account-assignments", "eu-west-1"],
                ["audit-identity-center-permission-set-changes", "eu-west-1"],
                ["audit-signin-console-signin-without-mfa", "us-east-1"],
            ],
        );
        const ps = jsonOf<{ detail: { eventName: string[] } }>(c.named("audit-identity-center-permission-set-changes").props.eventPattern);
        assert.ok(ps.detail.eventName.includes("PutInlinePolicyToPermissionSet"));
        assert.equal(c.ofType(T.target).length, c.ofType(T.rule).length);
    });

    it("alerts on root activity itself when root lock-down is off; an explicit bucket name wins", async () => {
        const c = await construct(
            () =>
                new Audit("audit", {
                    model: auditModel({ bucketName: "acme-trail" }),
                    managementAccountId: MANAGEMENT,
                    region: "eu-west-1",
                }),
        );
        assert.ok(c.ofType(T.rule).some((r) => r.name === "audit-signin-root-activity"));
        assert.equal(c.only(T.trail).props.s3BucketName, "acme-trail");
    });
});
