import { strict as assert } from "assert";
import { buildHtmlData, buildReview, FLAG_EXPIRING, FLAG_UNMANAGED, renderHtmlPage, scriptJson } from "../offline";
import type { PlanOutcome } from "../offline";
import { planSmall } from "./reality-helpers";

const NOW = new Date("2026-11-23T00:00:00Z");

/** The JSON data element of a page. */
export function pageData(html: string): ReturnType<typeof buildHtmlData> {
    const m = /<script type="application\/json" id="idfed-data">([^<]*)<\/script>/.exec(html);
    assert.ok(m, "data element present");
    return JSON.parse(m[1]);
}

describe("HTML report (structure, no browser)", function () {
    let o: PlanOutcome;
    before(async () => {
        o = await planSmall("dev");
    });

    it("is one self-contained page: no external references, inline style and script, a CSP that forbids the network", () => {
        const html = renderHtmlPage(buildHtmlData({ plan: o.plan, org: o.org, review: buildReview(o.plan, NOW, 30, o.org), now: NOW }));
        assert.ok(!/<(link|img|iframe|object|embed)\b/i.test(html));
        assert.ok(!/\bsrc\s*=/i.test(html) && !/\bhref\s*=/i.test(html));
        assert.ok(!/https?:\/\//i.test(html.replace(/<script type="application\/json"[\s\S]*?<\/script>/, "")));
        assert.match(html, /<meta http-equiv="Content-Security-Policy" content="default-src 'none';/);
        assert.equal((html.match(/<script>/g) ?? []).length, 1);
    });

    it("carries the matrix: accounts grouped by OU, principals, one cell per grant with its level, unmanaged flagged", () => {
        const d = buildHtmlData({ plan: o.plan, org: o.org, review: buildReview(o.plan, NOW, 30, o.org), now: NOW });
        assert.deepEqual(d.ous, ["Root", "Workloads", "Workloads/Prod"]);
        assert.deepEqual(
            d.accounts.map((a) => a[0]),
            ["111111111111", "222222222222", "333333333333"],
        );
        const cell = (acct: string, who: string) =>
            d.cells
                .filter((c) => d.accounts[c[0]][0] === acct && d.principals[c[1]][0] === who)
                .map((c) => [d.permissionSets[c[2]], d.levels[c[3]], c[4]]);
        assert.deepEqual(cell("222222222222", "Admins"), [["Admin", "admin", 0]]);
        assert.deepEqual(cell("222222222222", "Readers"), [["ReadOnly", "read", 0]]);
        assert.deepEqual(cell("222222222222", "NotIam"), [["NotIam", "admin", 0]]); // NotAction iam:* still reaches sso:* (takeover)
        assert.deepEqual(cell("333333333333", "bob@example.com"), [["ConsoleAdmin", "admin", FLAG_UNMANAGED]]);
        assert.equal(d.principals.find((p) => p[0] === "bob@example.com")?.[2], 1);
        assert.equal(d.cells.length, o.plan.access.length + o.plan.unmanaged.assignments.length);
        assert.ok(d.dangerous.some(([, action, rows]) => action === "iam:CreateUser" && rows.length === 2));
        assert.ok(d.verdicts.some((v) => v.policy === "unmanaged-admin-access"));
    });

    it("flags grants expiring within the window, and only those", () => {
        const soon = "2026-12-10T00:00:00Z",
            later = "2027-06-01T00:00:00Z";
        const access = o.plan.access.map((r, i) => (i === 0 ? { ...r, expiresAt: soon } : i === 1 ? { ...r, expiresAt: later } : r));
        const d = buildHtmlData({ plan: { ...o.plan, access }, org: o.org, now: NOW, withinDays: 30 });
        assert.deepEqual(
            d.cells.slice(0, 3).map((c) => c[4] & FLAG_EXPIRING),
            [FLAG_EXPIRING, 0, 0],
        );
    });

    it("is a format of both commands", async () => {
        const { parseArgs } = await import("../scripts/plan");
        const { parseReviewArgs } = await import("../scripts/review");
        assert.equal((parseArgs(["--stack", "dev", "--format", "html"]) as { format: string }).format, "html");
        assert.equal((parseReviewArgs(["--stack", "dev", "--format", "html"]) as { format: string }).format, "html");
        assert.match(
            String(parseReviewArgs(["--stack", "dev", "--format", "html", "--who-can", "iam:CreateUser"])),
            /is for the full review/,
        );
    });

    it("escapes what it embeds: a hostile name cannot close the script or become markup", () => {
        const evil = "</script><img src=x onerror=alert(1)>&\u2028";
        const plan = { ...o.plan, groups: [{ key: "x", displayName: evil }], stack: "<b>s</b>" };
        const html = renderHtmlPage(buildHtmlData({ plan, org: o.org, now: NOW }));
        assert.ok(!html.includes("<img") && !html.includes("<b>s</b>"));
        assert.equal((html.match(/<\/script>/g) ?? []).length, 2);
        assert.equal(JSON.parse(scriptJson(evil)), evil);
        assert.equal(pageData(html).principals[0][0], evil);
    });
});
