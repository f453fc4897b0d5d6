import assert from "node:assert/strict";
import { githubOidcTrust } from "idfed-policy-pack/policies/trust";
import { parseSubject } from "../stacks/config/github-subjects";
import { parseStackConfig } from "../stacks/config/stack-config";
import { ConfigError } from "../stacks/model/index";
import { PROJECT_ROOT, readFile, validRaw } from "./fixtures/stacks-config";
import { runStackPolicy, show, stackArgs } from "./fixtures/policies/harness";

const PROVIDER = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com";

/** A role trusting GitHub with these `sub` values under `operator`. */
function role(name: string, subs: string[], operator = "StringEquals") {
    const condition =
        operator === "StringEquals"
            ? {
                  StringEquals: {
                      "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
                      "token.actions.githubusercontent.com:sub": subs,
                  },
              }
            : {
                  StringEquals: { "token.actions.githubusercontent.com:aud": "sts.amazonaws.com" },
                  [operator]: { "token.actions.githubusercontent.com:sub": subs },
              };
    return {
        type: "aws:iam/role:Role",
        name,
        props: {
            assumeRolePolicy: JSON.stringify({
                Version: "2012-10-17",
                Statement: [
                    { Effect: "Allow", Action: "sts:AssumeRoleWithWebIdentity", Principal: { Federated: PROVIDER }, Condition: condition },
                ],
            }),
        },
    };
}

async function verdicts(environment: string, ...roles: ReturnType<typeof role>[]): Promise<string[]> {
    const out = await runStackPolicy(githubOidcTrust, stackArgs(roles, { config: { environment } }));
    return out.violations.map((v) => v.message);
}

describe("GitHub OIDC subjects (stacks/config/github-subjects.ts)", () => {
    it("accepts the documented default, environment, pull_request and customized job_workflow_ref forms", () => {
        for (const s of [
            "ref:refs/heads/main",
            "ref:refs/tags/v1.2.0",
            "environment:production",
            "pull_request",
            "ref:refs/heads/release/*",
            "environment:production:job_workflow_ref:acme/idfed/.github/workflows/deploy.yml@refs/heads/main",
        ]) {
            assert.equal(typeof parseSubject(s), "object", s);
        }
        assert.deepEqual(parseSubject("environment:production:job_workflow_ref:acme/idfed/.github/workflows/deploy.yml@refs/heads/main"), {
            context: "environment",
            pattern: false,
            environment: "production",
            jobWorkflowRef: "acme/idfed/.github/workflows/deploy.yml@refs/heads/main",
        });
    });

    it("rejects wildcards wider than a folder and malformed subjects", () => {
        for (const s of [
            "ref:refs/heads/m*",
            "ref:refs/heads/*",
            "*",
            "environment:*",
            "ref:refs/heads/ma?n",
            "environment:prod:job_workflow_ref:*",
        ]) {
            assert.match(String(parseSubject(s)), /has a wildcard/, s);
        }
        assert.match(String(parseSubject("ref:main")), /is not allowed/);
        assert.match(String(parseSubject("repo:acme/idfed:pull_request")), /includes the `repo:` prefix/);
    });
});

describe("idfed:gitops in a prod stack (config check)", () => {
    const opts = { stackName: "prod", projectRoot: PROJECT_ROOT, readFile };
    const gitops = (subjects: string[], extra: Record<string, unknown> = {}) => ({
        ...validRaw(),
        "idfed:gitops": { repository: "acme/idfed", subjects, deployRoleName: "idfed-deploy-prod", ...extra },
    });

    it("accepts environment subjects only, and builds the preview and maintenance roles with their deny of secret values", () => {
        const model = parseStackConfig(
            gitops(["environment:deploy-prod"], {
                previewRole: { roleName: "idfed-preview-prod", subjects: ["environment:pr-preview-prod", "environment:plan-prod"] },
                maintenanceRole: { roleName: "idfed-maintenance-prod", subjects: ["environment:maintenance-prod"] },
            }),
            opts,
        );
        assert.ok(model.gitops.enabled);
        const roles = model.gitops.enabled ? (model.gitops.trust.additionalRoles ?? []) : [];
        assert.deepEqual(
            roles.map((r) => [r.key, r.roleName, r.managedPolicyArns]),
            [
                ["preview", "idfed-preview-prod", []],
                ["maintenance", "idfed-maintenance-prod", []],
            ],
        );
        for (const r of roles) {
            assert.deepEqual((r.inlinePolicy?.Statement as Array<{ Sid?: string; Effect: string; Action: unknown }>)[0], {
                Sid: "NeverReadSecretValues",
                Effect: "Deny",
                Action: ["secretsmanager:GetSecretValue"],
                Resource: "*",
            });
        }
        type St = { Sid: string; Action: string[] };
        const statements = (i: number) => roles[i].inlinePolicy?.Statement as St[];
        assert.deepEqual(
            statements(0).map((x) => x.Sid),
            ["NeverReadSecretValues", "ReadWhatTheProgramManages"],
        );
        assert.deepEqual(statements(1)[2].Action, ["sso:DeleteAccountAssignment", "sso:DescribeAccountAssignmentDeletionStatus"]);
        // Reads only: no write verb and no value of a secret or parameter in the shared read statement.
        const reads = statements(0)[1].Action;
        assert.deepEqual(
            reads.filter((a) => !/^[a-z0-9-]+:(Describe|List|Get)/.test(a)),
            [],
        );
        assert.deepEqual(
            reads.filter((a) => /GetSecretValue|GetParameter|GetPasswordData|Token/.test(a)),
            [],
        );
    });

    it("rejects branch and pull_request subjects in prod, naming the key path", () => {
        try {
            parseStackConfig(
                gitops(["ref:refs/heads/main"], { previewRole: { roleName: "idfed-preview-prod", subjects: ["pull_request"] } }),
                opts,
            );
            assert.fail("expected a ConfigError");
        } catch (e) {
            assert.ok(e instanceof ConfigError, String(e));
            assert.match(e.message, /idfed:gitops\.subjects\[0\]`?:? .*`ref:refs\/heads\/main` is not an `environment:<name>` subject/);
            assert.match(e.message, /idfed:gitops\.previewRole\.subjects\[0\]`?:? .*`pull_request` is not an `environment:<name>` subject/);
        }
    });

    it("accepts a branch subject outside prod", () => {
        const model = parseStackConfig({ ...gitops(["ref:refs/heads/main"]), "idfed:environment": "dev" }, { ...opts, stackName: "dev" });
        assert.ok(model.gitops.enabled);
    });
});

describe("policy pack: github-oidc-trust", () => {
    it("passes a prod role trusting environment subjects (also immutable and job_workflow_ref forms)", async () => {
        assert.deepEqual(
            await verdicts(
                "prod",
                role("deploy", [
                    "repo:acme/idfed:environment:deploy-prod",
                    "repo:acme@1/idfed@2:environment:deploy-prod:job_workflow_ref:acme/idfed/.github/workflows/deploy.yml@refs/heads/main",
                ]),
            ),
            [],
        );
    });

    it("blocks a prod role trusting a branch or pull_request", async () => {
        const v = await verdicts("prod", role("deploy", ["repo:acme/idfed:ref:refs/heads/main", "repo:acme/idfed:pull_request"]));
        assert.equal(v.length, 2, v.join("\n"));
        assert.match(v[0], /role `deploy` trusts `repo:acme\/idfed:ref:refs\/heads\/main`: a prod role trusts only/);
    });

    it("blocks a wildcard wider than a folder in any environment, allows a folder wildcard outside prod", async () => {
        const v = await verdicts(
            "dev",
            role("deploy", ["repo:acme/idfed:ref:refs/heads/m*"], "StringLike"),
            role("ok", ["repo:acme/idfed:ref:refs/heads/release/*"], "StringLike"),
        );
        assert.equal(v.length, 1, v.join("\n"));
        assert.match(v[0], /role `deploy` trusts `repo:acme\/idfed:ref:refs\/heads\/m\*`: a wildcard wider than one branch or tag folder/);
    });

    it("blocks a GitHub-trusting role without any sub condition, ignores roles GitHub does not federate", async () => {
        const noSub = {
            ...role("open", []),
            props: {
                assumeRolePolicy: JSON.stringify({
                    Statement: [
                        {
                            Effect: "Allow",
                            Principal: { Federated: PROVIDER },
                            Action: "sts:AssumeRoleWithWebIdentity",
                            Condition: { StringEquals: { "token.actions.githubusercontent.com:aud": "sts.amazonaws.com" } },
                        },
                    ],
                }),
            },
        };
        const other = {
            type: "aws:iam/role:Role",
            name: "svc",
            props: {
                assumeRolePolicy: JSON.stringify({
                    Statement: [{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }],
                }),
            },
        };
        const out = await runStackPolicy(githubOidcTrust, stackArgs([noSub, other], { config: { environment: "dev" } }));
        assert.equal(out.violations.length, 1, show(out));
        assert.match(out.violations[0].message, /without a `sub` condition/);
    });
});
