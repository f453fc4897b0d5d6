/**
 * Validation of the GitHub OIDC trust's arguments (`stacks/model/gitops.ts`), as pure checks the config parser
 * (`idfed:gitops`) and the component (`components/githubOidc.ts`) share: one repository, exact subjects, no weak wildcards,
 * environment subjects only in prod, one identity per environment.
 */
import type { GitHubOidcTrustArgs } from "../model/gitops";
import { ROLE_NAME_RE } from "../input/iam-names";
import { parseSubject, REPOSITORY_RE } from "./github-subjects";

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
            issues.push(
                `${where} is not an \`environment:<name>\` subject; a prod stack's roles trust only jobs that run in a ` +
                    "GitHub environment (required reviewers, deployment branch `main`)",
            );
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
        issues.push(
            `\`repository\`: \`${args.repository}\` is not one repository; expected exactly \`owner/name\` or ` +
                `\`owner@<id>/name@<id>\` (wildcards such as \`repo:*\` or \`owner/*\` would let other repositories assume the role)`,
        );
    }
    validateSubjects(args.subjects, "subjects", args, issues);
    const roleName = (value: string, key: string) => {
        if (!ROLE_NAME_RE.test(value))
            issues.push(`\`${key}\`: \`${value}\` is not an IAM role name (1–64 of letters, digits and +=,.@_-)`);
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
            issues.push(
                `\`${key}.subjects\`: ${shared.map((s) => `\`${s}\``).join(", ")} also assume the deploy role; ` +
                    "give each identity its own environment so a job gets only the role it needs",
            );
        }
    }
    const max = args.maxSessionDuration;
    if (max !== undefined && (!Number.isInteger(max) || max < 3600 || max > 43200)) {
        issues.push(`\`maxSessionDuration\`: ${max} is not a whole number of seconds in 3600–43200`);
    }
    return issues;
}
