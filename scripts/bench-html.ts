/**
 * `npm run bench:html [-- --accounts N --groups N]`: size and render time of the HTML report at scale
 * (default 1,000 accounts × 200 groups, every group on every account: 200,000 cells), measured in headless
 * chromium (playwright-core, /usr/bin/chromium). Prints page bytes, build ms, load-to-ready ms, scroll-redraw
 * ms and the DOM's cell count; and the who-can time for every dangerous action over the same number of
 * grants (synthetic org, 8 permission sets, SCPs on the root and one OU). A benchmark, not a test.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { chromium } from "playwright-core";
import { actionFor, CHROMIUM_ARGS, CHROMIUM_PATH, DANGEROUS_ACTIONS, renderHtmlPage, syntheticOrg, WhoCan } from "../offline";
import type { GrantRef, HtmlData } from "../offline";

function arg(name: string, dflt: number): number {
    const i = process.argv.indexOf(`--${name}`);
    return i >= 0 ? Number(process.argv[i + 1]) : dflt;
}

/** Synthetic page data: `accounts` accounts in 20 OUs, `groups` groups, one grant per cell, mixed levels. */
export function syntheticData(accounts: number, groups: number): HtmlData {
    const ous = Array.from({ length: 20 }, (_, i) => `Workloads/OU-${i}`);
    const cells: HtmlData["cells"] = [];
    for (let a = 0; a < accounts; a++)
        for (let g = 0; g < groups; g++) cells.push([a, g, g % 8, (a * 7 + g) % 4, (a + g) % 97 === 0 ? 1 : 0]);
    return {
        title: "bench",
        stack: "bench",
        environment: "prod",
        asOf: new Date(0).toISOString(),
        levels: ["read", "conditional", "write", "admin"],
        ous,
        accounts: Array.from(
            { length: accounts },
            (_, i) => [String(100000000000 + i), `account-${i}`, i % 20] as [string, string, number],
        ).sort((x, y) => x[2] - y[2]),
        principals: Array.from({ length: groups }, (_, i) => [`AWS-Group-${i}`, 1, 0] as [string, number, number]),
        permissionSets: Array.from({ length: 8 }, (_, i) => `PermissionSet${i}`),
        cells,
        verdicts: [],
        unmanaged: [],
        dangerous: [],
    };
}

/** Milliseconds to answer every dangerous action over accounts × groups grants. */
function whoCanMs(accounts: number, groups: number): { ms: number; answers: number } {
    const { org } = syntheticOrg({ accounts, groups, permissionSets: 8 });
    const ous = org.ous.map((o) => o.id);
    const full = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] };
    const deny = {
        Version: "2012-10-17",
        Statement: [{ Effect: "Deny", Action: ["iam:CreateUser", "cloudtrail:StopLogging"], Resource: "*" }],
    };
    const withScps = {
        ...org,
        snapshot: {
            scps: [
                { id: "p-FullAWSAccess", name: "FullAWSAccess", document: full, targets: [org.root, ...ous] },
                { id: "p-benchdeny01", name: "Deny", document: deny, targets: ous.slice(0, 1) },
            ],
        },
    };
    const sets = [
        "AdministratorAccess",
        "ReadOnlyAccess",
        "PowerUserAccess",
        "IAMFullAccess",
        "AmazonS3FullAccess",
        "SecurityAudit",
        "job-function/ViewOnlyAccess",
        "AWSSupportAccess",
    ].map((n, i) => ({ id: `ps${i}`, name: n, managedPolicyArns: [`arn:aws:iam::aws:policy/${n}`], customerManagedPolicies: [] }));
    const ids: string[] = [];
    const walk = (u: { accounts: readonly { id: string }[]; ous: readonly unknown[] }) => {
        for (const a of u.accounts) ids.push(a.id);
        for (const c of u.ous) walk(c as typeof u);
    };
    walk(org);
    const grants: GrantRef[] = [];
    for (const a of ids.slice(0, accounts)) {
        for (let g = 0; g < groups; g++)
            grants.push({ principalType: "GROUP", principal: `G${g}`, accountId: a, permissionSet: sets[g % 8], managed: true });
    }
    const t = Date.now();
    const w = new WhoCan(withScps, grants);
    let answers = 0;
    for (const theme of DANGEROUS_ACTIONS) for (const name of theme.actions) answers += w.ask({ action: actionFor(name)! }).answers.length;
    return { ms: Date.now() - t, answers };
}

async function main(): Promise<void> {
    const accounts = arg("accounts", 1000),
        groups = arg("groups", 200);
    const who = whoCanMs(accounts, groups);
    const t0 = Date.now();
    const html = renderHtmlPage(syntheticData(accounts, groups));
    const buildMs = Date.now() - t0;
    const profile = fs.mkdtempSync(path.join(os.tmpdir(), "idfed-bench-html-"));
    const ctx = await chromium.launchPersistentContext(profile, {
        executablePath: CHROMIUM_PATH,
        headless: true,
        viewport: { width: 1400, height: 900 },
        args: [...CHROMIUM_ARGS],
    });
    try {
        const page = await ctx.newPage();
        const t1 = Date.now();
        await page.setContent(html, { waitUntil: "load" });
        await page.waitForFunction("window.idfedReady === true", undefined, { timeout: 120000 });
        const readyMs = Date.now() - t1;
        // In the page (a string: the project compiles without the DOM library).
        const scrollMs = (await page.evaluate(`(async () => {
            const m = document.getElementById("matrix");
            const t = performance.now();
            for (let i = 1; i <= 20; i++) {
                m.scrollTop = i * 800; m.scrollLeft = (i % 5) * 300;
                await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
            }
            return (performance.now() - t) / 20;
        })()`)) as number;
        const domCells = await page.$$eval(".c", (e) => e.length);
        process.stdout.write(
            JSON.stringify(
                {
                    accounts,
                    groups,
                    cells: accounts * groups,
                    pageBytes: Buffer.byteLength(html),
                    buildMs,
                    readyMs,
                    scrollRedrawMs: Math.round(scrollMs),
                    domCells,
                    whoCanDangerousMs: who.ms,
                    whoCanAnswers: who.answers,
                },
                null,
                2,
            ) + "\n",
        );
    } finally {
        await ctx.close();
        fs.rmSync(profile, { recursive: true, force: true });
    }
}

if (require.main === module)
    main().catch((e) => {
        process.stderr.write(`bench-html: ${String(e)}\n`);
        process.exitCode = 1;
    });
