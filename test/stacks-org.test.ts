import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { ConfigError } from "../stacks/model";
import { parseOrgFixture } from "../stacks/org/fixture";
import { accountsUnder, allAccounts, allOus, findOu } from "../stacks/org/org-index";

const EXAMPLE = path.resolve(__dirname, "..", "stacks", "orgs", "prod.yaml");
const example = () => parseOrgFixture(fs.readFileSync(EXAMPLE, "utf8"), "example.yaml");

const HEAD = [
    'managementAccountId: "111111111111"',
    "identityStoreId: d-1234567890",
    "instanceArn: arn:aws:sso:::instance/ssoins-1234567890abcdef",
    "root: r-ab12",
    "accounts:",
    '  - { id: "111111111111", name: management }',
].join("\n");

function fixtureError(text: string): ConfigError {
    try {
        parseOrgFixture(text, "bad.yaml");
    } catch (e) {
        assert.ok(e instanceof ConfigError, `threw ${String(e)}`);
        assert.match(e.message, /^invalid org fixture bad\.yaml/);
        return e;
    }
    return assert.fail("fixture parsed");
}

function expectIssue(e: ConfigError, p: string, ...has: string[]): void {
    const i = e.issues.find((x) => x.path === p);
    assert.ok(i, `no issue at ${p}:\n${e.message}`);
    for (const s of has) assert.ok(i.message.includes(s), `missing ${JSON.stringify(s)} in ${i.message}`);
}

describe("stacks/org example fixture", () => {
    it("parses with 16 accounts, the management account at the root", () => {
        const t = example();
        assert.equal(t.managementAccountId, "111111111111");
        assert.equal(t.root, "r-ab12");
        assert.equal(t.instanceArn, "arn:aws:sso:::instance/ssoins-72230a1b2c3d4e5f");
        assert.equal(t.identityStoreId, "d-906700a1b2");
        assert.deepEqual(
            t.accounts.map((a) => a.id),
            ["111111111111"],
        );
        assert.equal(allAccounts(t).length, 16);
    });

    it("lists accounts with OU paths", () => {
        const byId = new Map(allAccounts(example()).map((a) => [a.account.id, a]));
        assert.equal(byId.get("111111111111")?.ouPath, "Root", "one spelling of the root's path everywhere (plan, diff, review, messages)");
        assert.equal(byId.get("720000000001")?.ouPath, "Workloads/Prod");
        assert.equal(byId.get("720000000001")?.parentId, "ou-ab12-wkprd001");
        assert.equal(byId.get("081000000002")?.ouPath, "Sandbox");
        assert.equal(byId.get("990000000001")?.account.state, "SUSPENDED");
        assert.deepEqual(
            allOus(example()).map((o) => o.path),
            ["Security", "Infrastructure", "Workloads", "Workloads/Dev", "Workloads/Prod", "Sandbox", "Suspended"],
        );
    });

    it("finds OUs and accounts under them, recursively or not", () => {
        const t = example();
        assert.equal(findOu(t, "ou-ab12-wkdev001")?.name, "Dev");
        assert.equal(findOu(t, "ou-ab12-nope0000"), undefined);
        assert.deepEqual(
            accountsUnder(t, "ou-ab12-workload", true)?.map((a) => a.id),
            ["700000000001", "710000000001", "710000000002", "710000000003", "720000000001", "720000000002", "720000000003"],
        );
        assert.deepEqual(
            accountsUnder(t, "ou-ab12-workload", false)?.map((a) => a.id),
            ["700000000001"],
        );
        assert.deepEqual(
            accountsUnder(t, "r-ab12", false)?.map((a) => a.id),
            ["111111111111"],
        );
        assert.equal(accountsUnder(t, "r-ab12", true)?.length, 16);
        assert.equal(accountsUnder(t, "ou-ab12-nope0000", true), undefined);
    });
});

describe("stacks/org fixture errors", () => {
    it("rejects a duplicate account id", () => {
        const e = fixtureError(
            `${HEAD}\nous:\n  - id: ou-ab12-aaaaaaaa\n    name: A\n    accounts:\n      - { id: "111111111111", name: again }\n`,
        );
        expectIssue(e, "ous[0].accounts[0].id", "`111111111111`", "already listed at `accounts[0]`");
    });

    it("rejects a duplicate OU id", () => {
        const e = fixtureError(`${HEAD}\nous:\n  - { id: ou-ab12-aaaaaaaa, name: A }\n  - { id: ou-ab12-aaaaaaaa, name: B }\n`);
        expectIssue(e, "ous[1].id", "`ou-ab12-aaaaaaaa`", "already defined at `ous[0]`");
    });

    it("rejects an OU reused through a YAML alias (and a cycle through one)", () => {
        const reuse = fixtureError(`${HEAD}\nous:\n  - &a { id: ou-ab12-aaaaaaaa, name: A }\n  - *a\n`);
        assert.ok(
            reuse.issues.some((i) => i.path === "bad.yaml:9" && i.message.includes("alias `*a`")),
            reuse.message,
        );
        const cycle = fixtureError(`${HEAD}\nous: &top\n  - id: ou-ab12-aaaaaaaa\n    name: A\n    ous: *top\n`);
        assert.ok(
            cycle.issues.some((i) => i.message.includes("`ous` is the YAML alias `*top`")),
            cycle.message,
        );
    });

    it("reports every bad id at once", () => {
        const e = fixtureError(
            [
                "managementAccountId: 11111111111",
                "identityStoreId: d-xyz",
                "instanceArn: arn:aws:sso:::instance/ssoins-XYZ",
                "root: root",
                "accounts:",
                '  - { id: "12345", name: short }',
                "ous:",
                "  - { id: ou-bad, name: Bad }",
            ].join("\n"),
        );
        expectIssue(e, "managementAccountId", "`11111111111`", "quote");
        expectIssue(e, "identityStoreId", "`d-xyz`", "d-xxxxxxxxxx");
        expectIssue(e, "instanceArn", "`arn:aws:sso:::instance/ssoins-XYZ`", "ssoins-<16 hex>");
        expectIssue(e, "root", "`root`", "r-xxxx");
        expectIssue(e, "accounts[0].id", "`12345`", "12 digits");
        expectIssue(e, "ous[0].id", "`ou-bad`", "ou-xxxx-xxxxxxxx");
    });

    it("accepts a 12-digit unquoted account id, rejects shorter numbers", () => {
        const t = parseOrgFixture(HEAD.replace('id: "111111111111"', "id: 111111111111"), "ok.yaml");
        assert.equal(t.accounts[0].id, "111111111111");
        const e = fixtureError(
            `${HEAD}\nous:\n  - id: ou-ab12-aaaaaaaa\n    name: A\n    accounts:\n      - { id: 012345678901, name: zero }\n`,
        );
        expectIssue(e, "ous[0].accounts[0].id", "`12345678901`", "quote account ids");
    });

    it("requires the management account in the tree", () => {
        const e = fixtureError(HEAD.replace('- { id: "111111111111", name: management }', '- { id: "222222222222", name: other }'));
        expectIssue(e, "managementAccountId", "`111111111111`", "not an account in the tree");
    });

    it("rejects unknown keys, bad status and invalid YAML", () => {
        const e = fixtureError(
            `${HEAD}\nous:\n  - { id: ou-ab12-aaaaaaaa, nmae: A, accounts: [{ id: "222222222222", name: x, status: GONE }] }\n`,
        );
        expectIssue(e, "ous[0].nmae", "did you mean `name`?");
        expectIssue(e, "ous[0].accounts[0].status", "`GONE`", "ACTIVE, SUSPENDED");
        const y = fixtureError(`${HEAD}\nous: [ { id: ou-ab12-aaaaaaaa\n`);
        assert.match(y.issues[0].path, /^bad\.yaml:\d+$/);
        assert.match(y.issues[0].message, /invalid YAML/);
    });
});
