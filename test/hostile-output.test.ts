/**
 * Output that others read: names from config and the organization are data, never markup, wherever they
 * land (Markdown PR comments, terminals, CSV), and a mass loss of access is flagged HIGH RISK.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { runAccessDiff } from "../scripts/access-diff";
import {
    buildReview,
    escapeCsv,
    escapeHtml,
    escapeMarkdown,
    escapeMarkdownMessage,
    escapeTerminal,
    markdownCode,
    PlanResult,
    renderPlan,
    renderReview,
    renderReviewCsv,
    runPlan,
    defaultOrgFile,
    loadOrg,
} from "../offline";
import { stringify } from "yaml";

const PLANS = path.join(__dirname, "fixtures", "plans");
/** Names an attacker (or a careless admin) could give an account, OU or group. */
const HOSTILE = [
    "prod</details><script>alert(1)</script>",
    "<!-- hide the rest",
    "ping @acme/security-team and @octocat",
    "line one\nline two | broken | table",
    "\u001b[2K\u001b[1Arewritten",
    "evil\u202etxt.exe",
    '=HYPERLINK("http://x","y")',
    "`code` **bold** [link](http://x)",
    "nul\u0000byte",
];

/** Markdown that GitHub would not turn into HTML, mentions, new rows or new lines. */
function assertInertMarkdown(md: string, where: string): void {
    assert.doesNotMatch(md, /<\/details>|<script|<!--(?! idfed-access-diff)/i, `${where}: raw HTML\n${md}`);
    assert.doesNotMatch(md, /(^|[^\w\u200b])@(acme|octocat)/, `${where}: live @mention\n${md}`);
    assert.doesNotMatch(md, /[\u0000\u001b\u202e]/, `${where}: control character\n${md}`);
    assert.doesNotMatch(md, /^line two/m, `${where}: a name broke a line\n${md}`);
}

describe("escape: one escaper per output format", () => {
    it("markdown: no HTML, no mentions, no line breaks, punctuation inert, pipes escaped", () => {
        for (const h of HOSTILE) {
            const e = escapeMarkdown(h);
            assertInertMarkdown(e, h);
            assert.doesNotMatch(e, /(^|[^\\])\|/, `unescaped pipe in ${e}`);
            assert.doesNotMatch(e, /(^|[^\\])[`*[\]]/, `live markdown in ${e}`);
        }
        assert.equal(escapeMarkdown("prod-payments"), "prod-payments");
    });

    it("markdown messages keep idfed's code spans, but no HTML, mentions or breaks", () => {
        const m = escapeMarkdownMessage("group `ops` is admin in <b>prod</b> @team\nnext");
        assert.equal(m, "group `ops` is admin in &#60;b&#62;prod&#60;/b&#62; @\u200bteam\\u000anext");
        assert.equal(markdownCode("a`b\u001b"), "`a'b\\u001b`");
    });

    it("terminal: every control character (ANSI ESC, CR, LF, NUL, bidi) made visible", () => {
        assert.equal(escapeTerminal("\u001b[2Kx\r\n\u0000\u202e"), "\\u001b[2Kx\\u000d\\u000a\\u0000\\u202e");
    });

    it("HTML: tags and quotes as entities", () => {
        assert.equal(escapeHtml(`<a href="x">'&'</a>`), "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
    });

    it("CSV: formulas neutralized (= + - @ tab CR), quotes doubled, line breaks quoted", () => {
        assert.equal(escapeCsv("=1+2"), "'=1+2");
        assert.equal(escapeCsv("+1"), "'+1");
        assert.equal(escapeCsv("-1"), "'-1");
        assert.equal(escapeCsv("@SUM(A1)"), "'@SUM(A1)");
        assert.equal(escapeCsv("\t=1"), "'\t=1");
        assert.equal(escapeCsv('a,"b"\nc'), '"a,""b""\nc"');
        assert.equal(escapeCsv('=HYPERLINK("http://x","y")'), '"\'=HYPERLINK(""http://x"",""y"")"');
        assert.equal(escapeCsv("plain"), "plain");
    });
});

/** Printable hostile names (validation refuses the ones with control characters; see hostile-input tests). */
const PRINTABLE = HOSTILE.filter((h) => !/[\u0000-\u001f\u202e]/.test(h));

/** The dev plan (no pack) on the example org with every account and OU renamed to a hostile name. */
async function hostilePlan(dir: string): Promise<PlanResult> {
    const org = loadOrg(defaultOrgFile("dev"));
    let i = 0;
    const rename = <T extends { name: string }>(x: T): T => ({ ...x, name: `${PRINTABLE[i++ % PRINTABLE.length]}`.slice(0, 50) });
    const walk = (u: (typeof org.ous)[number]): (typeof org.ous)[number] => ({
        ...rename(u),
        accounts: u.accounts.map(rename),
        ous: u.ous.map(walk),
    });
    const hostile = { ...org, accounts: org.accounts.map(rename), ous: org.ous.map(walk) };
    const orgFile = path.join(dir, "hostile.yaml");
    fs.writeFileSync(orgFile, stringify(hostile));
    return (await runPlan({ stack: "dev", orgFile, now: new Date("2026-11-23T00:00:00Z"), policies: false })).plan;
}

describe("plan, review and access diff: hostile names reach no output as markup", function () {
    this.timeout(60_000);

    it("plan markdown, review markdown and CSV", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "idfed-hostile-"));
        try {
            const plan = await hostilePlan(dir);
            assert.ok(
                plan.access.some((a) => a.accountName.includes("</details>")),
                "the hostile names reached the plan",
            );
            const md = renderPlan(plan, true, { configFile: "Pulumi.dev.yaml", orgFile: "org.yaml" });
            // The plan's own (balanced) wrapper of the resource tree is markup; nothing else is.
            assertInertMarkdown(md.replace(/^<details><summary>resource tree<\/summary>$|^<\/details>$/gm, ""), "plan markdown");
            assert.match(md, /&#60;\/details&#62;/);
            const review = buildReview(plan, new Date("2026-11-23T00:00:00Z"), 30);
            assertInertMarkdown(renderReview(review, true), "review markdown");
            const csv = renderReviewCsv(review);
            assert.doesNotMatch(csv, /(^|,)[=+\-@]/m, `formula in CSV:\n${csv}`);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("access diff markdown, and a HIGH RISK flag on a mass loss", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "idfed-hostile-"));
        try {
            const base = JSON.parse(fs.readFileSync(path.join(PLANS, "prod-base.json"), "utf8")) as { access: Record<string, string>[] };
            // 5 base grants: widen to 13 (each with a hostile account name), then lose 12 of them.
            const wide = {
                ...base,
                access: Array.from({ length: 13 }, (_, i) => ({
                    ...base.access[i % base.access.length],
                    accountId: String(300000000000 + i),
                    accountName: HOSTILE[i % HOSTILE.length],
                    ouPath: HOSTILE[(i + 3) % HOSTILE.length],
                })),
            };
            const lost = { ...wide, access: wide.access.slice(0, 1) };
            fs.writeFileSync(path.join(dir, "base.json"), JSON.stringify(wide));
            fs.writeFileSync(path.join(dir, "head.json"), JSON.stringify(lost));
            const md = await runAccessDiff([
                "--stack",
                "prod",
                "--base",
                path.join(dir, "base.json"),
                "--head",
                path.join(dir, "head.json"),
            ]);
            assert.equal(md.code, 0, md.stderr);
            assertInertMarkdown(md.stdout, "access diff");
            assert.match(md.stdout, /\*\*HIGH RISK: mass loss of access\*\* — it removes 12 of the 13 deployed assignments/);
            const json = await runAccessDiff([
                "--stack",
                "prod",
                "--base",
                path.join(dir, "base.json"),
                "--head",
                path.join(dir, "head.json"),
                "--format",
                "json",
            ]);
            const d = JSON.parse(json.stdout) as { summary: { highRisk: number }; massLoss?: string };
            assert.ok(d.summary.highRisk >= 1 && d.massLoss, json.stdout.slice(0, 400));
            // A few losses are not a mass loss.
            fs.writeFileSync(path.join(dir, "head2.json"), JSON.stringify({ ...wide, access: wide.access.slice(0, 10) }));
            const few = JSON.parse(
                (
                    await runAccessDiff([
                        "--stack",
                        "prod",
                        "--base",
                        path.join(dir, "base.json"),
                        "--head",
                        path.join(dir, "head2.json"),
                        "--format",
                        "json",
                    ])
                ).stdout,
            ) as { massLoss?: string };
            assert.equal(few.massLoss, undefined);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});
