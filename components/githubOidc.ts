import { createHash } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";
import * as iam from "@pulumi/aws/iam";
import * as azuread from "@pulumi/azuread";
import { stablePolicyJson } from "../stacks/documents/policy-json";

/** Issuer of GitHub Actions OIDC tokens (the `iss` claim; the AWS provider URL). */
export const GITHUB_OIDC_ISSUER = "https://token.actions.githubusercontent.com";
/** Audience AWS expects in GitHub's token (`aws-actions/configure-aws-credentials` default). */
export const AWS_AUDIENCE = "sts.amazonaws.com";
/** Audience Entra expects for workload identity federation (`azure/login` default). */
export const ENTRA_AUDIENCE = "api://AzureADTokenExchange";

const CLAIM = "token.actions.githubusercontent.com";

/** Arguments of {@link GitHubOidcTrust}. */
export interface GitHubOidcTrustArgs {
    /** The GitHub repository the role trusts, exactly `owner/name` (no wildcards). */
    repository: string;
    /**
     * What may assume the role, as the part of the `sub` claim after `repo:owner/name:`:
     * `ref:refs/heads/<branch>`, `ref:refs/tags/<tag>`, `environment:<name>` or `pull_request`. A trailing
     * `*` is allowed only after a branch or tag prefix (`ref:refs/heads/release/*`; AWS only).
     */
    subjects: readonly string[];
    /** Name of the deploy role (IAM role name rules: 1–64 of `[\w+=,.@-]`). */
    deployRoleName: string;
    /** IAM path of the deploy role (default `/`). */
    deployRolePath?: string;
    /** Maximum session duration of the deploy role in seconds, 3600–43200 (default 3600). */
    maxSessionDuration?: number;
    /** Managed policy ARNs attached to the deploy role (default none). */
    managedPolicyArns?: readonly string[];
    /** Inline identity policy of the deploy role (default none); serialized with sorted keys. */
    inlinePolicy?: iam.PolicyDocument;
    /** Permissions boundary ARN of the deploy role (default none). */
    permissionsBoundaryArn?: pulumi.Input<string>;
    /** ARN of an existing GitHub OIDC provider in the account; when set, no provider is created (default: create one). */
    existingProviderArn?: pulumi.Input<string>;
    /**
     * Object id of the Entra application the workflows sign in as; when set, one federated identity
     * credential per subject is added to it (default: none, Entra side not managed here).
     */
    entraApplicationObjectId?: pulumi.Input<string>;
    /** Tags on the AWS resources (default none). */
    tags?: Record<string, string>;
}

const REPOSITORY = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/;
const SUBJECT = /^(ref:refs\/(heads|tags)\/[A-Za-z0-9_.\/-]+\*?|environment:[A-Za-z0-9_.-]+|pull_request)$/;

/**
 * Validates the arguments; returns every problem (empty when valid). Wildcard trust (`repo:*`,
 * `repo:owner/*`, a bare `*` subject) is rejected: the role must name one repository.
 */
export function validateGitHubOidcTrustArgs(args: GitHubOidcTrustArgs): string[] {
    const issues: string[] = [];
    if (!REPOSITORY.test(args.repository)) {
        issues.push(`\`repository\`: \`${args.repository}\` is not one repository; expected exactly \`owner/name\` ` +
            `(wildcards such as \`repo:*\` or \`owner/*\` would let other repositories assume the role)`);
    }
    if (args.subjects.length === 0) issues.push("`subjects`: at least one subject is required (e.g. `ref:refs/heads/main`)");
    const seen = new Set<string>();
    args.subjects.forEach((s, i) => {
        if (seen.has(s)) issues.push(`\`subjects[${i}]\`: \`${s}\` is listed twice`);
        seen.add(s);
        if (s.startsWith("repo:")) {
            issues.push(`\`subjects[${i}]\`: \`${s}\` includes the \`repo:\` prefix; give only the part after \`repo:${args.repository}:\``);
        } else if (!SUBJECT.test(s)) {
            issues.push(`\`subjects[${i}]\`: \`${s}\` is not allowed; expected \`ref:refs/heads/<branch>\`, \`ref:refs/tags/<tag>\`, ` +
                "`environment:<name>` or `pull_request` (a trailing `*` only after a branch or tag prefix)");
        } else if (s.endsWith("*") && args.entraApplicationObjectId !== undefined) {
            issues.push(`\`subjects[${i}]\`: \`${s}\` has a wildcard, which Entra federated identity credentials do not support`);
        }
    });
    if (!/^[\w+=,.@-]{1,64}$/.test(args.deployRoleName)) {
        issues.push(`\`deployRoleName\`: \`${args.deployRoleName}\` is not an IAM role name (1–64 of letters, digits and +=,.@_-)`);
    }
    const max = args.maxSessionDuration;
    if (max !== undefined && (!Number.isInteger(max) || max < 3600 || max > 43200)) {
        issues.push(`\`maxSessionDuration\`: ${max} is not a whole number of seconds in 3600–43200`);
    }
    return issues;
}

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
        Condition: subOperator === "StringEquals"
            ? { StringEquals: { [`${CLAIM}:aud`]: AWS_AUDIENCE, [`${CLAIM}:sub`]: subs } }
            : { StringEquals: { [`${CLAIM}:aud`]: AWS_AUDIENCE }, StringLike: { [`${CLAIM}:sub`]: subs } },
    });
    const statements: iam.PolicyStatement[] = [];
    if (exact.length) statements.push(statement("GitHubActionsExactSubjects", "StringEquals", exact));
    if (patterns.length) statements.push(statement("GitHubActionsSubjectPatterns", "StringLike", patterns));
    return { Version: "2012-10-17", Statement: statements };
}

function stableSuffix(text: string): string {
    const slug = text.replace(/[^A-Za-z0-9-]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 60);
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

    constructor(name: string, args: GitHubOidcTrustArgs, opts?: pulumi.ComponentResourceOptions) {
        // Validate before registering anything: a wildcard trust must never reach a preview.
        const issues = validateGitHubOidcTrustArgs(args);
        if (issues.length > 0) {
            throw new Error(`GitHubOidcTrust ${name}: invalid arguments (${issues.length}):\n${issues.map((i) => `  - ${i}`).join("\n")}`);
        }
        super("idfed:gitops:GitHubOidcTrust", name, {}, opts);
        const child = { parent: this };
        const tags = { ...args.tags, "idfed:repository": args.repository };

        this.providerArn = args.existingProviderArn !== undefined
            ? pulumi.output(args.existingProviderArn)
            : new iam.OpenIdConnectProvider(`${name}-provider`, {
                url: GITHUB_OIDC_ISSUER,
                clientIdLists: [AWS_AUDIENCE],
                tags,
            }, child).arn;

        const role = new iam.Role(`${name}-role`, {
            name: args.deployRoleName,
            path: args.deployRolePath ?? "/",
            description: `Deploy role for GitHub Actions in ${args.repository}`,
            maxSessionDuration: args.maxSessionDuration ?? 3600,
            assumeRolePolicy: this.providerArn.apply((arn) => stablePolicyJson(githubTrustPolicy(arn, args.repository, args.subjects))),
            permissionsBoundary: args.permissionsBoundaryArn,
            tags,
        }, child);

        for (const arn of [...new Set(args.managedPolicyArns ?? [])].sort()) {
            new iam.RolePolicyAttachment(`${name}-managed-${stableSuffix(arn.replace(/^arn:[^:]+:iam::[^:]*:policy\//, ""))}`, {
                role: role.name, policyArn: arn,
            }, child);
        }
        if (args.inlinePolicy !== undefined) {
            const doc = args.inlinePolicy;
            new iam.RolePolicy(`${name}-inline`, {
                role: role.name, name: "deploy", policy: pulumi.output(doc).apply((d) => stablePolicyJson(d)),
            }, child);
        }
        if (args.entraApplicationObjectId !== undefined) {
            const applicationId = pulumi.output(args.entraApplicationObjectId)
                .apply((id) => id.startsWith("/applications/") ? id : `/applications/${id}`);
            for (const subject of args.subjects) {
                const suffix = stableSuffix(subject);
                new azuread.ApplicationFederatedIdentityCredential(`${name}-entra-${suffix}`, {
                    applicationId,
                    displayName: `github-${stableSuffix(`${args.repository}:${subject}`)}`.slice(0, 120),
                    description: `GitHub Actions: repo:${args.repository}:${subject}`,
                    issuer: GITHUB_OIDC_ISSUER,
                    subject: `repo:${args.repository}:${subject}`,
                    audiences: [ENTRA_AUDIENCE],
                }, child);
            }
        }

        this.roleArn = role.arn;
        this.roleName = role.name;
        this.subjects = githubSubjects(args.repository, args.subjects);
        this.registerOutputs({ providerArn: this.providerArn, roleArn: this.roleArn, roleName: this.roleName, subjects: this.subjects });
    }
}
