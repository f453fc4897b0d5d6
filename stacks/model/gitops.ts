/**
 * The validated `idfed:gitops` model: the cloud side of the GitOps credentials (GitHub OIDC provider, deploy,
 * preview and maintenance roles, Entra federated identity credentials). Types only.
 */
import type { PolicyDocument } from "./policy-document";

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
    inlinePolicy?: PolicyDocument;
    /** Object id of this identity's own Entra application (default: Entra side not managed here). */
    entraApplicationObjectId?: string;
}

/** Arguments of the GitHub OIDC trust component (`components/githubOidc.ts`). */
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
    inlinePolicy?: PolicyDocument;
    /** Permissions boundary ARN of the deploy role (default none). */
    permissionsBoundaryArn?: string;
    /** ARN of an existing GitHub OIDC provider in the account; when set, no provider is created (default: create one). */
    existingProviderArn?: string;
    /**
     * Object id of the Entra application the workflows sign in as; when set, one federated identity
     * credential per subject is added to it (default: none, Entra side not managed here).
     */
    entraApplicationObjectId?: string;
    /** Tags on the AWS resources (default none). */
    tags?: Record<string, string>;
}

/** The validated `idfed:gitops` block. */
export type GitOpsModel = { readonly enabled: false } | { readonly enabled: true; readonly trust: GitHubOidcTrustArgs };
