/**
 * The HTML report in a real headless browser: Debian's chromium (installed by `.ci/run`), driven by
 * playwright-core (no browser download). Checks what a person sees: cells, their colours, the filters, and
 * keeps a screenshot in test/.artifacts/ (gitignored). Without /usr/bin/chromium this test FAILS, unless
 * IDFED_SKIP_BROWSER_TEST=1 is set explicitly (local runs only).
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { chromium, BrowserContext, Page } from "playwright-core";
import { buildHtmlData, buildReview, CHROMIUM_ARGS, CHROMIUM_PATH, LEVEL_COLOURS, PROJECT_ROOT, renderHtmlPage } from "../offline";
import { planSmall } from "./reality-helpers";

const CHROMIUM = CHROMIUM_PATH;
const NOW = new Date("2026-11-23T00:00:00Z");

describe("HTML report in headless chromium", function () {
    this.timeout(120000);
    let browser: BrowserContext | undefined;
    let page: Page;
    let profile: string;

    before(async function () {
        if (!fs.existsSync(CHROMIUM)) {
            if (process.env.IDFED_SKIP_BROWSER_TEST === "1") this.skip();
            throw new Error(`${CHROMIUM} is missing: run .ci/run (apt-get install -y chromium), or set IDFED_SKIP_BROWSER_TEST=1 locally`);
        }
        const o = await planSmall("dev");
        const html = renderHtmlPage(buildHtmlData({ plan: o.plan, org: o.org, review: buildReview(o.plan, NOW, 30, o.org), now: NOW }));
        profile = fs.mkdtempSync(path.join(os.tmpdir(), "idfed-chromium-"));
        // A fresh --user-data-dir: playwright passes the persistent context's directory as that flag.
        browser = await chromium.launchPersistentContext(profile, {
            executablePath: CHROMIUM,
            headless: true,
            viewport: { width: 1200, height: 900 },
            args: [...CHROMIUM_ARGS],
        });
        page = await browser.newPage();
        const requests: string[] = [];
        page.on("request", (r) => {
            if (!r.url().startsWith("data:") && r.url() !== "about:blank") requests.push(r.url());
        });
        await page.setContent(html, { waitUntil: "load" });
        await page.waitForFunction("window.idfedReady === true");
        assert.deepEqual(requests, [], "the page makes no requests");
    });

    after(async () => {
        await browser?.close();
        if (profile) fs.rmSync(profile, { recursive: true, force: true });
    });

    // Runs in the page; the project compiles without the DOM library, hence the narrow casts.
    const cells = () =>
        page.$$eval(".c", (els) =>
            els.map((e) => ({
                account: e.getAttribute("data-account"),
                who: e.getAttribute("data-principal"),
                level: e.getAttribute("data-level"),
                bg: (globalThis as unknown as { getComputedStyle(x: unknown): { backgroundColor: string } }).getComputedStyle(e)
                    .backgroundColor,
                outline: (globalThis as unknown as { getComputedStyle(x: unknown): { outlineStyle: string } }).getComputedStyle(e)
                    .outlineStyle,
            })),
        );

    it("shows one coloured cell per account × principal with access, unmanaged ones outlined", async () => {
        const all = await cells();
        const admins = all.find((c) => c.account === "222222222222" && c.who === "Admins")!;
        assert.equal(admins.bg, LEVEL_COLOURS.admin);
        assert.equal(all.find((c) => c.account === "222222222222" && c.who === "Readers")!.bg, LEVEL_COLOURS.read);
        const bob = all.find((c) => c.who === "bob@example.com")!;
        assert.equal(bob.account, "333333333333");
        assert.equal(bob.outline, "solid");
        assert.equal(admins.outline, "none");
        assert.equal(all.length, 9);
        assert.match((await page.textContent("#unmanaged-list")) ?? "", /bob@example\.com → ConsoleAdmin/);
        assert.match((await page.textContent("#dangerous-list")) ?? "", /IAM writes: iam:CreateUser/);
    });

    it("filters by group, OU and permission set", async () => {
        await page.fill("#f-group", "read");
        assert.deepEqual([...new Set((await cells()).map((c) => c.who))], ["Readers"]);
        await page.fill("#f-group", "");
        await page.selectOption("#f-ou", { label: "Workloads/Prod" });
        assert.deepEqual([...new Set((await cells()).map((c) => c.account))], ["333333333333"]);
        await page.selectOption("#f-ou", { label: "all" });
        await page.selectOption("#f-ps", { label: "ConsoleAdmin" });
        assert.deepEqual((await cells()).map((c) => c.who).sort(), ["Ops", "bob@example.com"]);
        await page.selectOption("#f-ps", { label: "all" });
        await page.click(".c[data-principal='Admins'][data-account='222222222222']");
        assert.match((await page.textContent("#detail")) ?? "", /Admins in app-dev 222222222222: Admin \(admin-level\)/);
        const dir = path.join(PROJECT_ROOT, "test", ".artifacts");
        fs.mkdirSync(dir, { recursive: true });
        await page.screenshot({ path: path.join(dir, "html-report.png"), fullPage: true });
        assert.ok(fs.statSync(path.join(dir, "html-report.png")).size > 1000);
    });
});
