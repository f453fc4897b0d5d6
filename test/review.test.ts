import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { stringify } from "yaml";
import { runPlan, AccessReview, adminReasons, buildReview, renderReviewCsv } from "../offline";
import { parseReviewArgs, reviewCli } from "../scripts/review";
import { stackConfig } from "./helpers";

const NOW = new Date("2026-11-23T00:00:00Z");

function capture() {
    const io = {
        out: "",
        err: "",
        stdout: (t: string) => {
            io.out += t;
        },
        stderr: (t: string) => {
            io.err += t;
        },
    };
    return io;
}

describe("access review (pure, over the prod plan)", function () {
    let plan: Parameters<typeof buildReview>[0];
    let review: AccessReview;
    before(async () => {
        plan = (await runPlan({ stack: "prod", now: NOW, policies: false })).plan;
        review = buildReview(plan, NOW, 90);
    });

    it("lists every group → permission set → accounts", () => {
        assert.deepEqual(review.groups.map((g) => g.group).sort(), [
            "billing",
            "developers",
            "oncall",
            "platform-admins",
            "readonly-auditors",
            "security",
        ]);
        const security = review.groups.find((g) => g.group === "security")!;
        assert.deepEqual(
            security.grants.map((x) => x.permissionSet),
            ["admin", "security-audit"],
        );
        assert.deepEqual(
            security.grants[0].accounts.map((a) => a.accountId),
            ["222222222222", "333333333333"],
        );
        assert.equal(security.grants[1].accounts.length, 15);
    });

    it("reports grants expiring within the window (and not outside it) and expired grants", () => {
        assert.deepEqual(
            review.expiringSoon.map((e) => `${e.group}/${e.accountId}/${e.daysLeft}`),
            ["oncall/720000000001/69", "oncall/720000000002/69", "oncall/720000000003/69"],
        );
        assert.deepEqual(buildReview(plan, NOW, 30).expiringSoon, []);
        assert.deepEqual(
            review.expired.map((e) => `${e.group}/${e.accountId}`),
            ["oncall/555555555555"],
        );
    });

    it("flags admin-level groups with the pack's analysis", () => {
        assert.deepEqual(
            review.adminGroups.map((g) => [g.group, g.permissionSets, g.accounts]),
            [
                ["platform-admins", ["admin"], 12],
                ["security", ["admin"], 2],
            ],
        );
        assert.deepEqual(adminReasons({ managedPolicyArns: ["arn:aws:iam::aws:policy/IAMFullAccess"] }), ["managed policy IAMFullAccess"]);
        assert.equal(
            adminReasons({
                managedPolicyArns: [],
                inlinePolicy: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] },
            }).length,
            1,
        );
        assert.deepEqual(adminReasons({ managedPolicyArns: ["arn:aws:iam::aws:policy/ReadOnlyAccess"] }), []);
    });

    it("lists permission sets no assignment uses", () => {
        const extra = {
            ...plan,
            permissionSets: [
                ...plan.permissionSets,
                { key: "spare", name: "Spare", sessionDuration: "PT1H", managedPolicyArns: [], customerManagedPolicies: [] },
            ],
        };
        assert.deepEqual(buildReview(extra, NOW, 30).unusedPermissionSets, [{ key: "spare", name: "Spare" }]);
    });

    it("renders CSV with one row per group × permission set × account, expired rows marked, no formula injection", () => {
        const csv = renderReviewCsv(review).trimEnd().split("\n");
        const rows =
            review.groups.reduce((n, g) => n + g.grants.reduce((m, x) => m + x.accounts.length, 0), 0) +
            review.expired.length +
            review.unmanaged.assignments.length;
        assert.equal(csv.length, rows + 1);
        assert.ok(csv.some((l) => l.startsWith("oncall,") && l.includes(",expired,")));
        assert.ok(csv.some((l) => l.startsWith("oncall,") && l.includes(",expiring,")));
        const evil = renderReviewCsv({
            ...review,
            groups: [{ group: "=cmd()", displayName: "x", adminLevel: false, grants: [] }],
            expired: [],
        });
        assert.ok(!evil.includes("\n=cmd"));
    });
});

describe("access review CLI", function () {
    it("prints markdown for prod and exits 0", async () => {
        const io = capture();
        assert.equal(await reviewCli(["--stack", "prod", "--format", "markdown"], io, { now: NOW }), 0, io.err);
        assert.match(io.out, /^# Access review: prod \(prod\)/);
        for (const h of [
            "Groups → permission sets → accounts",
            "Expiring within 30 days",
            "Expired",
            "Permission sets no assignment uses",
            "Groups with admin-level access",
        ]) {
            assert.ok(io.out.includes(`## ${h}`), h);
        }
    });

    it("rejects bad arguments with exit 2", async () => {
        for (const argv of [
            [],
            ["--stack"],
            ["--stack", "prod", "--format", "pdf"],
            ["--stack", "prod", "--within-days", "-3"],
            ["--stack", "prod", "--account", "444444444444"],
            ["--stak", "prod"],
        ]) {
            const io = capture();
            assert.equal(await reviewCli(argv, io), 2, argv.join(" "));
            assert.match(io.err, /usage: npm run review/);
        }
        assert.deepEqual(parseReviewArgs(["--stack=prod", "--within-days=7", "--format", "csv"]), {
            stack: "prod",
            config: undefined,
            org: undefined,
            format: "csv",
            withinDays: 7,
        });
    });

    it("exits 2 on bad config, naming the key", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "idfed-review-"));
        try {
            const config = stackConfig("prod");
            (config["idfed:guardrails"] as Record<string, Record<string, unknown>>).breakGlass.accountId = "12";
            const file = path.join(dir, "bad.yaml");
            fs.writeFileSync(file, stringify({ config }));
            const io = capture();
            assert.equal(await reviewCli(["--stack", "prod", "--config", file], io, { now: NOW }), 2);
            assert.ok(io.err.includes("idfed:guardrails.breakGlass.accountId"), io.err);
            assert.equal(io.out, "");
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});
