/**
 * The benchmark's shape (never its figures: the full run takes minutes and GiBs): a tiny org through every
 * phase, each in its own child process, ends with one JSON line carrying the documented keys. Also the
 * synthetic org generator: deterministic, valid, and about 20 grants per account.
 */
import { strict as assert } from "assert";
import { benchCli, parseBenchArgs } from "../scripts/bench";
import { orgFixtureYaml, syntheticOrg } from "../offline/bench/synthetic-org";
import { parseStackConfig } from "../stacks/config/stack-config";
import { expandGrants } from "../stacks/org/expand";
import { parseOrgFixture, allOus } from "../stacks/org/fixture";
import { PROJECT_ROOT } from "../offline/plan/plan-run";

const NOW = new Date("2026-11-23T00:00:00Z");
const KEYS = ["accounts", "groups", "permissionSets", "assignments", "programMs", "floorMs", "ratio", "rssMiB", "floorRssMiB", "policyResourcesPerSecond"];

describe("bench: synthetic org", () => {
    it("is deterministic for a seed and valid for the parsers", () => {
        const a = syntheticOrg({ accounts: 120, groups: 20, permissionSets: 9, seed: 3 });
        const b = syntheticOrg({ accounts: 120, groups: 20, permissionSets: 9, seed: 3 });
        assert.equal(orgFixtureYaml(a.org), orgFixtureYaml(b.org));
        assert.deepEqual(a.config, b.config);
        assert.notEqual(orgFixtureYaml(syntheticOrg({ accounts: 120, groups: 20, permissionSets: 9, seed: 4 }).org), orgFixtureYaml(a.org));

        const org = parseOrgFixture(orgFixtureYaml(a.org), "synthetic.yaml");
        assert.deepEqual(org, a.org);
        const model = parseStackConfig(a.config, { stackName: "bench", projectRoot: PROJECT_ROOT, now: NOW });
        const grants = expandGrants(model, org, NOW).grants.length;
        assert.equal(grants, a.expectedGrants);
        assert.ok(grants >= 120 * 20 && grants < 120 * 22, `${grants} grants for 120 accounts`);
        assert.ok(model.permissionSets.some((p) => p.inlinePolicy !== undefined) && model.permissionSets.some((p) => p.managedPolicyArns.length > 0));
        const depth = (u: { ous: readonly unknown[] }, d = 1): number => Math.max(d, ...u.ous.map((c) => depth(c as typeof u, d + 1)));
        assert.ok(Math.max(...org.ous.map((u) => depth(u))) <= 5);
        assert.ok(allOus(org).length >= 15);
    });
});

describe("bench: CLI", function () {
    this.timeout(300_000);

    it("rejects bad arguments", () => {
        assert.match(String(parseBenchArgs(["--accounts", "10"])), /--groups/);
        assert.match(String(parseBenchArgs(["--accounts", "x", "--groups", "2", "--permission-sets", "2"])), /--accounts/);
        assert.match(String(parseBenchArgs(["--acounts", "10"])), /unknown argument/);
        assert.deepEqual((parseBenchArgs(["--groups", "2", "--permission-sets", "2", "--sizes", "30,10,20"]) as { sizes: number[] }).sizes, [10, 20, 30]);
    });

    it("runs a tiny org through every phase and ends with the JSON line", async () => {
        const lines: string[] = [];
        const code = await benchCli(["--accounts", "8", "--groups", "4", "--permission-sets", "3", "--shards", "2"],
            (s) => lines.push(...s.split("\n")), () => undefined);
        assert.equal(code, 0);
        const last = JSON.parse(lines[lines.length - 1]) as Record<string, unknown>;
        for (const k of KEYS) assert.ok(k in last, `missing ${k} in ${lines[lines.length - 1]}`);
        assert.equal(last.accounts, 8);
        assert.ok((last.assignments as number) > 0 && (last.programMs as number) > 0 && (last.floorMs as number) > 0);
        assert.equal(typeof last.policyResourcesPerSecond, "number");
        assert.equal((last.shards as { stacks: number }).stacks, 3);
        assert.ok(lines.some((l) => l.startsWith("(b) program under mocks")), lines.join("\n"));
    });
});
