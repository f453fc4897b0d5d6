import { strict as assert } from "assert";
import { parseGuardrailsHook } from "../stacks/config/guardrails";
import { checkGuardrailsAgainstOrg } from "../stacks/org/org-checks";
import { GuardrailsModel } from "../stacks/model/guardrails";
import {
    auditBucketPolicy,
    crossAccountTrust,
    mfaRequiredPolicy,
    rootDenyScp,
    SAML_AUDIENCE,
    samlStackSetTemplate,
} from "../stacks/documents/guardrails-docs";
import { Issues } from "../stacks/input/validate";
import { PROJECT_ROOT } from "../offline";
import { exampleOrg, stackConfig } from "./helpers";

const ctx = { groupKeys: new Set(["oncall", "developers"]), projectRoot: PROJECT_ROOT };

function parse(v: unknown): { model?: GuardrailsModel; messages: string[] } {
    const issues = new Issues();
    const model = parseGuardrailsHook(v, "idfed:guardrails", issues, ctx);
    return { model, messages: issues.list.map((i) => i.message) };
}

function errors(v: unknown): string {
    const r = parse(v);
    assert.ok(r.messages.length > 0, "expected problems");
    return r.messages.join("\n");
}

type Statement = {
    Sid?: string;
    Effect: string;
    Action?: unknown;
    NotAction?: unknown;
    Principal?: unknown;
    Resource?: unknown;
    Condition?: Record<string, Record<string, unknown>>;
};
const statements = (doc: unknown) => (doc as { Statement: Statement[] }).Statement;

describe("guardrails config: defaults and the prod example", () => {
    it("every section is off by default, with safe defaults", () => {
        const { model, messages } = parse({
            rootLockdown: {},
            iamUsers: {},
            crossAccountRoles: {},
            jit: {},
            audit: {},
        });
        assert.deepEqual(messages, []);
        assert.equal(model?.accessRoleName, "OrganizationAccountAccessRole");
        for (const k of ["rootLockdown", "iamUsers", "crossAccountRoles", "jit", "audit"] as const)
            assert.equal(model?.[k]?.enabled, false, k);
        assert.deepEqual(model?.iamUsers?.passwordPolicy, { minimumLength: 14, reusePrevention: 24, maxAgeDays: 90 });
        assert.equal(model?.iamUsers?.accessKeyMaxAgeDays, 90);
        assert.deepEqual(model?.rootLockdown?.targets, []);
        assert.equal(model?.audit?.trailName, "idfed-org-trail");
        assert.equal(model?.audit?.retentionDays, 2555);
    });

    it("the prod stack turns on 1 (root), 4 (SAML StackSets), 5 (JIT), 6 (audit), 7 (break-glass) and nothing else", () => {
        const { model, messages } = parse(stackConfig("prod")["idfed:guardrails"]);
        assert.deepEqual(messages, []);
        const on = Object.entries(model ?? {})
            .filter(([, v]) => typeof v === "object" && (v as { enabled?: boolean }).enabled)
            .map(([k]) => k)
            .sort();
        assert.deepEqual(on, ["audit", "breakGlass", "jit", "rootLockdown", "samlStackSets"]);
        assert.deepEqual(model?.samlStackSets?.targets, ["ou-ab12-workload"]);
        assert.deepEqual(
            model?.jit?.pim.map((p) => p.groupKey),
            ["oncall"],
        );
        assert.equal(model?.breakGlass?.accountId, "111111111111");
        assert.deepEqual(model?.breakGlass?.policyArns, ["arn:aws:iam::aws:policy/AdministratorAccess"]);
        assert.deepEqual(checkGuardrailsAgainstOrg(model!, exampleOrg()), []);
    });
});

describe("guardrails config: IAM users and cross-account roles become the models their components take", () => {
    it("users through groups (sorted), role defaults (name, MFA, source policy), durations in seconds, the ExternalId kept", () => {
        const { model, messages } = parse({
            iamUsers: {
                enabled: true,
                accountId: "700000000001",
                groups: { deployers: { policies: ["arn:aws:iam::aws:policy/job-function/ViewOnlyAccess"] } },
                users: { alice: { groups: ["deployers"] }, bob: {} },
            },
            crossAccountRoles: {
                enabled: true,
                roles: {
                    "prod-deploy": {
                        targetAccountId: "720000000001",
                        sourceAccounts: ["710000000001"],
                        policies: ["arn:aws:iam::aws:policy/ReadOnlyAccess"],
                        maxSessionDuration: "PT2H",
                    },
                    vendor: {
                        targetAccountId: "720000000002",
                        sourceRoleArns: ["arn:aws:iam::710000000002:role/ci"],
                        requireMfa: false,
                        externalId: "ext-7f3c",
                    },
                },
            },
        });
        assert.deepEqual(messages, []);
        assert.equal(model?.iamUsers?.accountId, "700000000001");
        assert.deepEqual(model?.iamUsers?.groups, [
            { key: "deployers", policyArns: ["arn:aws:iam::aws:policy/job-function/ViewOnlyAccess"] },
        ]);
        assert.deepEqual(model?.iamUsers?.users, [
            { key: "alice", groups: ["deployers"] },
            { key: "bob", groups: [] },
        ]);
        const roles = Object.fromEntries((model?.crossAccountRoles?.roles ?? []).map((r) => [r.key, r]));
        assert.deepEqual(roles["prod-deploy"], {
            key: "prod-deploy",
            roleName: "idfed-prod-deploy",
            targetAccountId: "720000000001",
            sourceAccounts: ["710000000001"],
            sourceRoleArns: [],
            policyArns: ["arn:aws:iam::aws:policy/ReadOnlyAccess"],
            requireMfa: true,
            maxSessionDurationSeconds: 7200,
            sourcePolicy: true,
        });
        assert.equal(roles.vendor.requireMfa, false);
        assert.equal(roles.vendor.externalId, "ext-7f3c");
        assert.equal(roles.vendor.maxSessionDurationSeconds, 3600);
        assert.deepEqual(roles.vendor.sourceRoleArns, ["arn:aws:iam::710000000002:role/ci"]);
    });
});

describe("guardrails config: bad values name the key, the value and the fix", () => {
    const cases: [string, unknown, string[]][] = [
        ["unknown section with did-you-mean", { breakGlas: {} }, ["idfed:guardrails.breakGlas", "breakGlass"]],
        ["unknown nested key", { audit: { trailname: "x" } }, ["idfed:guardrails.audit.trailname", "trailName"]],
        ["enabled not a boolean", { rootLockdown: { enabled: "yes" } }, ["idfed:guardrails.rootLockdown.enabled", "yes"]],
        ["root target not an OU", { rootLockdown: { targets: ["ou-x"] } }, ["idfed:guardrails.rootLockdown.targets[0]", "ou-x"]],
        [
            "password shorter than 14",
            { iamUsers: { passwordPolicy: { minimumLength: 8 } } },
            ["idfed:guardrails.iamUsers.passwordPolicy.minimumLength", "`8`", "14"],
        ],
        [
            "user in an unknown group",
            { iamUsers: { groups: { deployers: {} }, users: { alice: { groups: ["deployer"] } } } },
            ["idfed:guardrails.iamUsers.users.alice.groups[0]", "deployer", "deployers"],
        ],
        [
            "inline user policies are not a thing",
            { iamUsers: { users: { alice: { policies: [] } } } },
            ["idfed:guardrails.iamUsers.users.alice.policies"],
        ],
        [
            "cross-account role without principals",
            { crossAccountRoles: { roles: { deploy: { targetAccountId: "720000000001" } } } },
            ["idfed:guardrails.crossAccountRoles.roles.deploy", "sourceAccounts"],
        ],
        [
            "cross-account role without MFA or ExternalId",
            {
                crossAccountRoles: {
                    roles: { deploy: { targetAccountId: "720000000001", sourceAccounts: ["710000000001"], requireMfa: false } },
                },
            },
            ["idfed:guardrails.crossAccountRoles.roles.deploy", "externalId"],
        ],
        [
            "cross-account session too long",
            {
                crossAccountRoles: {
                    roles: { deploy: { targetAccountId: "720000000001", sourceAccounts: ["710000000001"], maxSessionDuration: "PT13H" } },
                },
            },
            ["idfed:guardrails.crossAccountRoles.roles.deploy.maxSessionDuration", "PT13H"],
        ],
        [
            "SAML without metadata",
            {
                samlStackSets: {
                    enabled: true,
                    targets: ["ou-ab12-workload"],
                    roles: { ro: { policies: ["arn:aws:iam::aws:policy/ReadOnlyAccess"] } },
                },
            },
            ["idfed:guardrails.samlStackSets", "metadataFile"],
        ],
        [
            "SAML metadata file escaping the repo",
            { samlStackSets: { metadataFile: "../x.xml" } },
            ["idfed:guardrails.samlStackSets.metadataFile", "../x.xml"],
        ],
        [
            "SAML metadata that is not metadata",
            { samlStackSets: { metadataXml: "<html/>" } },
            ["idfed:guardrails.samlStackSets.metadataXml", "EntityDescriptor"],
        ],
        [
            "SAML callAs",
            { samlStackSets: { callAs: "ADMIN", metadataXml: "x" } },
            ["idfed:guardrails.samlStackSets.callAs", "DELEGATED_ADMIN"],
        ],
        [
            "PIM on an unknown group",
            { jit: { pim: { oncal: { eligibleMembers: ["4c1d2e3f-5a6b-4c7d-8e9f-0a1b2c3d4e5f"] } } } },
            ["idfed:guardrails.jit.pim.oncal", "oncall"],
        ],
        [
            "PIM approval without approvers",
            { jit: { pim: { oncall: { eligibleMembers: ["4c1d2e3f-5a6b-4c7d-8e9f-0a1b2c3d4e5f"], requireApproval: true } } } },
            ["idfed:guardrails.jit.pim.oncall.approvers"],
        ],
        [
            "PIM activation over 23 h",
            { jit: { pim: { oncall: { eligibleMembers: ["4c1d2e3f-5a6b-4c7d-8e9f-0a1b2c3d4e5f"], maxActivationHours: 24 } } } },
            ["idfed:guardrails.jit.pim.oncall.maxActivationHours", "24"],
        ],
        [
            "PIM eligibility days Entra refuses",
            { jit: { pim: { oncall: { eligibleMembers: ["4c1d2e3f-5a6b-4c7d-8e9f-0a1b2c3d4e5f"], eligibilityDays: 60 } } } },
            ["idfed:guardrails.jit.pim.oncall.eligibilityDays", "60", "180"],
        ],
        ["audit bucket name", { audit: { bucketName: "Bad_Bucket" } }, ["idfed:guardrails.audit.bucketName", "Bad_Bucket"]],
        [
            "audit retention shorter than archive",
            { audit: { archiveAfterDays: 400, retentionDays: 365 } },
            ["idfed:guardrails.audit.retentionDays", "archiveAfterDays"],
        ],
        [
            "break-glass without account",
            { breakGlass: { enabled: true, users: ["bg1"], alertEmails: ["a@example.com"] } },
            ["idfed:guardrails.breakGlass.accountId"],
        ],
        [
            "break-glass without alerts",
            { breakGlass: { enabled: true, accountId: "111111111111", users: ["bg1"] } },
            ["idfed:guardrails.breakGlass.alertEmails"],
        ],
        ["break-glass account as a number", { breakGlass: { accountId: 11111111111 } }, ["idfed:guardrails.breakGlass.accountId", "quote"]],
        ["alert e-mail malformed", { audit: { alertEmails: ["not-an-email"] } }, ["idfed:guardrails.audit.alertEmails[0]", "not-an-email"]],
    ];
    for (const [name, value, expect] of cases) {
        it(name, () => {
            const text = errors(value);
            for (const s of expect) assert.ok(text.includes(s), `message lacks ${JSON.stringify(s)}:\n${text}`);
        });
    }

    it("never echoes an ExternalId", () => {
        const text = errors({
            crossAccountRoles: {
                roles: { deploy: { targetAccountId: "720000000001", sourceAccounts: ["710000000001"], externalId: "s3cr3t value!" } },
            },
        });
        assert.ok(text.includes("idfed:guardrails.crossAccountRoles.roles.deploy.externalId"));
        assert.ok(!text.includes("s3cr3t"), text);
    });

    it("org checks name unknown OUs and accounts", () => {
        const { model } = parse({
            rootLockdown: { enabled: true, targets: ["ou-ab12-nothere1"] },
            breakGlass: { enabled: true, accountId: "999999999999", users: ["bg"], alertEmails: ["a@example.com"] },
        });
        const problems = checkGuardrailsAgainstOrg(model!, exampleOrg());
        assert.deepEqual(
            problems.map((p) => p.path),
            ["idfed:guardrails.rootLockdown.targets[0]", "idfed:guardrails.breakGlass.accountId"],
        );
    });
});

describe("guardrails documents", () => {
    it("the root SCP denies everything when aws:PrincipalArn is arn:aws:iam::*:root, exempting by account", () => {
        const [s] = statements(rootDenyScp(["222222222222"]));
        assert.equal(s.Effect, "Deny");
        assert.equal(s.Action, "*");
        assert.deepEqual(s.Condition, {
            StringLike: { "aws:PrincipalArn": ["arn:aws:iam::*:root"] },
            StringNotEquals: { "aws:PrincipalAccount": ["222222222222"] },
        });
        assert.equal(statements(rootDenyScp([]))[0].Condition?.StringNotEquals, undefined);
    });

    it("the MFA policy denies all but MFA self-service when MultiFactorAuthPresent is false or absent", () => {
        const [allow, deny] = statements(mfaRequiredPolicy("/idfed/"));
        assert.deepEqual(allow.Resource, ["arn:aws:iam::*:user/idfed/${aws:username}", "arn:aws:iam::*:mfa/${aws:username}"]);
        assert.equal(deny.Effect, "Deny");
        assert.ok(
            Array.isArray(deny.NotAction) &&
                deny.NotAction.includes("iam:EnableMFADevice") &&
                !deny.NotAction.includes("iam:CreateAccessKey"),
        );
        assert.deepEqual(deny.Condition, { BoolIfExists: { "aws:MultiFactorAuthPresent": "false" } });
    });

    it("cross-account trust carries MFA and ExternalId", () => {
        const [s] = statements(
            crossAccountTrust({
                key: "deploy",
                roleName: "idfed-deploy",
                targetAccountId: "720000000001",
                sourceAccounts: ["710000000001"],
                sourceRoleArns: [],
                policyArns: [],
                requireMfa: true,
                externalId: "ext-123",
                maxSessionDurationSeconds: 3600,
                sourcePolicy: true,
            }),
        );
        assert.deepEqual(s.Principal, { AWS: ["arn:aws:iam::710000000001:root"] });
        assert.deepEqual(s.Condition, { Bool: { "aws:MultiFactorAuthPresent": "true" }, StringEquals: { "sts:ExternalId": "ext-123" } });
    });

    it("the audit bucket policy is TLS-only and denies log deletion to everyone", () => {
        const st = statements(
            auditBucketPolicy({
                bucketName: "b",
                accountId: "111111111111",
                trailArn: "arn:aws:cloudtrail:eu-west-1:111111111111:trail/t",
            }),
        );
        const tls = st.find((s) => s.Sid === "DenyInsecureTransport");
        assert.deepEqual(tls?.Condition, { Bool: { "aws:SecureTransport": "false" } });
        const del = st.find((s) => s.Sid === "DenyLogDeletion");
        assert.equal(del?.Effect, "Deny");
        assert.equal(del?.Principal, "*");
        assert.deepEqual(del?.Action, ["s3:DeleteBucket", "s3:DeleteObject", "s3:DeleteObjectVersion"]);
    });

    it("the StackSet template trusts only its SAML provider with SAML:aud and is stable JSON", () => {
        const m = {
            providerName: "EntraID",
            metadataXml: "<EntityDescriptor/>",
            roles: [
                {
                    key: "read-only",
                    roleName: "Entra-read-only",
                    policyArns: ["arn:aws:iam::aws:policy/ReadOnlyAccess"],
                    maxSessionDurationSeconds: 3600,
                },
            ],
        };
        const body = samlStackSetTemplate(m);
        assert.equal(body, samlStackSetTemplate({ ...m }));
        const t = JSON.parse(body) as { Resources: Record<string, { Type: string; Properties: Record<string, unknown> }> };
        assert.equal(t.Resources.SamlProvider.Type, "AWS::IAM::SAMLProvider");
        const role = t.Resources.RoleReadOnly.Properties;
        const [s] = statements(role.AssumeRolePolicyDocument);
        assert.deepEqual(s.Principal, { Federated: { Ref: "SamlProvider" } });
        assert.deepEqual(s.Condition, { StringEquals: { "SAML:aud": SAML_AUDIENCE } });
    });
});
