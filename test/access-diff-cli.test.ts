import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { runAccessDiff } from "../scripts/access-diff";
import type { AccessDiff, PlanRunOptions, ProcessResult } from "../offline";

const ROOT = path.resolve(__dirname, "..");
const PLANS = path.join(__dirname, "fixtures", "plans");
const plan = (name: string): string => path.join(PLANS, `${name}.json`);

/** Runs the real CLI the way `npm run access-diff` does. */
function cli(args: readonly string[]): { status: number | null; stdout: string; stderr: string } {
    const r = spawnSync(
        process.execPath,
        [require.resolve("ts-node/dist/bin.js"), "--transpile-only", path.join(ROOT, "scripts", "access-diff.ts"), ...args],
        { cwd: ROOT, encoding: "utf8" },
    );
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function assertBadInput(r: { status: number | null; stdout: string; stderr: string }, message: RegExp): void {
    assert.equal(r.status, 2, `exit code; stderr: ${r.stderr}`);
    assert.equal(r.stdout, "");
    assert.match(r.stderr, /^access-diff: /);
    assert.match(r.stderr, message);
    assert.doesNotMatch(r.stderr, /\n\s+at .+:\d+:\d+/, "no stack trace");
}

describe("access-diff CLI: bad input exits 2 with a clear message", () => {
    it("names missing and unknown arguments (real process)", () => {
        assertBadInput(
            cli(["--stack", "prod", "--base", plan("prod-base"), "--colour"]),
            /unknown argument `--colour`; `--head` is required\nusage: /,
        );
    });

    it("rejects a saved plan that does not exist (real process)", () => {
        assertBadInput(
            cli(["--stack", "prod", "--base", plan("prod-base"), "--head", plan("nope")]),
            /saved plan `.*nope\.json` does not exist/,
        );
    });

    it("rejects a value that is neither a plan file nor a git ref", async () => {
        const r = await runAccessDiff(["--stack", "prod", "--base", plan("prod-base"), "--head", "no-such-ref-xyz", "--repo", ROOT]);
        assertBadInput({ status: r.code, ...r }, /`no-such-ref-xyz` is neither a saved plan \(an existing \.json file\) nor a git ref/);
    });

    it("rejects malformed JSON and a plan of another stack", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "idfed-ad-test-"));
        try {
            const bad = path.join(dir, "bad.json");
            fs.writeFileSync(bad, '{"stack": "prod", ');
            const r1 = await runAccessDiff(["--stack", "prod", "--base", bad, "--head", plan("prod-base")]);
            assertBadInput({ status: r1.code, ...r1 }, /bad\.json is not an idfed plan JSON \(1 problem\):\n {2}- not valid JSON/);
            const r2 = await runAccessDiff(["--stack", "prod", "--base", plan("dev-base"), "--head", plan("prod-base")]);
            assertBadInput({ status: r2.code, ...r2 }, /--base is a plan of stack `dev`, not `prod`/);
            const r3 = await runAccessDiff([
                "--stack",
                "prod",
                "--base",
                plan("prod-base"),
                "--head",
                plan("prod-base"),
                "--format",
                "html",
            ]);
            assertBadInput({ status: r3.code, ...r3 }, /`--format`: `html` is not one of markdown, json/);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});

describe("access-diff: git refs are planned from the config at that ref", () => {
    let repo: string;
    const git = (...args: string[]): string => execFileSync("git", args, { cwd: repo, encoding: "utf8" }).trim();

    before(() => {
        repo = fs.mkdtempSync(path.join(os.tmpdir(), "idfed-ad-repo-"));
        git("init", "-q", "-b", "main");
        git("config", "user.email", "test@example.com");
        git("config", "user.name", "test");
        fs.mkdirSync(path.join(repo, "policies"));
        fs.writeFileSync(path.join(repo, "policies", "deploy.json"), "{}\n");
        fs.writeFileSync(path.join(repo, "Pulumi.prod.yaml"), "config:\n  fixture: prod-base\n");
        git("add", ".");
        git("commit", "-q", "-m", "base");
        git("tag", "v-base");
        fs.writeFileSync(path.join(repo, "Pulumi.prod.yaml"), "config:\n  fixture: prod-admin-gain\n");
        git("commit", "-q", "-am", "grant developers admin in prod");
    });
    after(() => fs.rmSync(repo, { recursive: true, force: true }));

    it("materializes Pulumi.<stack>.yaml and referenced files of each ref, plans each, and diffs", async () => {
        const calls: PlanRunOptions[] = [];
        const stub = (o: PlanRunOptions): ProcessResult => {
            calls.push(o);
            assert.ok(fs.existsSync(path.join(o.cwd, "policies", "deploy.json")), "referenced files are materialized too");
            assert.ok(
                fs.lstatSync(path.join(o.cwd, "node_modules", "@pulumi")).isSymbolicLink(),
                "this checkout's dependencies are linked in",
            );
            assert.ok(
                !fs.existsSync(path.join(o.cwd, "node_modules", "idfed-policy-pack")),
                "the pack is the ref's own, never this checkout's",
            );
            const fixture = /fixture: (\S+)/.exec(fs.readFileSync(o.configFile, "utf8"))?.[1] ?? "";
            return { status: 0, stdout: fs.readFileSync(plan(fixture), "utf8"), stderr: "" };
        };
        const r = await runAccessDiff(["--stack", "prod", "--base", "v-base", "--head", "HEAD", "--repo", repo, "--format", "json"], stub);
        assert.equal(r.code, 0, r.stderr);
        const d = JSON.parse(r.stdout) as AccessDiff;
        assert.deepEqual(
            d.gains.map((g) => [g.group, g.permissionSet, g.accountId, g.highRisk]),
            [["developers", "admin", "222222222222", true]],
        );
        assert.deepEqual([d.base, d.head], ["v-base", "HEAD"]);
        assert.equal(calls.length, 2);
        for (const c of calls) {
            assert.equal(c.stack, "prod");
            assert.equal(c.configFile, path.join(c.cwd, "Pulumi.prod.yaml"));
            assert.equal(fs.existsSync(c.cwd), false, "temp tree removed after the plan");
        }
        assert.ok(fs.existsSync(path.join(ROOT, "node_modules", "mocha")), "removing the temp tree left the linked node_modules alone");
    });

    it("exits 2 with the plan's message when the plan rejects the config at a ref", async () => {
        const stub = (): ProcessResult => ({ status: 2, stdout: "", stderr: "invalid config (1 problem):\n  - `idfed:groups`: required" });
        const r = await runAccessDiff(["--stack", "prod", "--base", "v-base", "--head", "HEAD", "--repo", repo], stub);
        assertBadInput({ status: r.code, ...r }, /the offline plan of `prod` at `v-base` failed \(exit 2\):\ninvalid config/);
    });

    it("exits 2 when the ref has no config for the stack", async () => {
        const r = await runAccessDiff(["--stack", "dev", "--base", "v-base", "--head", "HEAD", "--repo", repo]);
        assertBadInput({ status: r.code, ...r }, /git ref `v-base` has no `Pulumi\.dev\.yaml`/);
    });
});
