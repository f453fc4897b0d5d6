/**
 * Arguments of the GitHub OIDC trust (`components/githubOidc.ts`) and their validation, as pure checks the
 * config parser (`idfed:gitops`) and the component share: one repository, exact subjects, no weak wildcards,
 * environment subjects only in prod, one identity per environment.
 */
import type * as pulumi from "@pulumi/pulumi";
import type * as iam from "@pulumi/aws/iam";
import { ROLE_NAME_RE } from "../input/iam-names";
import { parseSubject, REPOSITORY_RE } from "./github-subjects";

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
        if (!ROLE_NAME_RE.test(value)) issues.push(`\`${key}\`: \`${value}\` is not an IAM role name (1–64 of letters, digits and +=,.@_-)`);
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
