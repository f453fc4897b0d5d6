/**
 * The benchmark's shape (never its figures: the full run takes minutes and GiBs): a tiny org through every
 * phase, each in its own child process, ends with one JSON line carrying the documented keys. Also the
 * synthetic org generator: deterministic, valid, and about 20 grants per account.
 */
import { strict as assert } from "assert";
import { parseBenchArgs } from "../scripts/bench";
import { orgFixtureYaml, syntheticOrg, PROJECT_ROOT } from "../offline";
import { parseStackConfig } from "../stacks/config/stack-config";
import { expandGrants } from "../stacks/org/expand";
import { parseOrgFixture } from "../stacks/org/fixture";
import { allOus } from "../stacks/org/org-index";

const NOW = new Date("2026-11-23T00:00:00Z");

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
        assert.ok(
            model.permissionSets.some((p) => p.inlinePolicy !== undefined) &&
                model.permissionSets.some((p) => p.managedPolicyArns.length > 0),
        );
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
        assert.deepEqual(
            (parseBenchArgs(["--groups", "2", "--permission-sets", "2", "--sizes", "30,10,20"]) as { sizes: number[] }).sizes,
            [10, 20, 30],
        );
    });
});
