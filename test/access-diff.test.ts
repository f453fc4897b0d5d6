import assert from "node:assert/strict";
import * as path from "node:path";
import { runAccessDiff } from "../scripts/access-diff";
import type { AccessDiff } from "../offline";
import { computeAccessDiff, allowedActions, catalogFromEntries, parsePlanJson, PlanShapeError, accessDiffMarker } from "../offline";

const PLANS = path.join(__dirname, "fixtures", "plans");
const plan = (name: string): string => path.join(PLANS, `${name}.json`);

async function diffJson(base: string, head: string): Promise<AccessDiff> {
    const r = await runAccessDiff(["--stack", "prod", "--base", plan(base), "--head", plan(head), "--format", "json"]);
    assert.equal(r.code, 0, r.stderr);
    return JSON.parse(r.stdout) as AccessDiff;
}

async function diffMarkdown(base: string, head: string): Promise<string> {
    const r = await runAccessDiff(["--stack", "prod", "--base", plan(base), "--head", plan(head)]);
    assert.equal(r.code, 0, r.stderr);
    return r.stdout;
}

describe("access-diff: fixture pairs", () => {
    it("lists a group gaining admin in a prod account as a HIGH RISK gain", async () => {
        const d = await diffJson("prod-base", "prod-admin-gain");
        assert.equal(d.accessChanged, true);
        assert.equal(d.gains.length, 1);
        assert.equal(d.losses.length, 0);
        const g = d.gains[0];
        assert.deepEqual([g.group, g.permissionSet, g.accountId], ["developers", "admin", "222222222222"]);
        assert.equal(g.highRisk, true);
        assert.deepEqual(g.riskReasons, ["admin-level: managed policy AdministratorAccess", "production account"]);
        assert.equal(d.summary.highRisk, 1);

        const md = await diffMarkdown("prod-base", "prod-admin-gain");
        assert.ok(md.startsWith(`${accessDiffMarker("prod")}\n`), md);
        assert.match(
            md,
            /\| \*\*HIGH RISK\*\* \| Developers \(`developers`\) \| AdministratorAccess \(`admin`\) \| payments-prod \(`222222222222`\) \| Workloads\/Prod \|/,
        );
    });

    it("reads an account moved between OUs with the same access as no change in access", async () => {
        const d = await diffJson("prod-base", "prod-ou-move");
        assert.equal(d.accessChanged, false);
        assert.deepEqual([d.gains.length, d.losses.length, d.permissionSets.length, d.expiryChanges.length], [0, 0, 0, 0]);
        assert.deepEqual(d.moves, [
            { accountId: "444444444444", accountName: "analytics", fromOuPath: "Workloads/Staging", toOuPath: "Workloads/Shared" },
        ]);
        const md = await diffMarkdown("prod-base", "prod-ou-move");
        assert.match(md, /\*\*No change in access\.\*\*/);
        assert.match(md, /analytics \(`444444444444`\): Workloads\/Staging → Workloads\/Shared/);
    });

    it("lists the actions a permission set loses, by access level, and its session duration change", async () => {
        const d = await diffJson("prod-base", "prod-actions-removed");
        assert.equal(d.permissionSets.length, 1);
        const p = d.permissionSets[0];
        assert.equal(p.key, "deploy");
        assert.equal(p.status, "changed");
        assert.deepEqual(p.actionsRemoved, { Write: ["s3:DeleteObject", "s3:PutObject"], Read: ["dynamodb:Scan"] });
        assert.deepEqual(p.actionsAdded, {});
        assert.deepEqual(p.sessionDuration, { from: "PT4H", to: "PT2H" });
        assert.equal(p.grantsUsing, 1);
        assert.equal(p.highRisk, false);
        assert.equal(d.accessChanged, true);
        const md = await diffMarkdown("prod-base", "prod-actions-removed");
        assert.match(md, /inline actions removed, \*\*Write\*\* \(2\): `s3:DeleteObject`, `s3:PutObject`/);
        assert.match(md, /inline actions removed, \*\*Read\*\* \(1\): `dynamodb:Scan`/);
    });

    it("reports policy verdicts that appeared and that were resolved", async () => {
        const d = await diffJson("prod-base", "prod-verdicts");
        assert.deepEqual(
            d.verdictsAppeared.map((v) => [v.level, v.policy]),
            [["mandatory", "no-unscoped-passrole"]],
        );
        assert.deepEqual(
            d.verdictsResolved.map((v) => [v.level, v.policy]),
            [["advisory", "session-duration-limit"]],
        );
        assert.deepEqual(d.permissionSets.find((p) => p.key === "deploy")?.actionsAdded, { Write: ["iam:PassRole"] });
        const md = await diffMarkdown("prod-base", "prod-verdicts");
        assert.match(md, /New:\n\n- \*\*mandatory\*\* `no-unscoped-passrole`/);
        assert.match(md, /Resolved:\n\n- \*\*advisory\*\* `session-duration-limit`/);
    });

    it("reports the reverse of a gain as a loss, and an identical pair as no change", async () => {
        const d = await diffJson("prod-admin-gain", "prod-base");
        assert.deepEqual(
            d.losses.map((l) => [l.group, l.permissionSet, l.accountId, l.reason]),
            [["developers", "admin", "222222222222", "removed"]],
        );
        const same = await diffJson("prod-base", "prod-base");
        assert.equal(same.accessChanged, false);
        assert.deepEqual(same.summary, {
            gains: 0,
            losses: 0,
            highRisk: 0,
            permissionSetsChanged: 0,
            verdictsAppeared: 0,
            verdictsResolved: 0,
        });
    });
});

describe("access-diff: pure rules", () => {
    const catalog = catalogFromEntries([
        { action: "iam:AttachRolePolicy", accessLevel: "Permissions management" },
        { action: "iam:GetRole", accessLevel: "Read" },
        { action: "s3:GetObject", accessLevel: "Read" },
        { action: "s3:PutObject", accessLevel: "Write" },
    ]);
    const base = parsePlanJson({ stack: "prod", access: [], permissionSets: [] }, "base");

    it("expands NotAction as the complement and subtracts unconditional Deny on *", () => {
        const doc = {
            Statement: [
                { Effect: "Allow", NotAction: "iam:*", Resource: "*" },
                { Effect: "Deny", Action: "s3:Put*", Resource: "*" },
            ],
        };
        assert.deepEqual([...allowedActions(doc, catalog)].sort(), ["s3:GetObject"]);
    });

    it("flags a new grant of an inline permissions-management permission set as high risk (an identity write, not admin-level)", () => {
        const head = parsePlanJson(
            {
                stack: "prod",
                access: [{ group: "ops", accountId: "555555555555", accountName: "sandbox", ouPath: "Sandbox", permissionSet: "esc" }],
                permissionSets: [
                    {
                        key: "esc",
                        name: "Escalate",
                        sessionDuration: "PT1H",
                        managedPolicyArns: [],
                        customerManagedPolicies: [],
                        inlinePolicy: { Statement: [{ Effect: "Allow", Action: "iam:Attach*", Resource: "arn:aws:iam::*:role/x" }] },
                    },
                ],
            },
            "head",
        );
        const d = computeAccessDiff(base, head, catalog, { base: "a", head: "b" });
        assert.equal(d.gains[0].highRisk, true);
        assert.deepEqual(d.gains[0].riskReasons, ["identity write: inline policy grants permissions management (iam:AttachRolePolicy)"]);
    });

    it("does not flag a read-only gain in a non-production account", () => {
        const head = parsePlanJson(
            {
                stack: "prod",
                access: [{ group: "ops", accountId: "555555555555", accountName: "sandbox", ouPath: "Sandbox", permissionSet: "ro" }],
                permissionSets: [{ key: "ro", name: "ReadOnly", managedPolicyArns: ["arn:aws:iam::aws:policy/ReadOnlyAccess"] }],
            },
            "head",
        );
        const d = computeAccessDiff(base, head, catalog, { base: "a", head: "b" });
        assert.equal(d.gains[0].highRisk, false);
        assert.deepEqual(d.gains[0].riskReasons, []);
    });

    it("rejects a plan of the wrong shape, naming every JSON path", () => {
        assert.throws(
            () => parsePlanJson({ stack: 3, access: [{ group: "g" }] }, "x.json"),
            (e: unknown) => {
                assert.ok(e instanceof PlanShapeError);
                assert.deepEqual(e.problems, [
                    "`$.stack`: expected a string, got 3",
                    "`$.access[0].permissionSet`: expected a string, got undefined",
                    "`$.access[0].accountId`: expected a string, got undefined",
                ]);
                return true;
            },
        );
    });
});
