/**
 * GitHubOidcTrust (components/githubOidc.ts) alone, under the plan's mocks (ARNs as the provider gives them, in the
 * management account of the tiny org): the OIDC provider, the deploy role trusted only for exact repository
 * subjects, its policies, the Entra federated credentials, and clear errors before any resource.
 */
import assert from "node:assert/strict";
import * as m from "../../components/githubOidc";
import { checkDocumentText } from "idfed-policy-pack/analysis/check";
import { CapturedResource } from "../../offline";
import { construct, constructFails } from "./harness";
import { MANAGEMENT } from "./models";

const PROVIDER = "aws:iam/openIdConnectProvider:OpenIdConnectProvider";
const ROLE = "aws:iam/role:Role";
const ATTACHMENT = "aws:iam/rolePolicyAttachment:RolePolicyAttachment";
const ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy";
const FIC = "azuread:index/applicationFederatedIdentityCredential:ApplicationFederatedIdentityCredential";

describe("GitHubOidcTrust (components/githubOidc.ts)", () => {
    const base = (): m.GitHubOidcTrustArgs => ({
        repository: "acme/idfed",
        subjects: ["ref:refs/heads/main", "environment:production", "pull_request"],
        deployRoleName: "idfed-deploy-prod",
    });
    let registered: CapturedResource[] = [];
    const only = (type: string): CapturedResource => {
        const hits = registered.filter((r) => r.type === type);
        assert.equal(hits.length, 1, `exactly one ${type}; registered: ${registered.map((r) => `${r.type}::${r.name}`).join(", ")}`);
        return hits[0];
    };
    /** Constructs the trust and keeps what it registered (the stack resource left out). */
    async function trust(args: m.GitHubOidcTrustArgs): Promise<m.GitHubOidcTrust> {
        const c = await construct(() => new m.GitHubOidcTrust("gitops", args));
        registered = c.resources.filter((r) => r.type !== "pulumi:pulumi:Stack");
        return c.value;
    }

    it("creates the provider and a role trusted only for the exact repo subjects, policy keys sorted", async () => {
        const t = await trust({ ...base(), managedPolicyArns: ["arn:aws:iam::aws:policy/AdministratorAccess"] });
        const provider = only(PROVIDER);
        assert.equal(provider.name, "gitops-provider");
        assert.equal(provider.props.url, "https://token.actions.githubusercontent.com");
        assert.deepEqual(provider.props.clientIdLists, ["sts.amazonaws.com"]);
        const role = only(ROLE);
        assert.equal(role.name, "gitops-role");
        assert.equal(role.props.name, "idfed-deploy-prod");
        const expected = {
            Statement: [
                {
                    Action: "sts:AssumeRoleWithWebIdentity",
                    Condition: {
                        StringEquals: {
                            "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
                            "token.actions.githubusercontent.com:sub": [
                                "repo:acme/idfed:ref:refs/heads/main",
                                "repo:acme/idfed:environment:production",
                                "repo:acme/idfed:pull_request",
                            ],
                        },
                    },
                    Effect: "Allow",
                    Principal: { Federated: `arn:aws:iam::${MANAGEMENT}:oidc-provider/token.actions.githubusercontent.com` },
                    Sid: "GitHubActionsExactSubjects",
                },
            ],
            Version: "2012-10-17",
        };
        assert.equal(role.props.assumeRolePolicy, JSON.stringify(expected), "exact document, keys sorted");
        const att = only(ATTACHMENT);
        assert.equal(att.props.policyArn, "arn:aws:iam::aws:policy/AdministratorAccess");
        assert.equal(att.props.role, "idfed-deploy-prod");
        assert.equal(registered.filter((r) => r.type === FIC || r.type === ROLE_POLICY).length, 0, "no Entra credential, no inline policy");
        assert.deepEqual(registered.map((r) => r.type).sort(), ["idfed:gitops:GitHubOidcTrust", ATTACHMENT, PROVIDER, ROLE].sort());
        assert.equal(await new Promise((resolve) => t.roleArn.apply(resolve)), `arn:aws:iam::${MANAGEMENT}:role/idfed-deploy-prod`);
    });

    it("uses an existing provider ARN without creating one, and writes the inline policy with sorted keys", async () => {
        const existing = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com";
        await trust({
            ...base(),
            existingProviderArn: existing,
            inlinePolicy: { Version: "2012-10-17", Statement: [{ Resource: "*", Action: ["sso:*", "identitystore:*"], Effect: "Allow" }] },
        });
        assert.equal(registered.filter((r) => r.type === PROVIDER).length, 0, "no provider when an existing ARN is given");
        const doc = JSON.parse(String(only(ROLE).props.assumeRolePolicy)) as { Statement: Array<{ Principal: { Federated: string } }> };
        assert.equal(doc.Statement[0].Principal.Federated, existing);
        assert.equal(
            only(ROLE_POLICY).props.policy,
            '{"Statement":[{"Action":["sso:*","identitystore:*"],"Effect":"Allow","Resource":"*"}],"Version":"2012-10-17"}',
        );
    });

    it("adds one Entra federated identity credential per subject when an application is given", async () => {
        await trust({ ...base(), entraApplicationObjectId: "00000000-0000-0000-0000-0000000000aa" });
        const fics = registered.filter((r) => r.type === FIC);
        assert.equal(fics.length, 3);
        assert.deepEqual(
            fics.map((f) => f.props.subject),
            ["repo:acme/idfed:ref:refs/heads/main", "repo:acme/idfed:environment:production", "repo:acme/idfed:pull_request"],
        );
        for (const f of fics) {
            assert.equal(f.props.applicationId, "/applications/00000000-0000-0000-0000-0000000000aa");
            assert.equal(f.props.issuer, "https://token.actions.githubusercontent.com");
            assert.deepEqual(f.props.audiences, ["api://AzureADTokenExchange"]);
            assert.match(String(f.name), /^gitops-entra-[A-Za-z0-9-]+-[0-9a-f]{8}$/);
        }
    });

    it("puts a branch-prefix pattern under StringLike in its own statement", () => {
        const doc = m.githubTrustPolicy("arn:p", "acme/idfed", ["ref:refs/heads/main", "ref:refs/heads/release/*"]);
        assert.deepEqual(
            (doc.Statement as Array<{ Condition?: unknown }>).map((s) => s.Condition),
            [
                {
                    StringEquals: {
                        "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
                        "token.actions.githubusercontent.com:sub": ["repo:acme/idfed:ref:refs/heads/main"],
                    },
                },
                {
                    StringEquals: { "token.actions.githubusercontent.com:aud": "sts.amazonaws.com" },
                    StringLike: { "token.actions.githubusercontent.com:sub": ["repo:acme/idfed:ref:refs/heads/release/*"] },
                },
            ],
        );
    });

    it("produces a trust policy the policy pack's trust analysis allows (and the pack blocks a repo:* variant)", () => {
        const pack = { checkDocumentText };
        const arn = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com";
        const doc = m.githubTrustPolicy(arn, "acme/idfed", [
            "ref:refs/heads/main",
            "environment:production",
            "pull_request",
            "ref:refs/heads/release/*",
        ]);
        const ok = pack.checkDocumentText(JSON.stringify(doc));
        assert.deepEqual([ok.kind, ok.verdict, ok.findings], ["trust", "allow", []]);
        const widened = JSON.parse(JSON.stringify(doc).replace("repo:acme/idfed:ref:refs/heads/release/*", "repo:*")) as unknown;
        const bad = pack.checkDocumentText(JSON.stringify(widened));
        assert.equal(bad.verdict, "block", JSON.stringify(bad.findings));
    });

    for (const [label, patch, message] of [
        ["repo:* style repository", { repository: "*" }, /`repository`: `\*` is not one repository/],
        ["owner/* repository", { repository: "acme/*" }, /`repository`: `acme\/\*` is not one repository.*wildcards/],
        ["bare * subject", { subjects: ["*"] }, /`subjects\[0\]`: `\*` has a wildcard that matches more than a branch or tag folder/],
        ["full repo: subject", { subjects: ["repo:acme/*:ref:refs/heads/main"] }, /`subjects\[0\]`: .* includes the `repo:` prefix/],
        ["any-branch wildcard", { subjects: ["ref:refs/heads/*"] }, /`subjects\[0\]`: `ref:refs\/heads\/\*` has a wildcard/],
        [
            "branch-prefix wildcard m*",
            { subjects: ["ref:refs/heads/m*"] },
            /`subjects\[0\]`: `ref:refs\/heads\/m\*` has a wildcard .*matches every branch starting with m/,
        ],
        ["wildcard inside a folder name", { subjects: ["ref:refs/heads/release*/x"] }, /has a wildcard/],
        ["single-character wildcard", { subjects: ["environment:pro?"] }, /has a wildcard/],
        [
            "wildcard in job_workflow_ref",
            { subjects: ["environment:production:job_workflow_ref:acme/idfed/.github/workflows/*.yml@refs/heads/main"] },
            /has a wildcard/,
        ],
        [
            "branch subject on a prod stack",
            { environmentSubjectsOnly: true, subjects: ["ref:refs/heads/main"] },
            /`subjects\[0\]`: `ref:refs\/heads\/main` is not an `environment:<name>` subject/,
        ],
        [
            "pull_request on a prod stack's preview role",
            {
                environmentSubjectsOnly: true,
                subjects: ["environment:production"],
                additionalRoles: [{ key: "preview", roleName: "p", purpose: "x", subjects: ["pull_request"] }],
            },
            /`previewRole.subjects\[0\]`: `pull_request` is not an `environment:<name>` subject/,
        ],
        [
            "a subject shared by two identities",
            {
                subjects: ["environment:production"],
                additionalRoles: [{ key: "maintenance", roleName: "m", purpose: "x", subjects: ["environment:production"] }],
            },
            /`maintenanceRole.subjects`: `environment:production` also assume the deploy role/,
        ],
        ["owner-only immutable id", { repository: "acme@123/idfed" }, /`repository`: `acme@123\/idfed` is not one repository/],
        [
            "wildcard with Entra",
            { subjects: ["ref:refs/heads/release/*"], entraApplicationObjectId: "x" },
            /Entra federated identity credentials do not support/,
        ],
        ["no subjects", { subjects: [] }, /at least one subject is required/],
        ["bad role name", { deployRoleName: "has space" }, /`deployRoleName`: `has space` is not an IAM role name/],
    ] as const) {
        it(`rejects ${label} with a clear error and registers nothing`, async () => {
            const f = await constructFails(() => new m.GitHubOidcTrust("gitops", { ...base(), ...patch } as m.GitHubOidcTrustArgs));
            assert.match(f.error.message, /^GitHubOidcTrust gitops: invalid arguments/);
            assert.match(f.error.message, message);
            assert.deepEqual(
                f.resources.filter((r) => r.type !== "pulumi:pulumi:Stack"),
                [],
            );
        });
    }

    it("trusts the immutable owner@id/name@id form and a customized subject bound to one workflow file and ref", async () => {
        const sub = "environment:production:job_workflow_ref:acme/idfed/.github/workflows/deploy.yml@refs/heads/main";
        await trust({ ...base(), repository: "acme@1234/idfed@5678", subjects: [sub], environmentSubjectsOnly: true });
        const doc = JSON.parse(String(only(ROLE).props.assumeRolePolicy)) as {
            Statement: Array<{ Condition: Record<string, Record<string, unknown>> }>;
        };
        assert.deepEqual(
            doc.Statement.map((s) => s.Condition),
            [
                {
                    StringEquals: {
                        "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
                        "token.actions.githubusercontent.com:sub": [`repo:acme@1234/idfed@5678:${sub}`],
                    },
                },
            ],
        );
    });

    it("adds the preview and maintenance identities as their own roles with their own subjects and policies", async () => {
        const inline: m.GitHubRoleArgs["inlinePolicy"] = {
            Version: "2012-10-17",
            Statement: [{ Effect: "Deny", Action: ["secretsmanager:GetSecretValue"], Resource: "*" }],
        };
        const t = await trust({
            ...base(),
            subjects: ["environment:deploy-prod"],
            environmentSubjectsOnly: true,
            additionalRoles: [
                {
                    key: "preview",
                    roleName: "idfed-preview-prod",
                    purpose: "Read-only preview",
                    subjects: ["environment:pr-preview-prod", "environment:plan-prod"],
                    managedPolicyArns: ["arn:aws:iam::aws:policy/ReadOnlyAccess"],
                    inlinePolicy: inline,
                },
                { key: "maintenance", roleName: "idfed-maintenance-prod", purpose: "Nightly", subjects: ["environment:maintenance-prod"] },
            ],
        });
        const roles = registered.filter((r) => r.type === ROLE);
        assert.deepEqual(
            roles.map((r) => [r.name, r.props.name]),
            [
                ["gitops-role", "idfed-deploy-prod"],
                ["gitops-role-preview", "idfed-preview-prod"],
                ["gitops-role-maintenance", "idfed-maintenance-prod"],
            ],
        );
        const subs = roles.map(
            (r) =>
                (
                    JSON.parse(String(r.props.assumeRolePolicy)) as {
                        Statement: Array<{ Condition: { StringEquals: Record<string, unknown> } }>;
                    }
                ).Statement[0].Condition.StringEquals["token.actions.githubusercontent.com:sub"],
        );
        assert.deepEqual(subs, [
            ["repo:acme/idfed:environment:deploy-prod"],
            ["repo:acme/idfed:environment:pr-preview-prod", "repo:acme/idfed:environment:plan-prod"],
            ["repo:acme/idfed:environment:maintenance-prod"],
        ]);
        assert.deepEqual(
            registered.filter((r) => r.type === ROLE_POLICY).map((r) => [r.name, r.props.name]),
            [["gitops-preview-inline", "preview"]],
        );
        assert.deepEqual(
            registered.filter((r) => r.type === ATTACHMENT).map((r) => r.name),
            ["gitops-preview-managed-ReadOnlyAccess-206114b2"],
        );
        assert.equal(
            await new Promise((resolve) => t.additionalRoleArns.preview.apply(resolve)),
            `arn:aws:iam::${MANAGEMENT}:role/idfed-preview-prod`,
        );
    });
});
