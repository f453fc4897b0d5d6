import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { ConfigError } from "../stacks/model/index";
import { parseOrgFixture } from "../stacks/org/fixture";
import { UNMANAGED_ORG } from "./reality-helpers";

const base = fs.readFileSync(path.join(__dirname, "fixtures", "orgs", "unmanaged-none.yaml"), "utf8");
const issues = (text: string): string[] => {
    try {
        parseOrgFixture(text, "bad.yaml");
    } catch (e) {
        assert.ok(e instanceof ConfigError);
        assert.match(e.message, /invalid org fixture bad\.yaml/);
        return e.issues.map((i) => i.message);
    }
    return [];
};

describe("org fixture snapshot sections (scps, identityCenter)", () => {
    it("parses SCPs with their targets and Identity Center permission sets and assignments", () => {
        const t = parseOrgFixture(fs.readFileSync(UNMANAGED_ORG, "utf8"), "unmanaged.yaml");
        assert.equal(t.snapshot?.exportedAt, "2026-11-20T00:00:00Z");
        assert.deepEqual(
            t.snapshot?.scps?.map((s) => [s.id, s.targets.length]),
            [
                ["p-FullAWSAccess", 5],
                ["p-noiamusers1", 1],
            ],
        );
        assert.deepEqual(
            t.snapshot?.identityCenter?.permissionSets.map((p) => p.name),
            ["Admin", "ReadOnly", "ConsoleAdmin"],
        );
        assert.equal(t.snapshot?.identityCenter?.assignments[1].principalType, "USER");
        assert.equal(parseOrgFixture(base, "plain.yaml").snapshot, undefined);
    });

    it("names the key path, the value and the fix for every bad entry, all at once", () => {
        const bad =
            base +
            `
scps:
  - { id: scp-1, name: X, document: { Version: "2012-10-17" }, targets: [ou-ab12-nothere1, 222222222222] }
identityCenter:
  permissionSets:
    - { arn: "arn:aws:sso:::permissionSet/ssoins-0000000000000000/ps-0000000000000001", name: A, managedPolicies: [ReadOnlyAccess] }
  assignments:
    - { accountId: "999999999999", permissionSetArn: "arn:aws:sso:::permissionSet/ssoins-72230a1b2c3d4e5f/ps-00000000000000ff", principalType: ROLE, principalId: x }
`;
        const got = issues(bad);
        const expect = [
            /`scps\[0\]\.id`: `scp-1` is not an SCP id/,
            /`scps\[0\]\.document`: has no `Statement`/,
            /`scps\[0\]\.targets\[0\]`: OU `ou-ab12-nothere1` is not in the tree/,
            /`scps\[0\]\.targets\[1\]`: `222222222222` is a number; quote account ids/,
            /`identityCenter\.permissionSets\[0\]\.arn`: .* belongs to another Identity Center instance/,
            /`identityCenter\.permissionSets\[0\]\.managedPolicies\[0\]`: `ReadOnlyAccess` is not an AWS-managed policy ARN/,
            /`identityCenter\.assignments\[0\]\.accountId`: account `999999999999` is not in the tree/,
            /`identityCenter\.assignments\[0\]\.permissionSetArn`: .* is not in `identityCenter\.permissionSets`/,
            /`identityCenter\.assignments\[0\]\.principalType`: `ROLE` is not allowed \(expected GROUP or USER\)/,
            /`identityCenter\.assignments\[0\]\.principalId`: `x` is not an identity store user or group id/,
        ];
        for (const re of expect)
            assert.ok(
                got.some((m) => re.test(m)),
                `${re} not in:\n${got.join("\n")}`,
            );
        assert.equal(got.length, expect.length, got.join("\n"));
    });

    it("bounds the lists it reads and the size of documents", () => {
        const many =
            base +
            "scps:\n" +
            Array.from(
                { length: 1001 },
                (_, i) => `  - { id: p-${String(i).padStart(8, "0")}, name: N, document: { Statement: [] }, targets: [] }`,
            ).join("\n") +
            "\n";
        assert.ok(issues(many).some((m) => /`scps`: has 1001 SCPs; at most 1000 are read/.test(m)));
        const big =
            base +
            `identityCenter:\n  permissionSets:\n    - { arn: "arn:aws:sso:::permissionSet/ssoins-72230a1b2c3d4e5f/ps-0000000000000001", name: A, inlinePolicy: { Statement: [{ Sid: "${"x".repeat(70000)}" }] } }\n`;
        assert.ok(
            issues(big).some((m) => /`identityCenter\.permissionSets\[0\]\.inlinePolicy`: is \d+ JSON characters; at most 65536/.test(m)),
        );
    });
});
