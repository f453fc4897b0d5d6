/**
 * The removal guard: a partial organization read must never become a mass deletion. Unit cases of the
 * verdict, and the offline plan with `--previous` (a saved plan standing for the last deployment).
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { stringify } from "yaml";
import { judgeRemoval, parseRemovalGuard, partialOrgRead, REMOVAL_GUARD_DEFAULTS } from "../stacks/config/removal-guard";
import { Expansion, Grant } from "../stacks/model";
import { Issues } from "../stacks/input/validate";
import { defaultOrgFile, loadOrg, orgFixtureYaml, runPlan } from "../offline";
import { exampleOrg, stackConfig } from "./helpers";

const row = (i: number, group = "g", ps = "p") => ({ accountId: String(100000000000 + i), group, permissionSet: ps });
const grant = (i: number, group = "g", ps = "p"): Grant =>
    ({ accountId: String(100000000000 + i), groupKey: group, permissionSetKey: ps, ruleIndexes: [0] }) as unknown as Grant;
const expansion = (grants: Grant[], expired: Grant[] = []): Expansion => ({ grants, expired, notes: [] });
const range = (n: number) => Array.from({ length: n }, (_, i) => i);

describe("removal guard: the verdict", () => {
    it("refuses 12 of 13 assignments lost (the partial read of the issue), naming the fingerprint", () => {
        const v = judgeRemoval(
            range(13).map((i) => row(i)),
            expansion([grant(0)]),
            REMOVAL_GUARD_DEFAULTS,
        );
        assert.equal(v.removed.length, 12);
        assert.match(v.refusal ?? "", /removes 12 of the 13 deployed assignments \(92\.3 %/);
        assert.match(v.refusal ?? "", new RegExp(`idfed:removalGuard\\.acknowledge: ${v.fingerprint}`));
        // The acknowledgement of exactly this removal lets it through; another removal's does not.
        assert.equal(
            judgeRemoval(
                range(13).map((i) => row(i)),
                expansion([grant(0)]),
                { ...REMOVAL_GUARD_DEFAULTS, acknowledge: v.fingerprint },
            ).refusal,
            undefined,
        );
        const other = judgeRemoval(
            range(13).map((i) => row(i)),
            expansion([grant(1)]),
            { ...REMOVAL_GUARD_DEFAULTS, acknowledge: v.fingerprint },
        );
        assert.notEqual(other.refusal, undefined);
    });

    it("lets small or proportionally small removals through (both thresholds must be passed)", () => {
        // 5 removals: at the count threshold.
        assert.equal(
            judgeRemoval(
                range(6).map((i) => row(i)),
                expansion([grant(0)]),
                REMOVAL_GUARD_DEFAULTS,
            ).refusal,
            undefined,
        );
        // 6 of 100 = 6 %: under the share threshold.
        assert.equal(
            judgeRemoval(
                range(100).map((i) => row(i)),
                expansion(range(94).map((i) => grant(i))),
                REMOVAL_GUARD_DEFAULTS,
            ).refusal,
            undefined,
        );
        // 11 of 100 = 11 %: refused.
        assert.notEqual(
            judgeRemoval(
                range(100).map((i) => row(i)),
                expansion(range(89).map((i) => grant(i))),
                REMOVAL_GUARD_DEFAULTS,
            ).refusal,
            undefined,
        );
        // Configured thresholds.
        assert.equal(
            judgeRemoval(
                range(100).map((i) => row(i)),
                expansion(range(80).map((i) => grant(i))),
                { maxRemovals: 20, maxSharePercent: 10 },
            ).refusal,
            undefined,
        );
    });

    it("refuses a rule that matched accounts and now matches none, even for one assignment", () => {
        const prev = [...range(20).map((i) => row(i)), row(50, "oncall", "operator")];
        const v = judgeRemoval(prev, expansion(range(20).map((i) => grant(i))), REMOVAL_GUARD_DEFAULTS);
        assert.deepEqual(v.emptied, ["oncall → operator"]);
        assert.match(v.refusal ?? "", /`oncall → operator` had accounts and now match none/);
    });

    it("does not count grants that expired (their removal is intended)", () => {
        const prev = range(13).map((i) => row(i));
        const v = judgeRemoval(
            prev,
            expansion(
                [grant(0)],
                range(12).map((i) => grant(i + 1)),
            ),
            REMOVAL_GUARD_DEFAULTS,
        );
        assert.equal(v.removed.length, 0);
        assert.equal(v.refusal, undefined);
    });

    it("refuses an organization read with OUs and no account in any of them", () => {
        const org = exampleOrg();
        const empty = {
            ...org,
            ous: org.ous.map(function strip(u): typeof u {
                return { ...u, accounts: [], ous: u.ous.map(strip) };
            }),
        };
        assert.match(partialOrgRead(empty) ?? "", /returned \d+ OUs and no account in any of them/);
        assert.equal(partialOrgRead(org), undefined);
    });

    it("validates idfed:removalGuard", () => {
        const issues = new Issues();
        parseRemovalGuard({ maxRemovals: -1, maxSharePercent: 101, acknowledge: "yes", extra: 1 }, "idfed:removalGuard", issues);
        const text = issues.list.map((i) => i.message).join("\n");
        for (const k of ["maxRemovals", "maxSharePercent", "acknowledge", "extra"])
            assert.match(text, new RegExp(`idfed:removalGuard\\.${k}`));
    });
});

describe("removal guard: the offline plan with --previous", function () {
    this.timeout(180_000);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "idfed-guard-"));
    after(() => fs.rmSync(dir, { recursive: true, force: true }));
    const NOW = new Date("2026-11-23T00:00:00Z");

    it("refuses (mandatory, nothing registered) when a partial read drops most accounts, and an acknowledgement lets it through", async () => {
        const base = await runPlan({ stack: "dev", now: NOW, policies: false });
        const previous = path.join(dir, "previous.json");
        fs.writeFileSync(previous, JSON.stringify(base.plan));
        // The same org, read partially: the OUs came back without most of their accounts (two that the
        // dev config names explicitly are kept, so the config still validates).
        const org = loadOrg(defaultOrgFile("dev"));
        const keep = new Set(["330000000001", "321000000001"]);
        const strip = (u: (typeof org.ous)[number]): (typeof org.ous)[number] => ({
            ...u,
            accounts: u.accounts.filter((a) => keep.has(a.id)),
            ous: u.ous.map(strip),
        });
        const partial = { ...org, ous: org.ous.map(strip) };
        const orgFile = path.join(dir, "partial.yaml");
        fs.writeFileSync(orgFile, orgFixtureYaml(partial));
        const r = await runPlan({ stack: "dev", now: NOW, policies: false, orgFile, previousPlan: previous });
        const guard = r.plan.violations.filter((v) => v.policy === "removal-guard");
        assert.equal(guard.length, 1, JSON.stringify(r.plan.violations));
        assert.equal(guard[0].level, "mandatory");
        assert.equal(r.plan.summary.violations.mandatory, 1);
        assert.equal(r.run.resources.length, 0, "nothing may be registered");
        const fingerprint = /acknowledge: ([0-9a-f]{16})/.exec(guard[0].message)?.[1];
        assert.ok(fingerprint, guard[0].message);
        // Without --previous (first deployment) the same read passes: there is nothing to lose.
        assert.equal((await runPlan({ stack: "dev", now: NOW, policies: false, orgFile })).plan.violations.length, 0);
        // The reviewed acknowledgement of exactly this removal lets the plan through.
        const config = stackConfig("dev");
        config["idfed:removalGuard"] = { acknowledge: fingerprint };
        const configFile = path.join(dir, "Pulumi.dev.yaml");
        fs.writeFileSync(configFile, stringify({ config }));
        const ok = await runPlan({ stack: "dev", now: NOW, policies: false, orgFile, configFile, previousPlan: previous });
        assert.deepEqual(
            ok.plan.violations.filter((v) => v.policy === "removal-guard"),
            [],
        );
        assert.ok(ok.run.resources.length > 0);
    });

    it("an unchanged update passes with --previous", async () => {
        const base = await runPlan({ stack: "dev", now: NOW, policies: false });
        const previous = path.join(dir, "same.json");
        fs.writeFileSync(previous, JSON.stringify(base.plan));
        const again = await runPlan({ stack: "dev", now: NOW, policies: false, previousPlan: previous });
        assert.deepEqual(again.plan.violations, []);
    });
});
