/**
 * `npm run bench:html [-- --accounts N --groups N]`: size and render time of the HTML report at scale
 * (default 1,000 accounts × 200 groups, every group on every account: 200,000 cells), measured in headless
 * chromium (playwright-core, /usr/bin/chromium). Prints page bytes, build ms, load-to-ready ms, scroll-redraw
 * ms and the DOM's cell count. A benchmark, not a test.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { chromium } from "playwright-core";
import { renderHtmlPage } from "../offline";
import type { HtmlData } from "../offline";

function arg(name: string, dflt: number): number {
    const i = process.argv.indexOf(`--${name}`);
    return i >= 0 ? Number(process.argv[i + 1]) : dflt;
}

/** Synthetic page data: `accounts` accounts in 20 OUs, `groups` groups, one grant per cell, mixed levels. */
export function syntheticData(accounts: number, groups: number): HtmlData {
    const ous = Array.from({ length: 20 }, (_, i) => `Workloads/OU-${i}`);
    const cells: HtmlData["cells"] = [];
    for (let a = 0; a < accounts; a++) for (let g = 0; g < groups; g++) cells.push([a, g, g % 8, (a * 7 + g) % 4, (a + g) % 97 === 0 ? 1 : 0]);
    return {
        title: "bench", stack: "bench", environment: "prod", asOf: new Date(0).toISOString(), levels: ["read", "conditional", "write", "admin"],
        ous, accounts: Array.from({ length: accounts }, (_, i) => [String(100000000000 + i), `account-${i}`, i % 20] as [string, string, number])
            .sort((x, y) => x[2] - y[2]),
        principals: Array.from({ length: groups }, (_, i) => [`AWS-Group-${i}`, 1, 0] as [string, number, number]),
        permissionSets: Array.from({ length: 8 }, (_, i) => `PermissionSet${i}`), cells, verdicts: [], unmanaged: [], dangerous: [],
    };
}

async function main(): Promise<void> {
    const accounts = arg("accounts", 1000), groups = arg("groups", 200);
    const t0 = Date.now();
    const html = renderHtmlPage(syntheticData(accounts, groups));
    const buildMs = Date.now() - t0;
    const profile = fs.mkdtempSync(path.join(os.tmpdir(), "idfed-bench-html-"));
    const ctx = await chromium.launchPersistentContext(profile, {
        executablePath: "/usr/bin/chromium", headless: true, viewport: { width: 1400, height: 900 },
        args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    });
    try {
        const page = await ctx.newPage();
        const t1 = Date.now();
        await page.setContent(html, { waitUntil: "load" });
        await page.waitForFunction("window.idfedReady === true", undefined, { timeout: 120000 });
        const readyMs = Date.now() - t1;
        // In the page (a string: the project compiles without the DOM library).
        const scrollMs = await page.evaluate(`(async () => {
            const m = document.getElementById("matrix");
            const t = performance.now();
            for (let i = 1; i <= 20; i++) {
                m.scrollTop = i * 800; m.scrollLeft = (i % 5) * 300;
                await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
            }
            return (performance.now() - t) / 20;
        })()`) as number;
        const domCells = await page.$$eval(".c", (e) => e.length);
        process.stdout.write(JSON.stringify({ accounts, groups, cells: accounts * groups, pageBytes: Buffer.byteLength(html), buildMs, readyMs,
            scrollRedrawMs: Math.round(scrollMs), domCells }, null, 2) + "\n");
    } finally {
        await ctx.close();
        fs.rmSync(profile, { recursive: true, force: true });
    }
}

if (require.main === module) main().catch((e) => { process.stderr.write(`bench-html: ${String(e)}\n`); process.exitCode = 1; });

