import { createHash } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";
import * as iam from "@pulumi/aws/iam";
import * as azuread from "@pulumi/azuread";
import { stablePolicyJson } from "../stacks/documents/policy-json";
import type { GitHubOidcTrustArgs } from "../stacks/model/gitops";
import type { PolicyDocument } from "../stacks/model";
import { formatTrustIssue, validateGitHubOidcTrustArgs } from "../stacks/config/github-trust";

/** Issuer of GitHub Actions OIDC tokens (the `iss` claim; the AWS provider URL). */
export const GITHUB_OIDC_ISSUER = "https://token.actions.githubusercontent.com";
/** Audience AWS expects in GitHub's token (`aws-actions/configure-aws-credentials` default). */
export const AWS_AUDIENCE = "sts.amazonaws.com";
/** Audience Entra expects for workload identity federation (`azure/login` default). */
export const ENTRA_AUDIENCE = "api://AzureADTokenExchange";

const CLAIM = "token.actions.githubusercontent.com";

export type { GitHubOidcTrustArgs, GitHubRoleArgs } from "../stacks/model/gitops";
export { validateGitHubOidcTrustArgs } from "../stacks/config/github-trust";

/** The full `sub` claim values the role trusts: `repo:<owner/name>:<subject>`. */
export function githubSubjects(repository: string, subjects: readonly string[]): string[] {
    return subjects.map((s) => `repo:${repository}:${s}`);
}

/**
 * The deploy role's trust policy: `sts:AssumeRoleWithWebIdentity` from the GitHub OIDC provider, only with
 * `aud` = `sts.amazonaws.com` and `sub` equal to one of the exact subjects (`StringEquals`); subjects
 * with a trailing `*` go in a second statement under `StringLike`.
 */
export function githubTrustPolicy(providerArn: string, repository: string, subjects: readonly string[]): iam.PolicyDocument {
    const full = githubSubjects(repository, subjects);
    const exact = full.filter((s) => !s.endsWith("*"));
    const patterns = full.filter((s) => s.endsWith("*"));
    const statement = (sid: string, subOperator: "StringEquals" | "StringLike", subs: string[]): iam.PolicyStatement => ({
        Sid: sid,
        Effect: "Allow",
        Principal: { Federated: providerArn },
        Action: "sts:AssumeRoleWithWebIdentity",
        Condition:
            subOperator === "StringEquals"
                ? { StringEquals: { [`${CLAIM}:aud`]: AWS_AUDIENCE, [`${CLAIM}:sub`]: subs } }
                : { StringEquals: { [`${CLAIM}:aud`]: AWS_AUDIENCE }, StringLike: { [`${CLAIM}:sub`]: subs } },
    });
    const statements: iam.PolicyStatement[] = [];
    if (exact.length) statements.push(statement("GitHubActionsExactSubjects", "StringEquals", exact));
    if (patterns.length) statements.push(statement("GitHubActionsSubjectPatterns", "StringLike", patterns));
    return { Version: "2012-10-17", Statement: statements };
}

function stableSuffix(text: string): string {
    const slug = text
        .replace(/[^A-Za-z0-9-]+/g, "-")
        .replace(/^-+|-+$/g, "")
        .slice(0, 60);
    return `${slug}-${createHash("sha256").update(text).digest("hex").slice(0, 8)}`;
}

/**
 * The cloud side of GitOps credentials: GitHub's OIDC provider in AWS (unless an existing one is given),
 * a deploy role that only workflows of one repository and the listed branches / environments / pull
 * requests can assume, and optionally the Entra application's federated identity credentials for the
 * same subjects. No static keys anywhere.
 */
export class GitHubOidcTrust extends pulumi.ComponentResource {
    /** ARN of the OIDC provider (created or existing). */
    public readonly providerArn: pulumi.Output<string>;
    /** ARN of the deploy role (the value of `AWS_DEPLOY_ROLE_ARN_<STACK>`). */
    public readonly roleArn: pulumi.Output<string>;
    /** Name of the deploy role. */
    public readonly roleName: pulumi.Output<string>;
    /** The exact `sub` claims trusted (`repo:owner/name:<subject>`). */
    public readonly subjects: string[];
    /** ARN of each additional role by key (`preview`, `maintenance`): the values of `AWS_<KEY>_ROLE_ARN_<STACK>`. */
    public readonly additionalRoleArns: Record<string, pulumi.Output<string>>;

    constructor(name: string, args: GitHubOidcTrustArgs, opts?: pulumi.ComponentResourceOptions) {
        // Validate before registering anything: a wildcard trust must never reach a preview.
        const issues = validateGitHubOidcTrustArgs(args);
        if (issues.length > 0) {
            throw new Error(
                `GitHubOidcTrust ${name}: invalid arguments (${issues.length}):\n${issues.map((i) => `  - ${formatTrustIssue(i)}`).join("\n")}`,
            );
        }
        super("idfed:gitops:GitHubOidcTrust", name, {}, opts);
        const child = { parent: this };
        const tags = { ...args.tags, "idfed:repository": args.repository };

        this.providerArn =
            args.existingProviderArn !== undefined
                ? pulumi.output(args.existingProviderArn)
                : new iam.OpenIdConnectProvider(
                      `${name}-provider`,
                      {
                          url: GITHUB_OIDC_ISSUER,
                          clientIdLists: [AWS_AUDIENCE],
                          tags,
                      },
                      child,
                  ).arn;

        const trustOf = (subjects: readonly string[]) =>
            this.providerArn.apply((arn) => stablePolicyJson(githubTrustPolicy(arn, args.repository, subjects)));
        const role = new iam.Role(
            `${name}-role`,
            {
                name: args.deployRoleName,
                path: args.deployRolePath ?? "/",
                description: `Deploy role for GitHub Actions in ${args.repository}`,
                maxSessionDuration: args.maxSessionDuration ?? 3600,
                assumeRolePolicy: trustOf(args.subjects),
                permissionsBoundary: args.permissionsBoundaryArn,
                tags,
            },
            child,
        );
        this.attachPolicies(name, role, args.managedPolicyArns, args.inlinePolicy, "deploy");
        this.federate(name, args.repository, args.subjects, args.entraApplicationObjectId);

        const additionalRoleArns: Record<string, pulumi.Output<string>> = {};
        for (const r of args.additionalRoles ?? []) {
            const extra = new iam.Role(
                `${name}-role-${r.key}`,
                {
                    name: r.roleName,
                    path: args.deployRolePath ?? "/",
                    description: `${r.purpose} (GitHub Actions in ${args.repository})`.slice(0, 1000),
                    maxSessionDuration: 3600,
                    assumeRolePolicy: trustOf(r.subjects),
                    permissionsBoundary: args.permissionsBoundaryArn,
                    tags,
                },
                child,
            );
            this.attachPolicies(`${name}-${r.key}`, extra, r.managedPolicyArns, r.inlinePolicy, r.key);
            this.federate(`${name}-${r.key}`, args.repository, r.subjects, r.entraApplicationObjectId);
            additionalRoleArns[r.key] = extra.arn;
        }
        this.additionalRoleArns = additionalRoleArns;

        this.roleArn = role.arn;
        this.roleName = role.name;
        this.subjects = githubSubjects(args.repository, args.subjects);
        this.registerOutputs({
            providerArn: this.providerArn,
            roleArn: this.roleArn,
            roleName: this.roleName,
            subjects: this.subjects,
            additionalRoleArns: this.additionalRoleArns,
        });
    }

    private attachPolicies(
        prefix: string,
        role: iam.Role,
        managed: readonly string[] | undefined,
        inline: PolicyDocument | undefined,
        inlineName: string,
    ): void {
        const child = { parent: this };
        for (const arn of [...new Set(managed ?? [])].sort()) {
            new iam.RolePolicyAttachment(
                `${prefix}-managed-${stableSuffix(arn.replace(/^arn:[^:]+:iam::[^:]*:policy\//, ""))}`,
                {
                    role: role.name,
                    policyArn: arn,
                },
                child,
            );
        }
        if (inline !== undefined) {
            new iam.RolePolicy(
                `${prefix}-inline`,
                {
                    role: role.name,
                    name: inlineName,
                    policy: pulumi.output(inline).apply((d) => stablePolicyJson(d)),
                },
                child,
            );
        }
    }

    /** One Entra federated identity credential per subject on the given application (when set). */
    private federate(prefix: string, repository: string, subjects: readonly string[], objectId: pulumi.Input<string> | undefined): void {
        if (objectId === undefined) return;
        const applicationId = pulumi.output(objectId).apply((id) => (id.startsWith("/applications/") ? id : `/applications/${id}`));
        for (const subject of subjects) {
            new azuread.ApplicationFederatedIdentityCredential(
                `${prefix}-entra-${stableSuffix(subject)}`,
                {
                    applicationId,
                    displayName: `github-${stableSuffix(`${repository}:${subject}`)}`.slice(0, 120),
                    description: `GitHub Actions: repo:${repository}:${subject}`,
                    issuer: GITHUB_OIDC_ISSUER,
                    subject: `repo:${repository}:${subject}`,
                    audiences: [ENTRA_AUDIENCE],
                },
                { parent: this },
            );
        }
    }
}
