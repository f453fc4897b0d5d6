import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { expandGrants, grantKey, indexOrg } from "../stacks/org/expand";
import {
    AssignmentExclusions,
    AssignmentRule,
    AssignmentTargets,
    ConfigError,
    Expansion,
    OrgAccount,
    OrgTree,
    OrgUnit,
} from "../stacks/model";
import { parseOrgFixture } from "../stacks/org/fixture";

const org = parseOrgFixture(fs.readFileSync(path.resolve(__dirname, "..", "stacks", "orgs", "prod.yaml"), "utf8"), "example.yaml");
const NOW = new Date("2026-06-01T00:00:00Z");

interface RuleSpec {
    readonly group?: string;
    readonly permissionSet?: string;
    readonly targets?: Partial<AssignmentTargets>;
    readonly exclude?: Partial<AssignmentExclusions>;
    readonly expiresAt?: string;
}

function rule(index: number, s: RuleSpec): AssignmentRule {
    return {
        index,
        group: s.group ?? "devs",
        permissionSet: s.permissionSet ?? "readonly",
        targets: { ous: [], recursive: true, accounts: [], ...s.targets },
        exclude: { accounts: [], ous: [], ...s.exclude },
        ...(s.expiresAt ? { expiresAt: s.expiresAt } : {}),
    };
}

function expand(specs: readonly RuleSpec[], allowManagementAccount = false): Expansion {
    return expandGrants({ assignments: specs.map((s, i) => rule(i, s)), allowManagementAccount }, org, NOW);
}

const ids = (e: Expansion) => e.grants.map((g) => g.accountId);

const WORKLOADS = ["700000000001", "710000000001", "710000000002", "710000000003", "720000000001", "720000000002", "720000000003"];

describe("stacks/expand expandGrants (example org)", () => {
    it("expands nested OUs recursively", () => {
        assert.deepEqual(ids(expand([{ targets: { ous: ["ou-ab12-workload"] } }])), WORKLOADS);
        assert.deepEqual(ids(expand([{ targets: { ous: ["ou-ab12-wkprd001"] } }])), ["720000000001", "720000000002", "720000000003"]);
    });

    it("takes only direct child accounts with recursive: false", () => {
        assert.deepEqual(ids(expand([{ targets: { ous: ["ou-ab12-workload"], recursive: false } }])), ["700000000001"]);
    });

    it("applies account and OU exclusions (OUs recursively)", () => {
        const e = expand([
            { targets: { ous: ["r-ab12"] }, exclude: { ous: ["ou-ab12-workload", "ou-ab12-security"], accounts: ["444444444444"] } },
        ]);
        assert.deepEqual(ids(e), ["081000000002", "555555555555", "666666666666", "810000000001"]);
    });

    it("selects by tags, with * matching any value", () => {
        assert.deepEqual(ids(expand([{ targets: { accountTags: { env: "prod" } } }])), ["720000000001", "720000000002", "720000000003"]);
        assert.deepEqual(ids(expand([{ targets: { accountTags: { team: "data", env: "*" } } }])), [
            "081000000002",
            "710000000002",
            "720000000002",
        ]);
        assert.deepEqual(ids(expand([{ targets: { accountTags: { env: "prod", "data-classification": "restricted" } } }])), [
            "720000000001",
        ]);
        assert.deepEqual(ids(expand([{ targets: { accountTags: { nope: "*" } } }])), []);
    });

    it("combines OUs, accounts and tags in one rule", () => {
        const e = expand([{ targets: { ous: ["ou-ab12-security"], accounts: ["444444444444"], accountTags: { env: "sandbox" } } }]);
        assert.deepEqual(ids(e), ["081000000002", "222222222222", "333333333333", "444444444444", "810000000001"]);
    });

    it("skips the management account unless allowed, with a note", () => {
        const spec = [{ targets: { ous: ["r-ab12"], recursive: false } }];
        const skipped = expand(spec);
        assert.deepEqual(skipped.grants, []);
        assert.ok(
            skipped.notes.some((n) => n.includes("management account 111111111111") && n.includes("idfed:allowManagementAccount")),
            skipped.notes.join("\n"),
        );
        assert.deepEqual(ids(expand(spec, true)), ["111111111111"]);
        assert.equal(ids(expand([{ targets: { ous: ["r-ab12"] } }])).length, 14);
    });

    it("skips SUSPENDED accounts by status (not by OU name), with a note", () => {
        const e = expand([{ targets: { ous: ["ou-ab12-suspend1"], accounts: ["990000000001"] } }]);
        assert.deepEqual(e.grants, []);
        assert.ok(
            e.notes.some((n) => n.includes("990000000001 (legacy-reporting) is SUSPENDED")),
            e.notes.join("\n"),
        );
        const renamed: OrgTree = {
            ...org,
            ous: [
                ...org.ous,
                {
                    id: "ou-ab12-suspend2",
                    name: "Suspended",
                    ous: [],
                    accounts: [{ id: "990000000002", name: "active-in-suspended-ou", tags: {} }],
                },
            ],
        };
        const r = expandGrants(
            { assignments: [rule(0, { targets: { ous: ["ou-ab12-suspend2"] } })], allowManagementAccount: false },
            renamed,
            NOW,
        );
        assert.deepEqual(ids(r), ["990000000002"]);
    });

    it("de-duplicates grants from several rules and keeps the latest expiry", () => {
        const e = expand([
            { targets: { ous: ["ou-ab12-wkprd001"] }, expiresAt: "2027-01-01T00:00:00.000Z" },
            { targets: { accounts: ["720000000001"] }, expiresAt: "2027-06-01T00:00:00.000Z" },
            { targets: { accountTags: { team: "payments" } } },
        ]);
        assert.deepEqual(
            e.grants.map((g) => [g.accountId, g.expiresAt, g.rules]),
            [
                ["710000000001", undefined, [2]],
                ["720000000001", undefined, [0, 1, 2]],
                ["720000000002", "2027-01-01T00:00:00.000Z", [0]],
                ["720000000003", "2027-01-01T00:00:00.000Z", [0]],
            ],
        );
        const noOpen = expand([
            { targets: { ous: ["ou-ab12-wkprd001"] }, expiresAt: "2027-01-01T00:00:00.000Z" },
            { targets: { accounts: ["720000000001"] }, expiresAt: "2027-06-01T00:00:00.000Z" },
        ]);
        assert.equal(noOpen.grants.find((g) => g.accountId === "720000000001")?.expiresAt, "2027-06-01T00:00:00.000Z");
    });

    it("reports grants of expired rules separately", () => {
        const e = expand([
            { targets: { ous: ["ou-ab12-wkdev001"] }, expiresAt: "2026-01-01T00:00:00.000Z" },
            { targets: { accounts: ["710000000001"] }, expiresAt: "2026-05-01T00:00:00.000Z" },
            { targets: { accounts: ["710000000002"] }, expiresAt: "2026-12-01T00:00:00.000Z" },
            { targets: { accounts: ["710000000003"] }, expiresAt: NOW.toISOString() },
        ]);
        assert.deepEqual(
            e.grants.map((g) => [g.accountId, g.expiresAt, g.rules]),
            [["710000000002", "2026-12-01T00:00:00.000Z", [2]]],
        );
        assert.deepEqual(
            e.expired.map((g) => [g.accountId, g.expiresAt, g.rules]),
            [
                ["710000000001", "2026-05-01T00:00:00.000Z", [0, 1]],
                ["710000000003", NOW.toISOString(), [0, 3]],
            ],
        );
    });

    it("keeps group and permission set apart in grants and sorts by account, group, permission set", () => {
        const e = expand([
            { group: "ops", permissionSet: "admin", targets: { accounts: ["444444444444"] } },
            { group: "devs", permissionSet: "readonly", targets: { accounts: ["444444444444", "333333333333"] } },
            { group: "devs", permissionSet: "admin", targets: { accounts: ["444444444444"] } },
        ]);
        assert.deepEqual(e.grants.map(grantKey), [
            "333333333333/devs/readonly",
            "444444444444/devs/admin",
            "444444444444/devs/readonly",
            "444444444444/ops/admin",
        ]);
    });

    it("is deterministic under shuffled rules", () => {
        const specs: RuleSpec[] = [
            { group: "a", targets: { ous: ["ou-ab12-workload"] }, expiresAt: "2027-01-01T00:00:00.000Z" },
            { group: "a", targets: { accountTags: { env: "prod" } } },
            { group: "b", permissionSet: "admin", targets: { ous: ["r-ab12"] }, exclude: { ous: ["ou-ab12-sandbox1"] } },
            { group: "b", targets: { ous: ["ou-ab12-sandbox1"], accounts: ["444444444444"] }, expiresAt: "2026-07-01T00:00:00.000Z" },
            { group: "c", targets: { accountTags: { team: "*" } }, exclude: { accounts: ["720000000001"] } },
            { group: "c", targets: { ous: ["ou-ab12-infra001"] }, expiresAt: "2020-01-01T00:00:00.000Z" },
        ];
        const strip = (e: Expansion) => ({
            grants: e.grants.map((g) => ({ ...g, rules: g.rules.length })),
            expired: e.expired.map(grantKey),
        });
        const base = expand(specs);
        assert.deepEqual(expand(specs), base);
        let seed = 7;
        const rand = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
        for (let n = 0; n < 10; n++) {
            const shuffled = [...specs].sort(() => rand() - 0.5);
            assert.deepEqual(strip(expand(shuffled)), strip(base));
        }
    });

    it("rejects OU and account ids not in the org, never suggesting a different real id", () => {
        assert.throws(
            () => expand([{ targets: { ous: ["ou-ab12-wkprd002"], accounts: ["720000000009"] }, exclude: { ous: ["ou-zz99-zzzzzzzz"] } }]),
            (e: unknown) => {
                assert.ok(e instanceof ConfigError);
                const byPath = new Map(e.issues.map((i) => [i.path, i.message]));
                assert.match(
                    byPath.get("idfed:assignments[0].ous[0]") ?? "",
                    /`ou-ab12-wkprd002` is not in the organization; check the id/,
                );
                assert.match(
                    byPath.get("idfed:assignments[0].accounts[0]") ?? "",
                    /`720000000009` is not in the organization; check the id/,
                );
                for (const m of e.issues.map((i) => i.message)) assert.doesNotMatch(m, /did you mean/, m);
                // A typo of the management account's id, or of any account's, suggests no other account.
                assert.doesNotMatch(byPath.get("idfed:assignments[0].accounts[0]") ?? "", /720000000001/);
                assert.match(byPath.get("idfed:assignments[0].exclude.ous[0]") ?? "", /known OUs: `r-ab12` \(`Root`\)/);
                return true;
            },
        );
    });

    it("notes rules that match no account", () => {
        const e = expand([{ group: "x", permissionSet: "y", targets: { accountTags: { env: "qa" } } }]);
        assert.deepEqual(e.notes, ["`idfed:assignments[0]` (x → y): matches no account"]);
    });

    it("grantKey is account/group/permission set", () => {
        assert.equal(grantKey({ accountId: "123456789012", groupKey: "admins", permissionSetKey: "admin" }), "123456789012/admins/admin");
    });
});

describe("stacks/expand scale", () => {
    function bigOrg(): OrgTree {
        const ous: OrgUnit[] = [];
        let n = 0;
        const account = (team: number): OrgAccount => ({
            id: String(100000000000 + n++),
            name: `a${n}`,
            tags: { team: `t${team % 20}`, env: n % 2 ? "prod" : "dev" },
        });
        for (let i = 0; i < 20; i++) {
            const kids: OrgUnit[] = [];
            for (let j = 0; j < 4; j++) {
                kids.push({
                    id: `ou-ab12-${String(i * 10 + j).padStart(8, "0")}`,
                    name: `K${j}`,
                    ous: [],
                    accounts: Array.from({ length: 12 }, () => account(i)),
                });
            }
            ous.push({
                id: `ou-ab12-p${String(i).padStart(7, "0")}`,
                name: `P${i}`,
                ous: kids,
                accounts: Array.from({ length: 2 }, () => account(i)),
            });
        }
        return {
            managementAccountId: "100000000000",
            identityStoreId: "d-1234567890",
            instanceArn: "arn:aws:sso:::instance/ssoins-1234567890abcdef",
            root: "r-ab12",
            accounts: [],
            ous,
        };
    }

    it("expands 1,000 accounts × 200 groups × 60 permission sets (~20k grants), de-duplicated (speed: npm run bench)", () => {
        const tree = bigOrg();
        const rules: AssignmentRule[] = [];
        for (let g = 0; g < 200; g++) {
            for (let k = 0; k < 6; k++) {
                // 6 rules per group over 60 permission sets in all
                const i = rules.length;
                const ou = tree.ous[(g + k) % 20].ous[k % 4].id;
                rules.push(
                    rule(i, {
                        group: `g${g}`,
                        permissionSet: `ps${(g * 6 + k) % 60}`,
                        targets: i % 3 === 0 ? { accountTags: { team: `t${g % 20}`, env: "prod" } } : { ous: [ou] },
                        expiresAt: i % 5 === 0 ? "2027-01-01T00:00:00.000Z" : undefined,
                    }),
                );
            }
        }
        const model = { assignments: rules, allowManagementAccount: false };
        assert.equal(
            tree.ous.reduce((s, o) => s + o.accounts.length + o.ous.reduce((t, k) => t + k.accounts.length, 0), 0),
            1000,
        );
        const e = expandGrants(model, tree, NOW);
        assert.deepEqual(expandGrants(model, tree, NOW).grants.map(grantKey), e.grants.map(grantKey), "deterministic");
        assert.ok(e.grants.length > 15_000 && e.grants.length < 30_000, `${e.grants.length} grants`);
        assert.equal(new Set(e.grants.map(grantKey)).size, e.grants.length);
        assert.equal(new Set(e.grants.map((g) => g.permissionSetKey)).size, 60);
        assert.equal(new Set(e.grants.map((g) => g.groupKey)).size, 200);
        assert.ok(indexOrg(tree).recursive.get("r-ab12")?.length === 1000);
    });
});
