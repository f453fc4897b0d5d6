import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import {
    assignmentUrn,
    auditSettings,
    commentBody,
    discoverStacks,
    environmentsOf,
    escapeMarkdownCell as escapeMarkdown,
    expiredTargets,
    GitHubSettings,
    PR_COMMENT_MAX_BODY as MAX_BODY,
    StackReport,
} from "../offline";

function repo(files: Record<string, string>): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "idfed-gitops-"));
    for (const [f, text] of Object.entries(files)) {
        fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
        fs.writeFileSync(path.join(dir, f), text);
    }
    return dir;
}

describe("gitops: stack discovery (offline/gitops/stacks.ts)", () => {
    it("orders federation stacks before assignment shards and derives names, policy config and org snapshot", () => {
        const dir = repo({
            "Pulumi.prod-shared.yaml": "config:\n  idfed:environment: prod\n  idfed:shard: { role: shared }\n",
            "Pulumi.prod-eu.yaml":
                "config:\n  idfed:environment: prod\n  idfed:shard: { role: assignments, sharedStack: acme/idfed/prod-shared }\n",
            "Pulumi.dev.yaml": "config:\n  idfed:environment: dev\n",
            "policy-pack/config/prod-shared.json": "{}",
            "policy-pack/config/prod-eu.json": "{}",
            "policy-pack/config/dev.json": "{}",
            "stacks/orgs/prod-shared.yaml": "x: 1\n",
        });
        const d = discoverStacks(dir);
        assert.deepEqual(
            d.federation.map((s) => s.stack),
            ["dev", "prod-shared"],
        );
        assert.deepEqual(
            d.shards.map((s) => [s.stack, s.suffix, s.prod, s.role, s.policyConfig, s.org]),
            [["prod-eu", "PROD_EU", true, "assignments", "policy-pack/config/prod-eu.json", "stacks/orgs/example.yaml"]],
        );
        assert.equal(d.federation[1].org, "stacks/orgs/prod-shared.yaml");
        assert.deepEqual(
            d.all.map((s) => s.stack),
            ["dev", "prod-shared", "prod-eu"],
        );
    });

    it("refuses a stack without its policy config (every engine run passes one)", () => {
        assert.throws(
            () => discoverStacks(repo({ "Pulumi.qa.yaml": "config: {}\n" })),
            /Pulumi\.qa\.yaml: `policy-pack\/config\/qa\.json` is missing/,
        );
    });

    it("discovers this repository's stacks", () => {
        assert.deepEqual(
            discoverStacks(path.resolve(__dirname, "..")).all.map((s) => s.stack),
            ["dev", "prod"],
        );
    });
});

describe("gitops: expired targets (offline/gitops/expired-targets.ts)", () => {
    const expired = [{ accountId: "720000000001", group: "oncall", permissionSet: "oncall-operator" }];
    const urn = assignmentUrn("prod", expired[0]);

    it("targets exactly the expired grant's assignment URN", () => {
        assert.equal(
            urn,
            "urn:pulumi:prod::idfed::idfed:aws:AccountAssignments$aws:ssoadmin/accountAssignment:AccountAssignment::assignments-720000000001-oncall-oncall-operator",
        );
        assert.deepEqual(
            expiredTargets("prod", expired, [
                { op: "same", urn: "a" },
                { op: "refresh", urn: "b" },
                { op: "delete", urn },
            ]),
            { targets: [urn], other: [] },
        );
    });

    it("does not take a URN that merely ends like the expired one, nor any other pending change", () => {
        const lookalike = urn.replace("::assignments-", "::xassignments-");
        const r = expiredTargets("prod", expired, [
            { op: "delete", urn: lookalike },
            { op: "update", urn },
            { op: "delete", urn: urn.replace("urn:pulumi:prod", "urn:pulumi:dev") },
        ]);
        assert.deepEqual(r.targets, []);
        assert.equal(r.other.length, 3);
    });
});

describe("gitops: PR comment (offline/gitops/pr-comment.ts)", () => {
    it("escapes config values: no raw HTML, no @mention, no table or link breaking", () => {
        const e = escapeMarkdown("<img src=x onerror=alert(1)> @acme/admins | [x](http://evil) `code`\nnext");
        assert.doesNotMatch(e, /[<>|`[\]()\n]/);
        assert.doesNotMatch(e, /@acme/);
        assert.match(e, /@\u200bacme/);
    });

    it("stays under GitHub's 65,536-character limit at hundreds of accounts and many stacks", () => {
        const gains = Array.from({ length: 900 }, (_, i) => ({
            group: "g",
            groupDisplayName: `<b>Group ${i}</b>`,
            accountId: String(100000000000 + i),
            accountName: `account-${i}-${"x".repeat(40)}`,
            permissionSet: "admin",
            permissionSetName: "AdministratorAccess",
            highRisk: i % 2 === 0,
        }));
        const reports: StackReport[] = Array.from({ length: 30 }, (_, i) => ({
            stack: `prod-${i}`,
            planExit: "0",
            diff: {
                accessChanged: true,
                gains,
                losses: [],
                verdictsAppeared: [],
                summary: { gains: 900, losses: 0, highRisk: 450, permissionSetsChanged: 0, verdictsAppeared: 0, verdictsResolved: 0 },
            },
        }));
        const body = commentBody(reports, { commit: "0123456789abcdef", runUrl: "https://github.com/acme/idfed/actions/runs/1" });
        assert.ok(body.length <= MAX_BODY && body.length > 20000, String(body.length));
        assert.match(body, /… and 875 more/);
        assert.match(body, /more stack\(s\) not shown here/);
        assert.doesNotMatch(body, /<b>/);
        assert.ok(body.startsWith("<!-- idfed-gitops-report -->"));
    });

    it("reports a failed access diff and a mandatory violation", () => {
        const body = commentBody([{ stack: "prod", planExit: "1", diffError: "bad ref <x>" }], { commit: "abc", runUrl: "https://x" });
        assert.match(body, /`prod`: \*\*mandatory policy violation\*\*/);
        assert.match(body, /Access diff unavailable: bad ref &#60;x&#62;/);
    });
});

describe("gitops: settings audit (offline/gitops/audit-github.ts)", () => {
    const stacks = [{ stack: "prod", suffix: "PROD", prod: true, role: "none" as const, policyConfig: "", org: "" }];
    const envs = environmentsOf("prod");
    // Shapes: GitHub REST "List environments" (protection_rules[].type/prevent_self_review/reviewers,
    // deployment_branch_policy), "List deployment branch policies" (branch_policies[].name/type), "Get rules for a branch".
    const good = (): GitHubSettings => ({
        environments: [
            {
                name: envs.deploy,
                protection_rules: [{ type: "required_reviewers", prevent_self_review: true, reviewers: [{ type: "Team" }] }],
                deployment_branch_policy: { protected_branches: false, custom_branch_policies: true },
            },
            {
                name: envs.preview,
                protection_rules: [{ type: "required_reviewers", prevent_self_review: true, reviewers: [{ type: "User" }] }],
                deployment_branch_policy: null,
            },
            {
                name: envs.plan,
                protection_rules: [],
                deployment_branch_policy: { protected_branches: false, custom_branch_policies: true },
            },
            {
                name: envs.maintenance,
                protection_rules: [],
                deployment_branch_policy: { protected_branches: false, custom_branch_policies: true },
            },
        ],
        branchPolicies: { [envs.deploy]: ["main"], [envs.plan]: ["main"], [envs.maintenance]: ["main"] },
        mainRules: [{ type: "pull_request", parameters: { required_approving_review_count: 1, require_last_push_approval: true } }],
    });

    it("passes the settings the security model needs", () => {
        assert.deepEqual(auditSettings(stacks, good()), []);
    });

    it("fails when prod has no reviewers, self-review is allowed, maintenance accepts any branch or main needs no approval", () => {
        const s = good();
        const mut = JSON.parse(JSON.stringify(s)) as {
            environments: Array<{ protection_rules: Array<Record<string, unknown>>; deployment_branch_policy: unknown }>;
            mainRules: unknown[];
        } & GitHubSettings;
        mut.environments[0].protection_rules = [];
        mut.environments[1].protection_rules[0].prevent_self_review = false;
        mut.environments[3].deployment_branch_policy = null;
        mut.mainRules = [];
        assert.deepEqual(auditSettings(stacks, mut), [
            "environment `deploy-prod` has no required reviewers (prod stack `prod` deploys behind it)",
            'environment `pr-preview-prod` allows self-review: turn on "Prevent self-review" (cloud previews of pull requests for `prod`)',
            'environment `maintenance-prod` accepts any branch: set "Deployment branches" to the branch `main` only',
            "branch `main` has no ruleset requiring a pull request with at least one approval",
        ]);
    });
});
