/**
 * Every finding kind: at least three documents it blocks and three near misses it passes (scoped ARNs,
 * read-only on `*`, Deny, conditions), in the tricky forms IAM accepts (case, `?`, string vs array, JSON
 * string, single statement object).
 */
import * as assert from "assert/strict";
import { analyzeIdentityPolicy } from "idfed-policy-pack/analysis/identity";
import { analyzeTrustPolicy } from "idfed-policy-pack/analysis/trust";
import { analyzeScp } from "idfed-policy-pack/analysis/scp";
import { FindingKind, DocumentReport } from "idfed-policy-pack/analysis/types";

const A = (Action: unknown, Resource: unknown = "*", extra: object = {}) => ({ Effect: "Allow", Action, Resource, ...extra });
const D = (Action: unknown, Resource: unknown = "*", extra: object = {}) => ({ Effect: "Deny", Action, Resource, ...extra });
const doc = (...Statement: object[]) => ({ Version: "2012-10-17", Statement });

interface Case {
    kind: FindingKind;
    analyze: (d: unknown) => DocumentReport;
    blocks: [string, unknown, string?][];
    passes: [string, unknown][];
}

const identity = (d: unknown) => analyzeIdentityPolicy(d);
const trust = (d: unknown) => analyzeTrustPolicy(d, { trustedAccountIds: ["111111111111"] });
const GH = "arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com";
const SAML = "arn:aws:iam::111111111111:saml-provider/EntraID";
const gh = (cond?: object) =>
    doc({ Effect: "Allow", Principal: { Federated: GH }, Action: "sts:AssumeRoleWithWebIdentity", ...(cond ? { Condition: cond } : {}) });

const CASES: Case[] = [
    {
        kind: "full-admin",
        analyze: identity,
        blocks: [
            ["* on * (single statement object)", { Statement: A("*") }, "full administrator"],
            ["*:* in an array, JSON string", JSON.stringify(doc(A(["*:*"], ["*"]))), "`*` on `*`"],
            ["* among other actions, Sid named", doc({ Sid: "Everything", ...A(["s3:GetObject", "*"]) }), 'statement 1 ("Everything")'],
        ],
        passes: [
            ["* on one bucket ARN", doc(A("*", "arn:aws:s3:::my-bucket"))],
            ["Deny * on *", doc(D("*"))],
            ["read-only wildcards on *", doc(A(["s3:Get*", "ec2:Describe*"]))],
        ],
    },
    {
        kind: "service-wildcard",
        analyze: identity,
        blocks: [
            ["s3:* on *", doc(A("s3:*")), "s3:Get*"],
            ["mixed case IAM:put* on *", doc(A(["IAM:put*"])), "`IAM:put*`"],
            ["kms:*Key* on arn:aws:kms:*:*:key/*", doc(A("kms:*Key*", "arn:aws:kms:*:*:key/*")), "Scope Resource"],
            ["ec2:* on *", doc(A("ec2:*")), "ec2:Describe*"],
        ],
        passes: [
            ["s3:* on one bucket", doc(A("s3:*", ["arn:aws:s3:::app-bucket", "arn:aws:s3:::app-bucket/*"]))],
            ["iam:Get* and iam:List* on *", doc(A(["iam:Get*", "iam:List*"]))],
            [
                "ec2:* with an aws:ResourceTag condition",
                doc(A("ec2:*", "*", { Condition: { StringEquals: { "aws:ResourceTag/team": "a" } } })),
            ],
            ["Deny s3:*", doc(D("s3:*"))],
        ],
    },
    {
        kind: "not-action-allow",
        analyze: identity,
        blocks: [
            ["PowerUser-like", doc({ Effect: "Allow", NotAction: ["iam:*", "organizations:*"], Resource: "*" }), "keep NotAction for Deny"],
            [
                "NotAction string on a bucket",
                doc({ Effect: "Allow", NotAction: "s3:DeleteBucket", Resource: "arn:aws:s3:::b" }),
                "s3:DeleteBucket",
            ],
            ["lower-case keys", doc({ effect: "Allow", notaction: "iam:*", resource: "*" }), "NotAction"],
        ],
        passes: [
            [
                "Deny NotAction (region guard)",
                doc({
                    Effect: "Deny",
                    NotAction: ["iam:*", "sts:*"],
                    Resource: "*",
                    Condition: { StringNotEquals: { "aws:RequestedRegion": "eu-west-1" } },
                }),
            ],
            ["Deny NotAction string", doc({ Effect: "Deny", NotAction: "s3:GetObject", Resource: "arn:aws:s3:::b/*" })],
            ["Allow with Action list", doc(A(["s3:GetObject", "s3:ListBucket"], ["arn:aws:s3:::b", "arn:aws:s3:::b/*"]))],
        ],
    },
    {
        kind: "not-resource-allow",
        analyze: identity,
        blocks: [
            [
                "NotResource one bucket",
                doc({ Effect: "Allow", Action: "s3:GetObject", NotResource: "arn:aws:s3:::secret/*" }),
                "NotResource",
            ],
            [
                "NotResource array",
                doc({ Effect: "Allow", Action: ["ec2:DescribeInstances"], NotResource: ["arn:aws:ec2:*:*:instance/i-1"] }),
                "every resource except",
            ],
            ["NotResource with NotAction", doc({ Effect: "Allow", NotAction: "iam:*", NotResource: "arn:aws:s3:::x" }), "created later"],
        ],
        passes: [
            ["Deny NotResource", doc({ Effect: "Deny", Action: "s3:*", NotResource: ["arn:aws:s3:::ok", "arn:aws:s3:::ok/*"] })],
            ["Allow Resource list", doc(A("s3:GetObject", ["arn:aws:s3:::a/*", "arn:aws:s3:::b/*"]))],
            [
                "Deny NotResource with condition",
                doc({
                    Effect: "Deny",
                    Action: "*",
                    NotResource: "arn:aws:s3:::x",
                    Condition: { Bool: { "aws:SecureTransport": "false" } },
                }),
            ],
        ],
    },
    {
        kind: "privilege-escalation",
        analyze: identity,
        blocks: [
            ["CreatePolicyVersion on *", doc(A("iam:CreatePolicyVersion")), "iam:CreatePolicyVersion"],
            ["iam:Attach?olePolicy on role/*", doc(A("iam:Attach?olePolicy", "arn:aws:iam::123456789012:role/*")), "iam:AttachRolePolicy"],
            ["PassRole on *", doc(A("iam:passrole")), "iam:PassRole"],
            [
                "PassRole on app-* with RunInstances",
                doc(A("iam:PassRole", "arn:aws:iam::123456789012:role/app-*"), A("ec2:RunInstances")),
                "ec2:RunInstances",
            ],
            ["CreateAccessKey string JSON", JSON.stringify({ Statement: A("iam:CreateAccessKey") }), "iam:CreateAccessKey"],
        ],
        passes: [
            [
                "PassRole on one exact role + RunInstances",
                doc(
                    A("iam:PassRole", "arn:aws:iam::123456789012:role/app-ec2", {
                        Condition: { StringEquals: { "iam:PassedToService": "ec2.amazonaws.com" } },
                    }),
                    A("ec2:RunInstances", "arn:aws:ec2:*:123456789012:instance/*"),
                ),
            ],
            [
                "AttachRolePolicy with iam:PolicyARN condition",
                doc(
                    A("iam:AttachRolePolicy", "arn:aws:iam::123456789012:role/*", {
                        Condition: { ArnEquals: { "iam:PolicyARN": "arn:aws:iam::aws:policy/ReadOnlyAccess" } },
                    }),
                ),
            ],
            ["CreateAccessKey on own user", doc(A("iam:CreateAccessKey", "arn:aws:iam::123456789012:user/${aws:username}"))],
            ["Deny escalation", doc(D(["iam:CreatePolicyVersion", "iam:PassRole"]))],
        ],
    },
    {
        kind: "identity-center-takeover",
        analyze: identity,
        blocks: [
            ["sso:CreateAccountAssignment", doc(A("sso:CreateAccountAssignment")), "sso:CreateAccountAssignment"],
            [
                "identitystore membership, case",
                doc(A("IdentityStore:CreateGroupMembership", "arn:aws:identitystore::123456789012:identitystore/d-1")),
                "identitystore:CreateGroupMembership",
            ],
            [
                "iam:CreateSAMLProvider",
                doc(A(["iam:CreateSAMLProvider"], "arn:aws:iam::123456789012:saml-provider/x")),
                "iam:CreateSAMLProvider",
            ],
            ["organizations:*", doc(A("organizations:*")), "organizations:"],
            ["sso:Put*", doc(A("sso:Put*")), "sso:PutInlinePolicyToPermissionSet"],
        ],
        passes: [
            ["sso read-only", doc(A(["sso:List*", "sso:Describe*", "identitystore:List*", "identitystore:Describe*"]))],
            ["Deny takeover", doc(D(["sso:*", "identitystore:*", "organizations:*"]))],
            ["organizations read", doc(A(["organizations:Describe*", "organizations:List*"]))],
        ],
    },
    {
        kind: "unscoped-secret-read",
        analyze: identity,
        blocks: [
            ["GetSecretValue on *", doc(A("secretsmanager:GetSecretValue")), "secretsmanager:GetSecretValue"],
            [
                "ssm:GetParameter* on parameter/*",
                doc(A("ssm:GetParameter*", "arn:aws:ssm:eu-west-1:123456789012:parameter/*")),
                "ssm:GetParameter",
            ],
            ["kms:decrypt lower case", doc(A("kms:decrypt")), "kms:Decrypt"],
        ],
        passes: [
            [
                "GetSecretValue on one secret prefix",
                doc(A("secretsmanager:GetSecretValue", "arn:aws:secretsmanager:eu-west-1:123456789012:secret:app/db-*")),
            ],
            [
                "kms:Decrypt with kms:ViaService",
                doc(A("kms:Decrypt", "*", { Condition: { StringEquals: { "kms:ViaService": "s3.eu-west-1.amazonaws.com" } } })),
            ],
            [
                "GetSecretValue with a ResourceTag condition",
                doc(
                    A("secretsmanager:GetSecretValue", "*", {
                        Condition: { StringEquals: { "secretsmanager:ResourceTag/team": "${aws:PrincipalTag/team}" } },
                    }),
                ),
            ],
            ["Deny GetSecretValue", doc(D("secretsmanager:GetSecretValue"))],
        ],
    },
    {
        kind: "unknown-action",
        analyze: identity,
        blocks: [
            ["iam:PassRloe", doc(A("iam:PassRloe", "arn:aws:iam::1:role/x")), "Did you mean `iam:PassRole`"],
            ["unknown service s4", doc(A("s4:GetObject", "arn:aws:s3:::b/*")), "`s3:GetObject`"],
            ["typo in a Deny", doc(D("iam:DeleteRoel")), "denies nothing"],
            ["wildcard that matches nothing", doc(A("s3:Fetch*", "arn:aws:s3:::b/*")), "`s3:Fetch*`"],
        ],
        passes: [
            ["case-insensitive known action", doc(A("S3:GETOBJECT", "arn:aws:s3:::b/*"))],
            ["? wildcard that matches", doc(A("s3:Get?bject", "arn:aws:s3:::b/*"))],
            ["* in the service part", doc(A("*:Describe*"))],
        ],
    },
    {
        kind: "trust-wildcard-principal",
        analyze: trust,
        blocks: [
            ["Principal *", doc({ Effect: "Allow", Principal: "*", Action: "sts:AssumeRole" }), "Principal `*`"],
            ["AWS: * in array", doc({ Effect: "Allow", Principal: { AWS: ["*"] }, Action: ["sts:AssumeRole"] }), "aws:PrincipalOrgID"],
            [
                "NotPrincipal Allow",
                doc({ Effect: "Allow", NotPrincipal: { AWS: "arn:aws:iam::111111111111:root" }, Action: "sts:AssumeRole" }),
                "NotPrincipal",
            ],
        ],
        passes: [
            [
                "* with aws:PrincipalOrgID",
                doc({
                    Effect: "Allow",
                    Principal: { AWS: "*" },
                    Action: "sts:AssumeRole",
                    Condition: { StringEquals: { "aws:PrincipalOrgID": "o-abc" } },
                }),
            ],
            ["service principal", doc({ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" })],
            ["Deny *", doc({ Effect: "Deny", Principal: "*", Action: "sts:AssumeRole" })],
        ],
    },
    {
        kind: "trust-saml-without-audience",
        analyze: trust,
        blocks: [
            [
                "SAML without condition",
                doc({ Effect: "Allow", Principal: { Federated: SAML }, Action: "sts:AssumeRoleWithSAML" }),
                "SAML:aud",
            ],
            ["SAML via sts:AssumeRole*", doc({ Effect: "Allow", Principal: { Federated: [SAML] }, Action: "sts:AssumeRole*" }), "SAML:aud"],
            [
                "SAML with another condition",
                doc({
                    Effect: "Allow",
                    Principal: { Federated: SAML },
                    Action: "STS:assumerolewithsaml",
                    Condition: { StringEquals: { "saml:sub": "x" } },
                }),
                "SAML:aud",
            ],
        ],
        passes: [
            [
                "SAML:aud",
                doc({
                    Effect: "Allow",
                    Principal: { Federated: SAML },
                    Action: "sts:AssumeRoleWithSAML",
                    Condition: { StringEquals: { "SAML:aud": "https://signin.aws.amazon.com/saml" } },
                }),
            ],
            [
                "lower-case saml:aud",
                doc({
                    Effect: "Allow",
                    Principal: { Federated: SAML },
                    Action: ["sts:AssumeRoleWithSAML", "sts:TagSession"],
                    Condition: { StringEquals: { "saml:aud": "https://signin.aws.amazon.com/saml" } },
                }),
            ],
            ["Deny SAML", doc({ Effect: "Deny", Principal: { Federated: SAML }, Action: "sts:AssumeRoleWithSAML" })],
        ],
    },
    {
        kind: "trust-cross-account-without-condition",
        analyze: trust,
        blocks: [
            [
                "foreign root",
                doc({ Effect: "Allow", Principal: { AWS: "arn:aws:iam::999999999999:root" }, Action: "sts:AssumeRole" }),
                "sts:ExternalId",
            ],
            ["bare account id", doc({ Effect: "Allow", Principal: { AWS: "999999999999" }, Action: "sts:AssumeRole" }), "999999999999"],
            [
                "foreign role among own",
                doc({
                    Effect: "Allow",
                    Principal: { AWS: ["arn:aws:iam::111111111111:root", "arn:aws:iam::888888888888:role/vendor"] },
                    Action: "sts:AssumeRole",
                }),
                "888888888888",
            ],
        ],
        passes: [
            [
                "ExternalId",
                doc({
                    Effect: "Allow",
                    Principal: { AWS: "arn:aws:iam::999999999999:root" },
                    Action: "sts:AssumeRole",
                    Condition: { StringEquals: { "sts:ExternalId": "x" } },
                }),
            ],
            [
                "MFA",
                doc({
                    Effect: "Allow",
                    Principal: { AWS: "999999999999" },
                    Action: "sts:AssumeRole",
                    Condition: { Bool: { "aws:MultiFactorAuthPresent": "true" } },
                }),
            ],
            [
                "trusted account",
                doc({ Effect: "Allow", Principal: { AWS: "arn:aws:iam::111111111111:role/ci" }, Action: "sts:AssumeRole" }),
            ],
        ],
    },
    {
        kind: "trust-github-oidc-unscoped",
        analyze: trust,
        blocks: [
            ["no sub", gh({ StringEquals: { "token.actions.githubusercontent.com:aud": "sts.amazonaws.com" } }), "sub"],
            ["repo:*", gh({ StringLike: { "token.actions.githubusercontent.com:sub": "repo:*" } }), "`repo:*`"],
            [
                "org wildcard repo",
                gh({ StringLike: { "token.actions.githubusercontent.com:sub": ["repo:acme/app:ref:refs/heads/main", "repo:acme/*"] } }),
                "`repo:acme/*`",
            ],
        ],
        passes: [
            [
                "exact repo and branch",
                gh({ StringEquals: { "token.actions.githubusercontent.com:sub": "repo:acme/infra:ref:refs/heads/main" } }),
            ],
            [
                "environment",
                gh({
                    StringEquals: {
                        "token.actions.githubusercontent.com:sub": "repo:acme/infra:environment:prod",
                        "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
                    },
                }),
            ],
            ["any ref of one repo", gh({ StringLike: { "token.actions.githubusercontent.com:sub": "repo:acme/infra:*" } })],
        ],
    },
];

describe("policy findings: every kind blocks and near misses pass", () => {
    for (const c of CASES) {
        describe(c.kind, () => {
            it("has at least 3 blocked documents and 3 near misses", () => {
                assert.ok(c.blocks.length >= 3 && c.passes.length >= 3);
            });
            for (const [name, d, needle] of c.blocks) {
                it(`blocks: ${name}`, () => {
                    const r = c.analyze(d);
                    const hit = r.findings.filter((f) => f.kind === c.kind);
                    assert.ok(hit.length > 0, `no ${c.kind} in ${JSON.stringify(r.findings, null, 1)}`);
                    assert.ok(hit.every((f) => f.level === "mandatory"));
                    if (needle)
                        assert.ok(
                            hit.some((f) => f.message.includes(needle)),
                            `no message with "${needle}": ${JSON.stringify(hit, null, 1)}`,
                        );
                });
            }
            for (const [name, d] of c.passes) {
                it(`passes: ${name}`, () => {
                    const r = c.analyze(d);
                    assert.deepEqual(
                        r.findings.filter((f) => f.level === "mandatory"),
                        [],
                        JSON.stringify(r.findings, null, 1),
                    );
                });
            }
        });
    }

    it("names the narrower read-only set for a service wildcard", () => {
        const r = analyzeIdentityPolicy(doc({ Sid: "Buckets", ...A("s3:*") }));
        const f = r.findings.find((x) => x.kind === "service-wildcard")!;
        assert.match(f.message, /statement 1 \("Buckets"\)/);
        assert.match(f.message, /`s3:Get\*`/);
        assert.match(f.message, /`s3:List\*`/);
        assert.match(f.message, /\d+ Write, \d+ Permissions management, \d+ Tagging/);
    });

    it("reports a preview unknown as cannot-judge, never as safe", () => {
        const r = analyzeIdentityPolicy("04da6b54-80e4-46f7-96ec-b56ff0331ba9");
        assert.equal(r.status, "unknown");
        assert.equal(r.findings[0].kind, "cannot-judge");
        const nested = analyzeIdentityPolicy(doc(A("s3:GetObject", "04da6b54-80e4-46f7-96ec-b56ff0331ba9")));
        assert.equal(nested.status, "unknown");
        assert.equal(nested.unknownPath, "Statement[0].Resource");
    });

    it("flags structural problems as invalid documents", () => {
        for (const bad of [
            "{",
            "[]",
            { Statement: [{ Effect: "Maybe", Action: "s3:GetObject", Resource: "*" }] },
            { Statement: [{ Effect: "Allow", Resource: "*" }] },
            { Statement: [{ Effect: "Allow", Action: [1, {}], Resource: "*" }] },
        ]) {
            const r = analyzeIdentityPolicy(bad);
            assert.ok(
                r.findings.some((f) => f.kind === "invalid-document" && f.level === "mandatory"),
                JSON.stringify(r),
            );
        }
    });
});

describe("SCPs are judged by their own rules", () => {
    it("never calls FullAWSAccess or a Deny-heavy SCP broad", () => {
        for (const d of [
            doc(A("*")),
            doc(D(["iam:*", "organizations:LeaveOrganization"]), A("*")),
            doc({
                Effect: "Deny",
                NotAction: ["iam:*", "sts:*"],
                Resource: "*",
                Condition: { StringNotEquals: { "aws:RequestedRegion": ["eu-west-1"] } },
            }),
        ]) {
            const r = analyzeScp(d);
            assert.deepEqual(r.findings, [], JSON.stringify(r.findings));
            assert.equal(r.adminLevel, false);
        }
    });
    it("blocks a Deny with a typo, a Principal and an oversized SCP", () => {
        assert.match(
            analyzeScp(doc(D("organizations:LeaveOrganisation"))).findings[0].message,
            /Deny restricts nothing.*LeaveOrganization/,
        );
        assert.equal(analyzeScp(doc({ ...D("s3:*"), Principal: "*" })).findings[0].kind, "scp-principal");
        const big = doc(D(Array.from({ length: 300 }, (_, i) => `ec2:DescribeInstances${"".padEnd(i % 2)}`.trim())));
        assert.ok(analyzeScp(big).findings.some((f) => f.kind === "size-limit"));
    });
    it("warns (advisory) about a Deny of everything", () => {
        const f = analyzeScp(doc(D("*"))).findings;
        assert.equal(f.length, 1);
        assert.equal(f[0].level, "advisory");
    });
});
