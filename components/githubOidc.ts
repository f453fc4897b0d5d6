import { createHash } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";
import * as iam from "@pulumi/aws/iam";
import * as azuread from "@pulumi/azuread";
import { stablePolicyJson } from "../stacks/documents/policy-json";
import { parseSubject, REPOSITORY_RE } from "../stacks/config/github-subjects";

/** Issuer of GitHub Actions OIDC tokens (the `iss` claim; the AWS provider URL). */
export const GITHUB_OIDC_ISSUER = "https://token.actions.githubusercontent.com";
/** Audience AWS expects in GitHub's token (`aws-actions/configure-aws-credentials` default). */
export const AWS_AUDIENCE = "sts.amazonaws.com";
/** Audience Entra expects for workload identity federation (`azure/login` default). */
export const ENTRA_AUDIENCE = "api://AzureADTokenExchange";

const CLAIM = "token.actions.githubusercontent.com";

/**
 * A further role trusted by the same repository with its own subjects and permissions: the read-only
 * preview identity and the nightly maintenance identity, so neither borrows the deploy role.
 */
export interface GitHubRoleArgs {
    /** Stable key of the role (resource name `<name>-role-<key>`), e.g. `preview` or `maintenance`. */
    key: string;
    /** IAM role name (1–64 of `[\w+=,.@-]`). */
    roleName: string;
    /** Subjects, as for the deploy role. */
    subjects: readonly string[];
    /** What the role is for (the role's description). */
    purpose: string;
    /** Managed policy ARNs attached to the role (default none). */
    managedPolicyArns?: readonly string[];
    /** Inline identity policy (default none); serialized with sorted keys. */
    inlinePolicy?: iam.PolicyDocument;
    /** Object id of this identity's own Entra application (default: Entra side not managed here). */
    entraApplicationObjectId?: pulumi.Input<string>;
}

/** Arguments of {@link GitHubOidcTrust}. */
export interface GitHubOidcTrustArgs {
    /**
     * The GitHub repository the roles trust, exactly `owner/name`, or GitHub's immutable form
     * `owner@<owner id>/name@<repository id>` (the default subject of repositories created from 15 July 2026).
     */
    repository: string;
    /**
     * What may assume the deploy role, as the part of the `sub` claim after `repo:<repository>:`:
     * `ref:refs/heads/<branch>`, `ref:refs/tags/<tag>`, `environment:<name>` or `pull_request`, optionally
     * followed by `:job_workflow_ref:<owner>/<repo>/.github/workflows/<file>.yml@<ref>` (a customized subject
     * that binds the token to one workflow file and ref). A `*` is allowed only as a whole last segment of a
     * branch or tag folder (`ref:refs/heads/release/*`; AWS only); `ref:refs/heads/m*` is rejected.
     */
    subjects: readonly string[];
    /**
     * When true (prod stacks), every subject of every role must be an `environment:` subject, so only jobs
     * gated by a GitHub environment (reviewers, branch rules) can get credentials (default false).
     */
    environmentSubjectsOnly?: boolean;
    /** Further roles (preview, maintenance) trusted by the same repository (default none). */
    additionalRoles?: readonly GitHubRoleArgs[];
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

function validateSubjects(subjects: readonly string[], key: string, args: GitHubOidcTrustArgs, issues: string[]): void {
    if (subjects.length === 0) issues.push(`\`${key}\`: at least one subject is required (e.g. \`environment:production\`)`);
    const seen = new Set<string>();
    subjects.forEach((s, i) => {
        const where = `\`${key}[${i}]\`: \`${s}\``;
        if (seen.has(s)) issues.push(`${where} is listed twice`);
        seen.add(s);
        const info = parseSubject(s);
        if (typeof info === "string") issues.push(`${where} ${info}`);
        else if (info.pattern && args.entraApplicationObjectId !== undefined) {
            issues.push(`${where} has a wildcard, which Entra federated identity credentials do not support`);
        } else if (args.environmentSubjectsOnly && info.context !== "environment") {
            issues.push(`${where} is not an \`environment:<name>\` subject; a prod stack's roles trust only jobs that run in a ` +
                "GitHub environment (required reviewers, deployment branch `main`)");
        }
    });
}

/**
 * Validates the arguments; returns every problem (empty when valid). Wildcard trust (`repo:*`,
 * `repo:owner/*`, a bare `*` subject) is rejected: the role must name one repository.
 */
export function validateGitHubOidcTrustArgs(args: GitHubOidcTrustArgs): string[] {
    const issues: string[] = [];
    if (!REPOSITORY_RE.test(args.repository)) {
        issues.push(`\`repository\`: \`${args.repository}\` is not one repository; expected exactly \`owner/name\` or ` +
            `\`owner@<id>/name@<id>\` (wildcards such as \`repo:*\` or \`owner/*\` would let other repositories assume the role)`);
    }
    validateSubjects(args.subjects, "subjects", args, issues);
    const roleName = (value: string, key: string) => {
        if (!/^[\w+=,.@-]{1,64}$/.test(value)) issues.push(`\`${key}\`: \`${value}\` is not an IAM role name (1–64 of letters, digits and +=,.@_-)`);
    };
    roleName(args.deployRoleName, "deployRoleName");
    const names = new Set([args.deployRoleName]);
    for (const r of args.additionalRoles ?? []) {
        const key = `${r.key}Role`;
        roleName(r.roleName, `${key}.roleName`);
        if (names.has(r.roleName)) issues.push(`\`${key}.roleName\`: \`${r.roleName}\` is already used by another role of this stack`);
        names.add(r.roleName);
        validateSubjects(r.subjects, `${key}.subjects`, args, issues);
        const shared = r.subjects.filter((s) => args.subjects.includes(s));
        if (shared.length) {
            issues.push(`\`${key}.subjects\`: ${shared.map((s) => `\`${s}\``).join(", ")} also assume the deploy role; ` +
                "give each identity its own environment so a job gets only the role it needs");
        }
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
    /** ARN of each additional role by key (`preview`, `maintenance`): the values of `AWS_<KEY>_ROLE_ARN_<STACK>`. */
    public readonly additionalRoleArns: Record<string, pulumi.Output<string>>;

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

        const trustOf = (subjects: readonly string[]) =>
            this.providerArn.apply((arn) => stablePolicyJson(githubTrustPolicy(arn, args.repository, subjects)));
        const role = new iam.Role(`${name}-role`, {
            name: args.deployRoleName,
            path: args.deployRolePath ?? "/",
            description: `Deploy role for GitHub Actions in ${args.repository}`,
            maxSessionDuration: args.maxSessionDuration ?? 3600,
            assumeRolePolicy: trustOf(args.subjects),
            permissionsBoundary: args.permissionsBoundaryArn,
            tags,
        }, child);
        this.attachPolicies(name, role, args.managedPolicyArns, args.inlinePolicy, "deploy");
        this.federate(name, args.repository, args.subjects, args.entraApplicationObjectId);

        const additionalRoleArns: Record<string, pulumi.Output<string>> = {};
        for (const r of args.additionalRoles ?? []) {
            const extra = new iam.Role(`${name}-role-${r.key}`, {
                name: r.roleName,
                path: args.deployRolePath ?? "/",
                description: `${r.purpose} (GitHub Actions in ${args.repository})`.slice(0, 1000),
                maxSessionDuration: 3600,
                assumeRolePolicy: trustOf(r.subjects),
                permissionsBoundary: args.permissionsBoundaryArn,
                tags,
            }, child);
            this.attachPolicies(`${name}-${r.key}`, extra, r.managedPolicyArns, r.inlinePolicy, r.key);
            this.federate(`${name}-${r.key}`, args.repository, r.subjects, r.entraApplicationObjectId);
            additionalRoleArns[r.key] = extra.arn;
        }
        this.additionalRoleArns = additionalRoleArns;

        this.roleArn = role.arn;
        this.roleName = role.name;
        this.subjects = githubSubjects(args.repository, args.subjects);
        this.registerOutputs({
            providerArn: this.providerArn, roleArn: this.roleArn, roleName: this.roleName, subjects: this.subjects,
            additionalRoleArns: this.additionalRoleArns,
        });
    }

    private attachPolicies(prefix: string, role: iam.Role, managed: readonly string[] | undefined, inline: iam.PolicyDocument | undefined, inlineName: string): void {
        const child = { parent: this };
        for (const arn of [...new Set(managed ?? [])].sort()) {
            new iam.RolePolicyAttachment(`${prefix}-managed-${stableSuffix(arn.replace(/^arn:[^:]+:iam::[^:]*:policy\//, ""))}`, {
                role: role.name, policyArn: arn,
            }, child);
        }
        if (inline !== undefined) {
            new iam.RolePolicy(`${prefix}-inline`, {
                role: role.name, name: inlineName, policy: pulumi.output(inline).apply((d) => stablePolicyJson(d)),
            }, child);
        }
    }

    /** One Entra federated identity credential per subject on the given application (when set). */
    private federate(prefix: string, repository: string, subjects: readonly string[], objectId: pulumi.Input<string> | undefined): void {
        if (objectId === undefined) return;
        const applicationId = pulumi.output(objectId).apply((id) => id.startsWith("/applications/") ? id : `/applications/${id}`);
        for (const subject of subjects) {
            new azuread.ApplicationFederatedIdentityCredential(`${prefix}-entra-${stableSuffix(subject)}`, {
                applicationId,
                displayName: `github-${stableSuffix(`${repository}:${subject}`)}`.slice(0, 120),
                description: `GitHub Actions: repo:${repository}:${subject}`,
                issuer: GITHUB_OIDC_ISSUER,
                subject: `repo:${repository}:${subject}`,
                audiences: [ENTRA_AUDIENCE],
            }, { parent: this });
        }
    }
}
