/**
 * The scheduled audit of the GitHub settings prod safety rests on (`npm run --silent gitops:audit -- <dir>`).
 * The workflow saves, with `gh api` and a read-only token, `environments.json` (GET /repos/{o}/{r}/environments),
 * `branch-policies-<env>.json` (GET …/environments/{env}/deployment-branch-policies) and `rules-main.json`
 * (GET /repos/{o}/{r}/rules/branches/main); this checks them against the stacks the repository has.
 * Shapes: GitHub REST docs "REST API endpoints for deployment environments", "… for deployment branch
 * policies" and "… for rules" (`required_reviewers` rule with `prevent_self_review` and `reviewers`;
 * `deployment_branch_policy` null = any branch; `pull_request` rule `parameters.required_approving_review_count`).
 * Exit 1 with every problem listed.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { DiscoveredStack } from "./stacks";

interface Rule {
    type?: string;
    prevent_self_review?: boolean;
    reviewers?: unknown[];
}
interface Environment {
    name: string;
    protection_rules?: Rule[];
    deployment_branch_policy?: { protected_branches?: boolean; custom_branch_policies?: boolean } | null;
}
/** What the workflow fetched. */
export interface GitHubSettings {
    readonly environments: readonly Environment[];
    /** Branch policy names per environment (`branch_policies[].name` of type branch). */
    readonly branchPolicies: Readonly<Record<string, readonly string[]>>;
    /** Active rules on main (`rules/branches/main`). */
    readonly mainRules: ReadonlyArray<{
        type?: string;
        parameters?: { required_approving_review_count?: number; require_last_push_approval?: boolean };
    }>;
}

/** The GitHub environments of one stack, as the workflows name them. */
export function environmentsOf(stack: string): { deploy: string; plan: string; preview: string; maintenance: string } {
    return { deploy: `deploy-${stack}`, plan: `plan-${stack}`, preview: `pr-preview-${stack}`, maintenance: `maintenance-${stack}` };
}

/** Every problem of the settings for these stacks (empty = the audit passes). */
export function auditSettings(stacks: readonly DiscoveredStack[], s: GitHubSettings): string[] {
    const problems: string[] = [];
    const byName = new Map(s.environments.map((e) => [e.name, e]));
    const reviewers = (env: string, what: string) => {
        const e = byName.get(env);
        if (!e) {
            problems.push(`environment \`${env}\` does not exist (${what})`);
            return;
        }
        const rule = (e.protection_rules ?? []).find((r) => r.type === "required_reviewers");
        if (!rule || (rule.reviewers ?? []).length === 0) problems.push(`environment \`${env}\` has no required reviewers (${what})`);
        else if (rule.prevent_self_review !== true)
            problems.push(`environment \`${env}\` allows self-review: turn on "Prevent self-review" (${what})`);
    };
    const mainOnly = (env: string) => {
        const e = byName.get(env);
        if (!e) {
            problems.push(`environment \`${env}\` does not exist`);
            return;
        }
        const p = e.deployment_branch_policy;
        if (!p) {
            problems.push(`environment \`${env}\` accepts any branch: set "Deployment branches" to the branch \`main\` only`);
            return;
        }
        const names = s.branchPolicies[env] ?? [];
        if (!p.custom_branch_policies || names.length !== 1 || names[0] !== "main") {
            problems.push(
                `environment \`${env}\` accepts ${p.protected_branches ? "every protected branch" : names.map((n) => `\`${n}\``).join(", ") || "no listed branch"}; allow exactly \`main\``,
            );
        }
    };
    for (const st of stacks) {
        const env = environmentsOf(st.stack);
        if (st.prod) reviewers(env.deploy, `prod stack \`${st.stack}\` deploys behind it`);
        reviewers(env.preview, `cloud previews of pull requests for \`${st.stack}\``);
        mainOnly(env.deploy);
        mainOnly(env.plan);
        mainOnly(env.maintenance);
    }
    const pr = s.mainRules.find((r) => r.type === "pull_request");
    if (!pr || (pr.parameters?.required_approving_review_count ?? 0) < 1) {
        problems.push("branch `main` has no ruleset requiring a pull request with at least one approval");
    } else if (pr.parameters?.require_last_push_approval !== true) {
        problems.push("branch `main`: require approval of the most recent push (otherwise a pusher approves their own last change)");
    }
    return problems;
}

function readJson(file: string): unknown {
    return JSON.parse(fs.readFileSync(file, "utf8"));
}

/** Reads what the workflow saved with `gh api` into `dir` (see the module comment). */
export function readGitHubSettings(dir: string): GitHubSettings {
    const environments = (readJson(path.join(dir, "environments.json")) as { environments?: Environment[] }).environments ?? [];
    const branchPolicies: Record<string, string[]> = {};
    for (const e of environments) {
        const f = path.join(dir, `branch-policies-${e.name}.json`);
        if (!fs.existsSync(f)) continue;
        branchPolicies[e.name] = ((readJson(f) as { branch_policies?: Array<{ name: string; type?: string }> }).branch_policies ?? [])
            .filter((b) => (b.type ?? "branch") === "branch")
            .map((b) => b.name);
    }
    return { environments, branchPolicies, mainRules: readJson(path.join(dir, "rules-main.json")) as GitHubSettings["mainRules"] };
}
