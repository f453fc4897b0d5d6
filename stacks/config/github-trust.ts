/**
 * Validation of the GitHub OIDC trust's arguments (`stacks/model/gitops.ts`), as pure checks the config parser
 * (`idfed:gitops`) and the component (`components/githubOidc.ts`) share: one repository, exact subjects, no weak wildcards,
 * environment subjects only in prod, one identity per environment.
 */
import type { GitHubOidcTrustArgs } from "../model/gitops";
import { ROLE_NAME_RE } from "../input/iam-names";
import { parseSubject, REPOSITORY_RE } from "./github-subjects";

/** One problem of the trust's arguments: the argument's key path (e.g. `subjects[0]`, `previewRole.roleName`) and what is wrong. */
export interface TrustIssue {
    readonly key: string;
    readonly message: string;
}

/** Renders a {@link TrustIssue} for the component's error: `` `key`: message ``. */
export function formatTrustIssue(i: TrustIssue): string {
    return `\`${i.key}\`: ${i.message}`;
}

function validateSubjects(subjects: readonly string[], key: string, args: GitHubOidcTrustArgs, issues: TrustIssue[]): void {
    if (subjects.length === 0) issues.push({ key, message: "at least one subject is required (e.g. `environment:production`)" });
    const seen = new Set<string>();
    subjects.forEach((s, i) => {
        const at = `${key}[${i}]`;
        const where = `\`${s}\``;
        if (seen.has(s)) issues.push({ key: at, message: `${where} is listed twice` });
        seen.add(s);
        const info = parseSubject(s);
        if (typeof info === "string") issues.push({ key: at, message: `${where} ${info}` });
        else if (info.pattern && args.entraApplicationObjectId !== undefined) {
            issues.push({ key: at, message: `${where} has a wildcard, which Entra federated identity credentials do not support` });
        } else if (args.environmentSubjectsOnly && info.context !== "environment") {
            issues.push({
                key: at,
                message:
                    `${where} is not an \`environment:<name>\` subject; a prod stack's roles trust only jobs that run in a ` +
                    "GitHub environment (required reviewers, deployment branch `main`)",
            });
        }
    });
}

/**
 * Validates the arguments; returns every problem (empty when valid). Wildcard trust (`repo:*`,
 * `repo:owner/*`, a bare `*` subject) is rejected: the role must name one repository.
 */
export function validateGitHubOidcTrustArgs(args: GitHubOidcTrustArgs): TrustIssue[] {
    const issues: TrustIssue[] = [];
    if (!REPOSITORY_RE.test(args.repository)) {
        issues.push({
            key: "repository",
            message:
                `\`${args.repository}\` is not one repository; expected exactly \`owner/name\` or ` +
                `\`owner@<id>/name@<id>\` (wildcards such as \`repo:*\` or \`owner/*\` would let other repositories assume the role)`,
        });
    }
    validateSubjects(args.subjects, "subjects", args, issues);
    const roleName = (value: string, key: string) => {
        if (!ROLE_NAME_RE.test(value))
            issues.push({ key, message: `\`${value}\` is not an IAM role name (1–64 of letters, digits and +=,.@_-)` });
    };
    roleName(args.deployRoleName, "deployRoleName");
    const names = new Set([args.deployRoleName]);
    for (const r of args.additionalRoles ?? []) {
        const key = `${r.key}Role`;
        roleName(r.roleName, `${key}.roleName`);
        if (names.has(r.roleName))
            issues.push({ key: `${key}.roleName`, message: `\`${r.roleName}\` is already used by another role of this stack` });
        names.add(r.roleName);
        validateSubjects(r.subjects, `${key}.subjects`, args, issues);
        const shared = r.subjects.filter((s) => args.subjects.includes(s));
        if (shared.length) {
            issues.push({
                key: `${key}.subjects`,
                message:
                    `${shared.map((s) => `\`${s}\``).join(", ")} also assume the deploy role; ` +
                    "give each identity its own environment so a job gets only the role it needs",
            });
        }
    }
    const max = args.maxSessionDuration;
    if (max !== undefined && (!Number.isInteger(max) || max < 3600 || max > 43200)) {
        issues.push({ key: "maxSessionDuration", message: `${max} is not a whole number of seconds in 3600–43200` });
    }
    return issues;
}
