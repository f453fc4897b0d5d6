/**
 * The blind spots closed in issue 12, by class: at least three documents each blocks and three near misses
 * it passes. Named dangerous actions on `*` (spelt exactly, not as a wildcard), workload takeover without
 * PassRole, credential reads, condition keys that cannot scope, grammar IAM rejects, and trust conditions
 * that can never match (reported as what they are, not as wildcards).
 */
import * as assert from "assert/strict";
import { analyzeIdentityPolicy } from "idfed-policy-pack/analysis/identity";
import { analyzeTrustPolicy } from "idfed-policy-pack/analysis/trust";
import { DANGEROUS_ACTIONS, TAKEOVER_WORKLOAD_ACTIONS, CREDENTIAL_ACTIONS } from "idfed-policy-pack/analysis/risky-actions";
import { getAction } from "idfed-policy-pack/analysis/catalog";
import { isConditionOperator } from "idfed-policy-pack/analysis/grammar";
import { DocumentReport, FindingKind } from "idfed-policy-pack/analysis/types";

const A = (Action: unknown, Resource: unknown = "*", extra: object = {}) => ({ Effect: "Allow", Action, Resource, ...extra });
const D = (Action: unknown, Resource: unknown = "*", extra: object = {}) => ({ Effect: "Deny", Action, Resource, ...extra });
const doc = (...Statement: object[]) => ({ Version: "2012-10-17", Statement });
const identity = (d: unknown) => analyzeIdentityPolicy(d);
const trust = (d: unknown) => analyzeTrustPolicy(d, { trustedAccountIds: ["111111111111"] });
const GH = "arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com";
const EKS = "arn:aws:iam::111111111111:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABC123";
const web = (Federated: string, Condition?: object) =>
    doc({ Effect: "Allow", Principal: { Federated }, Action: "sts:AssumeRoleWithWebIdentity", ...(Condition ? { Condition } : {}) });
const tag = (key: string, op = "StringEquals") => ({ Condition: { [op]: { [key]: "team-a" } } });

interface Case {
    name: string;
    kind: FindingKind;
    analyze: (d: unknown) => DocumentReport;
    blocks: [string, unknown, string?][];
    passes: [string, unknown][];
}

const CASES: Case[] = [
    {
        name: "resource exposure",
        kind: "dangerous-action-on-all",
        analyze: identity,
        blocks: [
            ["s3:PutBucketPolicy on *", doc(A("s3:PutBucketPolicy")), "resource exposure"],
            [
                "lambda:AddPermission on every function",
                doc(A("lambda:AddPermission", "arn:aws:lambda:*:*:function:*")),
                "`lambda:AddPermission`",
            ],
            [
                "ram:CreateResourceShare and kms:CreateGrant, lower case",
                doc(A(["ram:createresourceshare", "KMS:CreateGrant"])),
                "`kms:CreateGrant`",
            ],
            [
                "sns:AddPermission and sqs:AddPermission (services not on the sensitive list)",
                doc(A(["sns:AddPermission", "sqs:AddPermission"])),
                "`sqs:AddPermission`",
            ],
        ],
        passes: [
            ["s3:PutBucketPolicy on one bucket", doc(A("s3:PutBucketPolicy", "arn:aws:s3:::app-bucket"))],
            ["lambda:AddPermission on one function", doc(A("lambda:AddPermission", "arn:aws:lambda:eu-west-1:111111111111:function:app"))],
            ["Deny s3:PutBucketAcl on *", doc(D("s3:PutBucketAcl"))],
            ["ram:CreateResourceShare with aws:ResourceTag", doc(A("ram:CreateResourceShare", "*", tag("aws:ResourceTag/team")))],
        ],
    },
    {
        name: "defence evasion",
        kind: "dangerous-action-on-all",
        analyze: identity,
        blocks: [
            ["cloudtrail:StopLogging on *", doc(A("cloudtrail:StopLogging")), "defence evasion"],
            [
                "cloudtrail:PutEventSelectors on every trail",
                doc(A("cloudtrail:PutEventSelectors", "arn:aws:cloudtrail:*:*:trail/*")),
                "PutEventSelectors",
            ],
            [
                "kms:ScheduleKeyDeletion and kms:PutKeyPolicy on *",
                doc(A(["kms:ScheduleKeyDeletion", "kms:PutKeyPolicy"])),
                "kms:ScheduleKeyDeletion",
            ],
            ["guardduty:DeleteDetector as a JSON string", JSON.stringify(doc(A("guardduty:DeleteDetector"))), "guardduty:DeleteDetector"],
        ],
        passes: [
            [
                "cloudtrail:StopLogging on one trail",
                doc(A("cloudtrail:StopLogging", "arn:aws:cloudtrail:eu-west-1:111111111111:trail/app")),
            ],
            ["cloudtrail:LookupEvents on * (a read)", doc(A(["cloudtrail:LookupEvents", "cloudtrail:DescribeTrails"]))],
            ["Deny cloudtrail:StopLogging on * (a guardrail)", doc(D(["cloudtrail:StopLogging", "cloudtrail:DeleteTrail"]))],
        ],
    },
    {
        name: "remote execution",
        kind: "dangerous-action-on-all",
        analyze: identity,
        blocks: [
            ["ssm:SendCommand on *", doc(A("ssm:SendCommand")), "remote execution"],
            ["ssm:StartSession on every instance", doc(A("ssm:StartSession", "arn:aws:ec2:*:*:instance/*")), "ssm:StartSession"],
            ["ssm:SendCommand among reads on *", doc(A(["ssm:DescribeInstanceInformation", "ssm:SendCommand"])), "ssm:SendCommand"],
        ],
        passes: [
            [
                "ssm:SendCommand on one instance and one document",
                doc(
                    A("ssm:SendCommand", [
                        "arn:aws:ec2:eu-west-1:111111111111:instance/i-0abc",
                        "arn:aws:ssm:eu-west-1::document/AWS-RunShellScript",
                    ]),
                ),
            ],
            ["ssm:StartSession with an ssm:resourceTag condition", doc(A("ssm:StartSession", "*", tag("ssm:resourceTag/team")))],
            ["ssm:DescribeInstanceInformation on *", doc(A("ssm:DescribeInstanceInformation"))],
        ],
    },
    {
        name: "identity creation",
        kind: "dangerous-action-on-all",
        analyze: identity,
        blocks: [
            ["iam:CreateUser on *", doc(A("iam:CreateUser")), "identity creation"],
            ["iam:CreateRole on every role", doc(A("iam:CreateRole", "arn:aws:iam::*:role/*")), "iam:CreateRole"],
            ["cognito-idp:AdminCreateUser on *", doc(A("cognito-idp:AdminCreateUser")), "cognito-idp:AdminCreateUser"],
        ],
        passes: [
            ["iam:CreateRole under one path", doc(A("iam:CreateRole", "arn:aws:iam::111111111111:role/app/worker"))],
            ["iam:GetUser on *", doc(A(["iam:GetUser", "iam:ListUsers"]))],
            ["Deny iam:CreateUser", doc(D("iam:CreateUser"))],
        ],
    },
    {
        name: "role assumption",
        kind: "dangerous-action-on-all",
        analyze: identity,
        blocks: [
            ["sts:AssumeRole on *", doc(A("sts:AssumeRole")), "role assumption"],
            ["sts:AssumeRole on every role of every account", doc(A("sts:AssumeRole", "arn:aws:iam::*:role/*")), "sts:AssumeRole"],
            ["STS:assumerole, single statement object", { Statement: A("STS:assumerole") }, "sts:AssumeRole"],
        ],
        passes: [
            ["sts:AssumeRole on one role", doc(A("sts:AssumeRole", "arn:aws:iam::222222222222:role/deployer"))],
            ["sts:AssumeRole on * with aws:ResourceTag", doc(A("sts:AssumeRole", "*", tag("aws:ResourceTag/team")))],
            ["sts:GetCallerIdentity on *", doc(A("sts:GetCallerIdentity"))],
        ],
    },
    {
        name: "workload takeover",
        kind: "workload-takeover",
        analyze: identity,
        blocks: [
            ["lambda:UpdateFunctionCode on *", doc(A("lambda:UpdateFunctionCode")), "acts with their roles"],
            [
                "glue:UpdateDevEndpoint and ec2-instance-connect:SendSSHPublicKey",
                doc(A(["glue:UpdateDevEndpoint", "ec2-instance-connect:SendSSHPublicKey"])),
                "glue:UpdateDevEndpoint",
            ],
            [
                "ec2:ModifyInstanceAttribute on every instance",
                doc(A("ec2:ModifyInstanceAttribute", "arn:aws:ec2:*:*:instance/*")),
                "ec2:ModifyInstanceAttribute",
            ],
            [
                "launch template version + default",
                doc(A(["ec2:CreateLaunchTemplateVersion", "ec2:ModifyLaunchTemplate"])),
                "ec2:ModifyLaunchTemplate",
            ],
            ["ecs:ExecuteCommand on *", doc(A("ecs:ExecuteCommand")), "ecs:ExecuteCommand"],
            [
                "sagemaker notebook URL on *",
                doc(A("sagemaker:CreatePresignedNotebookInstanceUrl")),
                "sagemaker:CreatePresignedNotebookInstanceUrl",
            ],
            [
                "cloudformation change sets on every stack",
                doc(A(["cloudformation:CreateChangeSet", "cloudformation:ExecuteChangeSet"], "arn:aws:cloudformation:*:*:stack/*")),
                "cloudformation:ExecuteChangeSet",
            ],
        ],
        passes: [
            [
                "lambda:UpdateFunctionCode on its own function",
                doc(A("lambda:UpdateFunctionCode", "arn:aws:lambda:eu-west-1:111111111111:function:app")),
            ],
            [
                "ecs:ExecuteCommand on one cluster's tasks",
                doc(
                    A("ecs:ExecuteCommand", [
                        "arn:aws:ecs:eu-west-1:111111111111:cluster/app",
                        "arn:aws:ecs:eu-west-1:111111111111:task/app/*",
                    ]),
                ),
            ],
            [
                "cloudformation:UpdateStack on one stack",
                doc(A("cloudformation:UpdateStack", "arn:aws:cloudformation:eu-west-1:111111111111:stack/app/*")),
            ],
            ["lambda:GetFunction and lambda:InvokeFunction on *", doc(A(["lambda:GetFunction", "lambda:ListFunctions"]))],
        ],
    },
    {
        name: "credential reads",
        kind: "unscoped-credential-read",
        analyze: identity,
        blocks: [
            ["redshift:GetClusterCredentials on *", doc(A("redshift:GetClusterCredentials")), "returns credentials"],
            ["rds-db:connect on every user of every database", doc(A("rds-db:connect", "arn:aws:rds-db:*:*:dbuser:*/*")), "rds-db:connect"],
            [
                "codeartifact:GetAuthorizationToken and sts:GetFederationToken",
                doc(A(["codeartifact:GetAuthorizationToken", "sts:GetFederationToken"])),
                "sts:GetFederationToken",
            ],
            ["lightsail:GetInstanceAccessDetails on *", doc(A("lightsail:GetInstanceAccessDetails")), "lightsail:GetInstanceAccessDetails"],
        ],
        passes: [
            [
                "redshift:GetClusterCredentials for one db user",
                doc(A("redshift:GetClusterCredentials", "arn:aws:redshift:eu-west-1:111111111111:dbuser:analytics/reporter")),
            ],
            [
                "rds-db:connect for one user of one instance",
                doc(A("rds-db:connect", "arn:aws:rds-db:eu-west-1:111111111111:dbuser:db-ABC/app")),
            ],
            [
                "ecr:GetAuthorizationToken on * (only grantable on *; repositories still guarded)",
                doc(A(["ecr:GetAuthorizationToken", "sts:GetSessionToken"])),
            ],
        ],
    },
    {
        name: "conditions that cannot scope",
        kind: "condition-not-applicable",
        analyze: identity,
        blocks: [
            ["iam:ResourceTag on s3 actions", doc(A("s3:GetObject", "*", tag("iam:ResourceTag/team"))), "grants nothing"],
            [
                "iam:ResourceTag on ec2:StartInstances",
                doc(A("ec2:StartInstances", "*", tag("iam:ResourceTag/team"))),
                "`iam:resourcetag/team`",
            ],
            [
                "kms:ViaService on secretsmanager:GetSecretValue",
                doc(
                    A("secretsmanager:GetSecretValue", "*", {
                        Condition: { StringEquals: { "kms:ViaService": "secretsmanager.eu-west-1.amazonaws.com" } },
                    }),
                ),
                "fails closed",
            ],
        ],
        passes: [
            ["aws:ResourceTag on ec2:StartInstances", doc(A("ec2:StartInstances", "*", tag("aws:ResourceTag/team")))],
            ["ec2:ResourceTag on ec2:StartInstances", doc(A("ec2:StartInstances", "*", tag("ec2:ResourceTag/team")))],
            [
                "kms:ViaService on kms:Decrypt",
                doc(A("kms:Decrypt", "*", { Condition: { StringEquals: { "kms:ViaService": "secretsmanager.eu-west-1.amazonaws.com" } } })),
            ],
            [
                "lambda:SourceFunctionArn (a session key) on s3:GetObject of one bucket",
                doc(
                    A("s3:GetObject", "arn:aws:s3:::b/*", {
                        Condition: { ArnEquals: { "lambda:SourceFunctionArn": "arn:aws:lambda:eu-west-1:111111111111:function:f" } },
                    }),
                ),
            ],
        ],
    },
    {
        name: "grammar IAM rejects",
        kind: "invalid-document",
        analyze: identity,
        blocks: [
            [
                "unknown operator StringEqual",
                doc(A("s3:GetObject", "arn:aws:s3:::b/*", { Condition: { StringEqual: { "aws:PrincipalTag/team": "a" } } })),
                "`StringEqual` does not exist",
            ],
            ["a bucket name as Resource", doc(A("s3:GetObject", "my-bucket/*")), "neither `*` nor an ARN"],
            ["Sid with a space", doc({ Sid: "Read objects", ...A("s3:GetObject", "arn:aws:s3:::b/*") }), "letters and digits"],
            [
                "duplicate Sid",
                doc({ Sid: "Read", ...A("s3:GetObject", "arn:aws:s3:::b/*") }, { Sid: "Read", ...A("s3:ListBucket", "arn:aws:s3:::b") }),
                "duplicate Sids",
            ],
        ],
        passes: [
            [
                "ForAnyValue:StringLikeIfExists and Null",
                doc(
                    A("s3:GetObject", "arn:aws:s3:::b/*", {
                        Condition: {
                            "ForAnyValue:StringLikeIfExists": { "aws:PrincipalTag/team": "a*" },
                            Null: { "aws:PrincipalTag/team": "false" },
                        },
                    }),
                ),
            ],
            ["ARN Resource in another partition", doc(A("s3:GetObject", "arn:aws-cn:s3:::b/*"))],
            [
                "alphanumeric, distinct Sids",
                doc({ Sid: "Read1", ...A("s3:GetObject", "arn:aws:s3:::b/*") }, { Sid: "List1", ...A("s3:ListBucket", "arn:aws:s3:::b") }),
            ],
        ],
    },
    {
        name: "trust conditions that never match",
        kind: "trust-condition-never-matches",
        analyze: trust,
        blocks: [
            [
                "literal * under StringEquals",
                web(GH, { StringEquals: { "token.actions.githubusercontent.com:sub": "repo:acme/app:*" } }),
                "compares `token.actions.githubusercontent.com:sub` literally",
            ],
            [
                "a claim AWS never sends (repository)",
                web(GH, { StringEquals: { "token.actions.githubusercontent.com:repository": "acme/app" } }),
                "not a claim AWS puts in the request context",
            ],
            [
                "EKS OIDC with an org wildcard under StringEquals",
                web(EKS, { StringEquals: { "oidc.eks.eu-west-1.amazonaws.com/id/ABC123:sub": "system:serviceaccount:*" } }),
                "nobody can assume",
            ],
        ],
        passes: [
            [
                "StringLike with a branch pattern",
                web(GH, { StringLike: { "token.actions.githubusercontent.com:sub": "repo:acme/app:ref:refs/heads/release-*" } }),
            ],
            [
                "StringEquals exact sub and aud",
                web(GH, {
                    StringEquals: {
                        "token.actions.githubusercontent.com:sub": "repo:acme/app:ref:refs/heads/main",
                        "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
                    },
                }),
            ],
            [
                "EKS service account exactly",
                web(EKS, { StringEquals: { "oidc.eks.eu-west-1.amazonaws.com/id/ABC123:sub": "system:serviceaccount:app:worker" } }),
            ],
        ],
    },
];

describe("policy blind spots: every class blocks and near misses pass", () => {
    for (const c of CASES) {
        describe(`${c.name} (${c.kind})`, () => {
            it("has at least 3 blocked documents and 3 near misses", () => {
                assert.ok(c.blocks.length >= 3 && c.passes.length >= 3);
            });
            for (const [name, d, needle] of c.blocks) {
                it(`blocks: ${name}`, () => {
                    const r = c.analyze(d);
                    const hit = r.findings.filter((f) => f.kind === c.kind && f.level === "mandatory");
                    assert.ok(hit.length > 0, `no mandatory ${c.kind} in ${JSON.stringify(r.findings, null, 1)}`);
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

    it("names a wildcard-free trust mistake for what it is, not as a repository wildcard", () => {
        const r = trust(web(GH, { StringEquals: { "token.actions.githubusercontent.com:sub": "repo:acme/*" } }));
        assert.deepEqual(
            r.findings.map((f) => f.kind),
            ["trust-condition-never-matches"],
        );
        const missing = trust(web(GH, { StringEquals: { "token.actions.githubusercontent.com:repository_owner": "acme" } }));
        assert.ok(!missing.findings.some((f) => f.kind === "trust-github-oidc-unscoped"), "a dead condition is not 'any repository'");
    });

    it("reports a condition key that never applies under a negated operator as restricting nothing (and judges the grant)", () => {
        const r = identity(doc(A("s3:PutBucketPolicy", "*", tag("iam:ResourceTag/team", "StringNotEquals"))));
        assert.ok(
            r.findings.some((f) => f.kind === "condition-not-applicable" && f.level === "advisory" && /restricts nothing/.test(f.message)),
        );
        assert.ok(r.findings.some((f) => f.kind === "dangerous-action-on-all" && f.level === "mandatory"));
    });

    it("does not count a key that never applies as scoping a service wildcard", () => {
        const r = identity(doc(A("s3:*", "*", tag("iam:ResourceTag/team"))));
        assert.ok(r.findings.some((f) => f.kind === "service-wildcard"));
        const ok = identity(doc(A("s3:*", "*", tag("aws:ResourceTag/team"))));
        assert.ok(!ok.findings.some((f) => f.kind === "service-wildcard"));
    });

    it("reports a named action once: a service wildcard already covering it adds no second finding", () => {
        const r = identity(doc(A("s3:*")));
        assert.equal(r.findings.filter((f) => f.kind === "dangerous-action-on-all").length, 0);
        assert.ok(r.findings.some((f) => f.kind === "service-wildcard"));
    });

    it("blocks an unknown action in an otherwise narrow Allow, consistently with other grants-nothing mistakes", () => {
        const r = identity(doc(A(["s3:GetObject", "s3:GetObjcet"], "arn:aws:s3:::b/*")));
        const f = r.findings.find((x) => x.kind === "unknown-action");
        assert.equal(f?.level, "mandatory");
        assert.match(f!.message, /Did you mean `s3:GetObject`/);
    });

    it("accepts exactly IAM's condition operators", () => {
        for (const ok of ["StringEquals", "stringlikeifexists", "ForAllValues:StringEquals", "ArnNotLike", "Null", "BinaryEquals"])
            assert.ok(isConditionOperator(ok), ok);
        for (const bad of ["StringEqual", "NullIfExists", "ForSomeValues:StringEquals", "Equals", ""])
            assert.ok(!isConditionOperator(bad), bad);
    });

    it("lists only actions the catalog knows", () => {
        const all = [...DANGEROUS_ACTIONS.keys(), ...TAKEOVER_WORKLOAD_ACTIONS, ...CREDENTIAL_ACTIONS];
        const missing = all.filter((a) => getAction(a) === undefined);
        assert.deepEqual(missing, []);
    });
});
