/**
 * The IAM-side guardrails, each alone on a minimal model: IamUsers (2), CrossAccountRoles (3), BreakGlass (7), the
 * per-account providers they share, and the Guardrails aggregate (only the enabled sections, nothing else).
 */
import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";
import { AccountProviders, BreakGlass, CrossAccountRoles, Guardrails, IamUsers } from "../../components/guardrails";
import { GuardrailsModel } from "../../stacks/model/guardrails";
import { construct, jsonOf, reveal } from "./harness";
import {
    auditModel,
    breakGlassModel,
    crossAccountRole,
    DEV_MEMBER,
    email,
    iamUsersModel,
    MANAGEMENT,
    MEMBER,
    pimGroup,
    rootLockdownModel,
    samlStackSetsModel,
} from "./models";

const T = {
    user: "aws:iam/user:User",
    group: "aws:iam/group:Group",
    groupPolicy: "aws:iam/groupPolicy:GroupPolicy",
    groupAttach: "aws:iam/groupPolicyAttachment:GroupPolicyAttachment",
    membership: "aws:iam/userGroupMembership:UserGroupMembership",
    accessKey: "aws:iam/accessKey:AccessKey",
    loginProfile: "aws:iam/userLoginProfile:UserLoginProfile",
    userPolicy: "aws:iam/userPolicy:UserPolicy",
    userAttach: "aws:iam/userPolicyAttachment:UserPolicyAttachment",
    role: "aws:iam/role:Role",
    iamPolicy: "aws:iam/policy:Policy",
    roleAttach: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
    passwordPolicy: "aws:iam/accountPasswordPolicy:AccountPasswordPolicy",
    cfgRule: "aws:cfg/rule:Rule",
    provider: "pulumi:providers:aws",
    rule: "aws:cloudwatch/eventRule:EventRule",
    sub: "aws:sns/topicSubscription:TopicSubscription",
} as const;
type Doc = {
    Statement: {
        Effect: string;
        Action?: unknown;
        Principal?: unknown;
        Resource?: unknown;
        Condition?: Record<string, Record<string, unknown>>;
    }[];
};

/** Per-account providers parented to a holder component, as the Guardrails aggregate parents them to itself. */
function providers(): AccountProviders {
    const holder = new pulumi.ComponentResource("test:index:Holder", "holder");
    return new AccountProviders(holder, "guardrails-account", {
        managementAccountId: MANAGEMENT,
        roleName: "OrganizationAccountAccessRole",
        region: "eu-west-1",
    });
}

describe("AccountProviders (components/guardrails/providers.ts)", function () {
    it("one provider per member account assuming the access role there; none for the management account", async () => {
        const c = await construct(() => {
            const p = providers();
            return [p.get(MEMBER), p.get(MEMBER), p.get(MANAGEMENT)];
        });
        assert.equal(c.value[0], c.value[1], "created once per account");
        assert.equal(c.value[2], undefined);
        const provider = c.only(T.provider);
        assert.equal(provider.name, `guardrails-account-${MEMBER}`);
        // Provider inputs reach the engine as JSON text.
        assert.deepEqual(JSON.parse(String(provider.props.assumeRoles)), [
            { roleArn: `arn:aws:iam::${MEMBER}:role/OrganizationAccountAccessRole`, sessionName: "idfed-guardrails" },
        ]);
        assert.deepEqual(JSON.parse(String(provider.props.allowedAccountIds)), [MEMBER]);
        assert.equal(provider.props.region, "eu-west-1");
    });
});

describe("IamUsers (components/guardrails/iamUsers.ts): 2", function () {
    it("password policy, groups, users only through groups (MFA group for all), access-key Config rule, in the named account", async () => {
        const model = iamUsersModel({
            accountId: MEMBER,
            groups: [{ key: "deployers", policyArns: ["arn:aws:iam::aws:policy/job-function/ViewOnlyAccess"] }],
            users: [
                { key: "alice", groups: ["deployers"] },
                { key: "bob", groups: [] },
            ],
        });
        const c = await construct(() => new IamUsers("iam-users", { model, providers: providers(), managementAccountId: MANAGEMENT }));
        const pp = c.only(T.passwordPolicy).props;
        assert.deepEqual([pp.minimumPasswordLength, pp.passwordReusePrevention, pp.maxPasswordAge], [14, 24, 90]);
        assert.deepEqual(
            c
                .ofType(T.user)
                .map((u) => u.props.name)
                .sort(),
            ["alice", "bob"],
        );
        assert.deepEqual(Object.fromEntries(c.ofType(T.membership).map((m) => [m.name, m.props.groups])), {
            "iam-users-user-alice-groups": ["idfed-mfa-required", "idfed-deployers"],
            "iam-users-user-bob-groups": ["idfed-mfa-required"],
        });
        assert.deepEqual(
            c
                .ofType(T.group)
                .map((g) => g.props.name)
                .sort(),
            ["idfed-deployers", "idfed-mfa-required"],
        );
        assert.equal(c.only(T.groupAttach).props.policyArn, "arn:aws:iam::aws:policy/job-function/ViewOnlyAccess");
        assert.deepEqual(jsonOf<Doc>(c.only(T.groupPolicy).props.policy).Statement[1].Condition, {
            BoolIfExists: { "aws:MultiFactorAuthPresent": "false" },
        });
        assert.equal(
            c.ofType(T.userPolicy).length + c.ofType(T.userAttach).length + c.ofType(T.accessKey).length + c.ofType(T.loginProfile).length,
            0,
        );
        const rule = c.only(T.cfgRule).props;
        assert.deepEqual(rule.source, { owner: "AWS", sourceIdentifier: "ACCESS_KEYS_ROTATED" });
        assert.deepEqual(JSON.parse(String(rule.inputParameters)), { maxAccessKeyAge: "90" });
        // Everything lives in MEMBER, reached through its provider.
        assert.equal(c.only(T.provider).name, `guardrails-account-${MEMBER}`);
    });

    it("a group's inline policy becomes a group policy; no account id means the management account (no provider)", async () => {
        const inline = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: "*" }] };
        const c = await construct(
            () =>
                new IamUsers("iam-users", {
                    model: iamUsersModel({ groups: [{ key: "readers", policyArns: [], inlinePolicy: inline }] }),
                    providers: providers(),
                    managementAccountId: MANAGEMENT,
                }),
        );
        assert.deepEqual(JSON.parse(String(c.named("iam-users-group-readers-inline").props.policy)), inline);
        assert.equal(c.ofType(T.provider).length, 0);
        assert.equal(c.ofType(T.user).length, 0);
    });
});

describe("CrossAccountRoles (components/guardrails/crossAccountRoles.ts): 3", function () {
    it("roles in the target accounts trusted by the named sources with MFA / ExternalId (a secret); source policies name exactly those roles", async () => {
        const model = {
            enabled: true,
            roles: [
                crossAccountRole("prod-deploy", {
                    policyArns: ["arn:aws:iam::aws:policy/ReadOnlyAccess"],
                    maxSessionDurationSeconds: 7200,
                }),
                crossAccountRole("vendor", {
                    targetAccountId: DEV_MEMBER,
                    sourceAccounts: [],
                    sourceRoleArns: [`arn:aws:iam::${MEMBER}:role/ci`],
                    requireMfa: false,
                    externalId: "ext-7f3c",
                }),
            ],
        };
        const c = await construct(() => new CrossAccountRoles("cross-account", { model, providers: providers() }));
        const roles = Object.fromEntries(c.ofType(T.role).map((r) => [r.name, r]));
        const deploy = jsonOf<Doc>(roles["cross-account-prod-deploy"].props.assumeRolePolicy).Statement[0];
        assert.deepEqual(deploy.Principal, { AWS: [`arn:aws:iam::${DEV_MEMBER}:root`] });
        assert.deepEqual(deploy.Condition, { Bool: { "aws:MultiFactorAuthPresent": "true" } });
        assert.equal(roles["cross-account-prod-deploy"].props.maxSessionDuration, 7200);
        assert.equal(c.only(T.roleAttach).props.policyArn, "arn:aws:iam::aws:policy/ReadOnlyAccess");
        const vendorTrust = roles["cross-account-vendor"].props.assumeRolePolicy;
        assert.deepEqual(jsonOf<Doc>(reveal(vendorTrust)).Statement[0].Condition, { StringEquals: { "sts:ExternalId": "ext-7f3c" } });
        assert.notEqual(typeof vendorTrust, "string", "a trust policy carrying an ExternalId must be a secret");
        const sources = Object.fromEntries(c.ofType(T.iamPolicy).map((p) => [p.name, jsonOf<Doc>(p.props.policy).Statement[0]]));
        assert.deepEqual(Object.keys(sources).sort(), [`cross-account-source-${MEMBER}`, `cross-account-source-${DEV_MEMBER}`]);
        assert.equal(sources[`cross-account-source-${DEV_MEMBER}`].Action, "sts:AssumeRole");
        assert.deepEqual(sources[`cross-account-source-${DEV_MEMBER}`].Resource, [`arn:aws:iam::${MEMBER}:role/idfed-prod-deploy`]);
        assert.deepEqual(sources[`cross-account-source-${MEMBER}`].Resource, [`arn:aws:iam::${DEV_MEMBER}:role/idfed-vendor`]);
        assert.deepEqual(
            c
                .ofType(T.provider)
                .map((p) => p.name)
                .sort(),
            [`guardrails-account-${MEMBER}`, `guardrails-account-${DEV_MEMBER}`].sort(),
        );
    });

    it("sourcePolicy false: the role only, no source-side policy", async () => {
        const c = await construct(
            () =>
                new CrossAccountRoles("x", {
                    model: { enabled: true, roles: [crossAccountRole("r", { sourcePolicy: false })] },
                    providers: providers(),
                }),
        );
        assert.equal(c.ofType(T.iamPolicy).length, 0);
        assert.equal(c.ofType(T.role).length, 1);
    });
});

describe("BreakGlass (components/guardrails/breakGlass.ts): 7", function () {
    it("protected users with no access keys, in a protected group requiring MFA, alarmed on any use; management account: no provider", async () => {
        const model = breakGlassModel({ alerts: [email("security-oncall@example.com"), email("cto@example.com")] });
        const c = await construct(() => new BreakGlass("break-glass", { model, providers: providers() }));
        const users = c.ofType(T.user);
        assert.deepEqual(
            users.map((u) => u.props.name),
            ["breakglass-1", "breakglass-2"],
        );
        for (const r of [...users, ...c.ofType(T.membership), c.only(T.group)]) assert.equal(r.protect, true, r.name);
        assert.deepEqual(
            c.ofType(T.membership).map((m) => m.props.groups),
            [["idfed-break-glass"], ["idfed-break-glass"]],
        );
        assert.deepEqual(jsonOf<Doc>(c.only(T.groupPolicy).props.policy).Statement[1].Condition, {
            BoolIfExists: { "aws:MultiFactorAuthPresent": "false" },
        });
        assert.equal(c.only(T.groupAttach).props.policyArn, "arn:aws:iam::aws:policy/AdministratorAccess");
        assert.equal(c.ofType(T.accessKey).length + c.ofType(T.loginProfile).length, 0);
        const rule = c.named("break-glass-alerts-use");
        assert.deepEqual(jsonOf<{ detail: { userIdentity: { arn: string[] } } }>(rule.props.eventPattern).detail.userIdentity.arn, [
            `arn:aws:iam::${MANAGEMENT}:user/idfed/break-glass/breakglass-1`,
            `arn:aws:iam::${MANAGEMENT}:user/idfed/break-glass/breakglass-2`,
        ]);
        assert.deepEqual(
            c
                .ofType(T.sub)
                .map((s) => s.props.endpoint)
                .sort(),
            ["cto@example.com", "security-oncall@example.com"],
        );
        assert.equal(c.ofType(T.provider).length, 0);
    });

    it("in a security account: everything through that account's provider", async () => {
        const c = await construct(
            () => new BreakGlass("break-glass", { model: breakGlassModel({ accountId: MEMBER }), providers: providers() }),
        );
        assert.equal(c.only(T.provider).name, `guardrails-account-${MEMBER}`);
        assert.match(
            String(
                jsonOf<{ detail: { userIdentity: { arn: string[] } } }>(c.named("break-glass-alerts-use").props.eventPattern).detail
                    .userIdentity.arn[0],
            ),
            new RegExp(`^arn:aws:iam::${MEMBER}:user/`),
        );
    });
});

describe("Guardrails (components/guardrails/guardrails.ts)", function () {
    const base = { environment: "prod" as const, managementAccountId: MANAGEMENT, orgRootId: "r-ab12", region: "eu-west-1" };

    it("creates exactly the enabled sections, publishes them in a fixed order, and nothing of the disabled ones", async () => {
        const model: GuardrailsModel = {
            accessRoleName: "OrganizationAccountAccessRole",
            rootLockdown: rootLockdownModel(),
            samlStackSets: samlStackSetsModel(),
            jit: { enabled: true, pim: [pimGroup("oncall")] },
            audit: auditModel(),
            breakGlass: breakGlassModel(),
            iamUsers: iamUsersModel({ enabled: false, users: [{ key: "alice", groups: [] }] }),
            crossAccountRoles: { enabled: false, roles: [crossAccountRole()] },
        };
        const c = await construct(
            () =>
                new Guardrails("guardrails", {
                    ...base,
                    model,
                    entraGroupIds: new Map([["oncall", "7a0b1c2d-0000-4000-8000-0000000000c1"]]),
                }),
        );
        assert.deepEqual(c.only("idfed:guardrails:Guardrails").outputs, {
            enabled: ["rootLockdown", "samlStackSets", "jit", "audit", "breakGlass"],
            environment: "prod",
            managementAccountId: MANAGEMENT,
        });
        for (const t of ["RootLockdown", "SamlStackSet", "JitAccess", "Audit", "BreakGlass"])
            assert.equal(c.ofType(`idfed:guardrails:${t}`).length, 1, t);
        for (const t of ["IamUsers", "CrossAccountRoles"]) assert.equal(c.ofType(`idfed:guardrails:${t}`).length, 0, t);
        for (const t of [
            T.passwordPolicy,
            T.cfgRule,
            T.iamPolicy,
            T.accessKey,
            T.loginProfile,
            T.userPolicy,
            T.userAttach,
            T.role,
            T.provider,
        ])
            assert.equal(c.ofType(t).length, 0, t);
        assert.deepEqual(
            c.ofType(T.user).map((u) => u.props.name),
            ["breakglass-1", "breakglass-2"],
            "only the break-glass users",
        );
        // Root activity alerts once: from root lock-down, not from the audit rules.
        assert.deepEqual(
            c
                .ofType(T.rule)
                .filter((r) => r.name.endsWith("root-activity"))
                .map((r) => r.name),
            ["guardrails-root-lockdown-alerts-root-activity"],
        );
    });

    it("nothing enabled: the component alone", async () => {
        const c = await construct(
            () =>
                new Guardrails("guardrails", {
                    ...base,
                    model: { accessRoleName: "OrganizationAccountAccessRole", audit: auditModel({ enabled: false }) },
                    entraGroupIds: new Map(),
                }),
        );
        assert.deepEqual(c.inventory(), ["idfed:guardrails:Guardrails::guardrails"]);
        assert.deepEqual(c.only("idfed:guardrails:Guardrails").outputs?.enabled, []);
    });
});
