/**
 * GitHub Actions OIDC subjects (`sub` claims) a role may trust, as pure checks.
 *
 * Formats (GitHub docs "OpenID Connect" / "OpenID Connect reference", github/docs PR #45221, GitHub changelog
 * 2026-04-23 "Immutable subject claims for GitHub Actions OIDC tokens"):
 * - default: `repo:<owner>/<name>:<context>`; for repositories created or renamed from 15 July 2026 (or opted
 *   in), the immutable form `repo:<owner>@<owner id>/<name>@<repo id>:<context>`;
 * - context: `ref:refs/heads/<branch>`, `ref:refs/tags/<tag>`, `environment:<name>` (any job with an
 *   environment) or `pull_request`;
 * - customized (`include_claim_keys: ["repo", "context", "job_workflow_ref"]`):
 *   `repo:<owner>/<name>:<context>:job_workflow_ref:<owner>/<name>/.github/workflows/<file>@<ref>`.
 */

/** `owner/name`, or the immutable `owner@<id>/name@<id>`. */
export const REPOSITORY_RE = /^(?:[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+|[A-Za-z0-9_.-]+@\d+\/[A-Za-z0-9_.-]+@\d+)$/;

const NAME = "[A-Za-z0-9_.-]+";
const REF_PATH = "[A-Za-z0-9_.-]+(?:/[A-Za-z0-9_.-]+)*";
/** `job_workflow_ref` value: `<owner>/<repo>/.github/workflows/<file>.yml@<ref>`. */
const WORKFLOW_REF = `${NAME}/${NAME}/\\.github/workflows/${NAME}\\.ya?ml@refs/(?:heads|tags)/${REF_PATH}`;
const CONTEXT = `(?:ref:refs/(?:heads|tags)/${REF_PATH}|environment:${NAME}|pull_request)`;
const EXACT_RE = new RegExp(`^${CONTEXT}(?::job_workflow_ref:${WORKFLOW_REF})?$`);
/** The one wildcard allowed: a whole path segment under a branch or tag folder (`ref:refs/heads/release/*`). */
const PATTERN_RE = new RegExp(`^ref:refs/(?:heads|tags)/${REF_PATH}/\\*$`);

/** A parsed subject (the part after `repo:<repository>:`). */
export interface SubjectInfo {
    /** `ref`, `environment` or `pull_request`. */
    readonly context: "ref" | "environment" | "pull_request";
    /** Environment name, for `environment:` subjects. */
    readonly environment?: string;
    /** Whether it ends in the `/*` folder wildcard (AWS `StringLike` only). */
    readonly pattern: boolean;
    /** The `job_workflow_ref` the subject binds the token to, when customized. */
    readonly jobWorkflowRef?: string;
}

/** Parses one subject; returns an error message (without key path) when it is not allowed. */
export function parseSubject(subject: string): SubjectInfo | string {
    if (subject.startsWith("repo:")) return "includes the `repo:` prefix; give only the part after `repo:<repository>:`";
    const pattern = PATTERN_RE.test(subject);
    if (!pattern && !EXACT_RE.test(subject)) {
        if (/[*?]/.test(subject)) {
            return (
                "has a wildcard that matches more than a branch or tag folder (e.g. `ref:refs/heads/m*` matches every branch " +
                "starting with m); name the branch exactly, or use a whole folder (`ref:refs/heads/release/*`)"
            );
        }
        return (
            "is not allowed; expected `ref:refs/heads/<branch>`, `ref:refs/tags/<tag>`, `environment:<name>` or " +
            "`pull_request`, optionally followed by `:job_workflow_ref:<owner>/<repo>/.github/workflows/<file>.yml@refs/heads/<branch>`"
        );
    }
    const jobWorkflowRef = /:job_workflow_ref:(.+)$/.exec(subject)?.[1];
    const env = /^environment:([^:]+)/.exec(subject)?.[1];
    const context = env !== undefined ? "environment" : subject.startsWith("pull_request") ? "pull_request" : "ref";
    return { context, pattern, ...(env !== undefined ? { environment: env } : {}), ...(jobWorkflowRef ? { jobWorkflowRef } : {}) };
}

/** Whether a repository is given in GitHub's immutable `owner@id/name@id` form. */
export function isImmutableRepository(repository: string): boolean {
    return /@\d+\/[^/]+@\d+$/.test(repository);
}
