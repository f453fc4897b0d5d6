/**
 * Corrupted organizations, both ways the program learns the org: org fixtures (cycles through YAML aliases,
 * duplicate account ids, bad ids, missing keys, wrong types, 6+ levels, plus seeded random mutations) end in
 * a ConfigError from `parseOrgFixture` naming the key path; inconsistent Organizations answers through the
 * invokes (an OU under two parents, nesting past 5 levels) end in `loadOrgTree`'s RunError.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { parse, stringify } from "yaml";
import { ConfigError, OrgTree, OrgUnit } from "../stacks/model";
import { parseOrgFixture } from "../stacks/org/fixture";
import { Json, mutate, prototypeSnapshot, Rng } from "./fuzz/mutate";
import { runWith, stackConfig } from "./helpers";

const EXAMPLE_TEXT = fs.readFileSync(path.resolve(__dirname, "..", "stacks", "orgs", "prod.yaml"), "utf8");
const HEAD = [
    'managementAccountId: "111111111111"',
    "identityStoreId: d-1234567890",
    "instanceArn: arn:aws:sso:::instance/ssoins-1234567890abcdef",
    "root: r-ab12",
    "accounts:",
    '  - { id: "111111111111", name: management }',
].join("\n");

/** The ConfigError a fixture text must produce; every problem names a path in backticks. */
function fixtureError(text: string): ConfigError {
    try {
        parseOrgFixture(text, "bad.yaml");
    } catch (e) {
        assert.ok(e instanceof ConfigError, `threw ${e instanceof Error ? e.stack : String(e)}`);
        for (const i of e.issues) assert.match(i.message, /^`[^`]+`/, i.message);
        return e;
    }
    return assert.fail(`fixture parsed:\n${text.slice(0, 400)}`);
}

/** `levels` nested OUs, one account in the deepest. */
function nested(levels: number): string {
    const lines = [HEAD, "ous:"];
    for (let l = 1; l <= levels; l++) {
        const ind = "  ".repeat(2 * (l - 1));
        lines.push(`${ind}  - id: ou-ab12-level00${l}`, `${ind}    name: Level${l}`);
        if (l === levels) lines.push(`${ind}    accounts: [{ id: "22222222222${l}", name: deep }]`, `${ind}    ous: []`);
        else lines.push(`${ind}    ous:`);
    }
    return lines.join("\n") + "\n";
}

describe("fuzz: corrupted org fixtures", () => {
    const cases: { name: string; text: string; expect: string[] }[] = [
        {
            name: "a cycle through a YAML alias",
            expect: ["alias"],
            text: `${HEAD}\nous:\n  - &top\n    id: ou-ab12-aaaaaaaa\n    name: Top\n    ous:\n      - *top\n`,
        },
        {
            name: "an OU list reused through an alias",
            expect: ["alias"],
            text: `${HEAD}\nous: &list\n  - id: ou-ab12-aaaaaaaa\n    name: Top\n    ous: *list\n`,
        },
        {
            name: "a duplicate account id",
            expect: ["222222222222", "already listed"],
            text: `${HEAD}\nous:\n  - id: ou-ab12-aaaaaaaa\n    name: A\n    accounts: [{ id: "222222222222", name: a }]\n  - id: ou-ab12-bbbbbbbb\n    name: B\n    accounts: [{ id: "222222222222", name: b }]\n`,
        },
        {
            name: "a duplicate OU id",
            expect: ["ou-ab12-aaaaaaaa", "already defined"],
            text: `${HEAD}\nous:\n  - { id: ou-ab12-aaaaaaaa, name: A }\n  - { id: ou-ab12-aaaaaaaa, name: B }\n`,
        },
        {
            name: "a short account id",
            expect: ["accounts[0].id", "12345"],
            text: HEAD.replace('id: "111111111111", name: management', 'id: "12345", name: x'),
        },
        { name: "a bad OU id", expect: ["ous[0].id", "ou-bad"], text: `${HEAD}\nous:\n  - { id: ou-bad, name: A }\n` },
        { name: "a bad root id", expect: ["root"], text: HEAD.replace("root: r-ab12", "root: root") },
        { name: "a bad identity store id", expect: ["identityStoreId"], text: HEAD.replace("d-1234567890", "store") },
        { name: "a bad instance ARN", expect: ["instanceArn"], text: HEAD.replace("ssoins-1234567890abcdef", "ssoins-XYZ") },
        {
            name: "a missing management account id",
            expect: ["managementAccountId", "required"],
            text: HEAD.replace(/^managementAccountId.*\n/, ""),
        },
        { name: "a missing OU name", expect: ["ous[0].name"], text: `${HEAD}\nous:\n  - { id: ou-ab12-aaaaaaaa }\n` },
        { name: "ous as a string", expect: ["ous"], text: `${HEAD}\nous: Production\n` },
        {
            name: "accounts as a mapping",
            expect: ["accounts"],
            text: `${HEAD}\nous:\n  - { id: ou-ab12-aaaaaaaa, name: A, accounts: { id: "222222222222" } }\n`,
        },
        {
            name: "tags as a list",
            expect: ["tags"],
            text: `${HEAD}\nous:\n  - { id: ou-ab12-aaaaaaaa, name: A, accounts: [{ id: "222222222222", name: a, tags: [env] }] }\n`,
        },
        {
            name: "the management account not in the tree",
            expect: ["managementAccountId", "not an account"],
            text: HEAD.replace('id: "111111111111", name: management', 'id: "999999999999", name: other'),
        },
        { name: "a __proto__ key", expect: ["__proto__"], text: `${HEAD}\n__proto__: { polluted: true }\n` },
        { name: "6 levels of OUs", expect: ["nest deeper than 5"], text: nested(6) },
        { name: "9 levels of OUs", expect: ["nest deeper than 5"], text: nested(9) },
        { name: "not a mapping", expect: ["bad.yaml"], text: "- just\n- a list\n" },
        { name: "invalid YAML", expect: ["bad.yaml:"], text: `${HEAD}\nous: [unclosed\n` },
    ];
    for (const c of cases) {
        it(c.name, () => {
            const before = prototypeSnapshot();
            const e = fixtureError(c.text);
            for (const s of c.expect) assert.ok(e.message.includes(s), `missing ${JSON.stringify(s)}:\n${e.message}`);
            assert.equal(prototypeSnapshot(), before);
        });
    }

    it("accepts exactly 5 levels (the AWS maximum)", () => {
        const t = parseOrgFixture(nested(5), "ok.yaml");
        let u: OrgUnit | undefined = t.ous[0];
        let depth = 0;
        for (; u !== undefined; u = u.ous[0]) depth++;
        assert.equal(depth, 5);
    });

    it("200 seeded mutations of the example org: a ConfigError naming a path, or a valid tree", () => {
        const before = prototypeSnapshot();
        let invalid = 0;
        for (let seed = 0; seed < 200; seed++) {
            const rng = new Rng(seed * 31337 + 5);
            const doc = parse(EXAMPLE_TEXT) as Json;
            const mutations: string[] = [];
            for (let i = 1 + rng.int(3); i > 0; i--) mutations.push(mutate(doc as Record<string, Json>, rng, { hugeList: 2_000 }));
            // JSON is YAML too, and prints deep values the YAML printer cannot (the cases above cover YAML syntax).
            const text =
                seed % 5 === 0 && !mutations.some((m) => m.startsWith("deep")) ? stringify(doc, { lineWidth: 0 }) : JSON.stringify(doc);
            try {
                parseOrgFixture(text, `case-${seed}.yaml`);
            } catch (e) {
                assert.ok(
                    e instanceof ConfigError,
                    `case ${seed} (${mutations.join("; ")}) threw ${e instanceof Error ? e.stack : String(e)}`,
                );
                for (const i of e.issues) assert.match(i.message, /^`[^`]+`/, `case ${seed}: ${i.message}`);
                invalid++;
            }
            assert.equal(prototypeSnapshot(), before, `case ${seed} (${mutations.join("; ")}) changed a prototype`);
        }
        assert.ok(invalid > 100, `only ${invalid} of 200 mutations were invalid`);
    });
});

describe("fuzz: inconsistent Organizations answers through the invokes", function () {
    this.timeout(60_000);
    const HEAD_ORG = {
        managementAccountId: "111111111111",
        identityStoreId: "d-1234567890",
        instanceArn: "arn:aws:sso:::instance/ssoins-1234567890abcdef",
        root: "r-ab12",
    };
    const ou = (id: string, ous: OrgUnit[] = [], n = 0): OrgUnit => ({
        id,
        name: id,
        accounts: n ? [{ id: `2222222222${String(n).padStart(2, "0")}`, name: `a${n}`, tags: {} }] : [],
        ous,
    });
    const org = (ous: OrgUnit[]): OrgTree => ({ ...HEAD_ORG, accounts: [{ id: "111111111111", name: "management", tags: {} }], ous });
    const config = () => {
        const c = stackConfig("dev");
        // Only the root and an explicit account as targets, so the program's own checks pass on any tree.
        c["idfed:assignments"] = [{ group: "billing", permissionSet: "billing", accounts: ["111111111111"] }];
        delete c["idfed:guardrails"]; // its account references belong to the example org
        return c;
    };
    const chain = (levels: number): OrgUnit => {
        let u = ou(`ou-ab12-level00${levels}`, [], 1);
        for (let l = levels - 1; l >= 1; l--) u = ou(`ou-ab12-level00${l}`, [u]);
        return u;
    };

    it("an OU listed under two parents is a RunError naming the OU", async () => {
        const shared = ou("ou-ab12-shared01", [], 3);
        const bad = org([ou("ou-ab12-parent01", [shared], 1), ou("ou-ab12-parent02", [shared], 2)]);
        await assert.rejects(runWith("dev", config(), { org: bad }), (e: Error) => {
            assert.match(e.message, /OU ou-ab12-shared01 appears twice in the organization tree/);
            assert.ok(!/\n\s+at /.test(e.message));
            return true;
        });
    });

    it("nesting past 5 levels is a RunError; exactly 5 levels plan", async () => {
        await assert.rejects(runWith("dev", config(), { org: org([chain(6)]) }), /exceeds AWS's limit of 5 levels/);
        const run = await runWith("dev", config(), { org: org([chain(5)]) });
        assert.ok(run.resources.some((r) => r.type === "aws:ssoadmin/accountAssignment:AccountAssignment"));
    });
});
