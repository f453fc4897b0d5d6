/**
 * `--format html` for the plan and the review: one self-contained page (inline CSS and JS, no network, no
 * external assets). The data goes in as JSON inside a `<script type="application/json">` (with `<`, `>`, `&`
 * and line separators escaped), and the page's script only ever sets `textContent`, so no name from config
 * or the snapshot can become markup. This module builds the compact data; `html-page.ts` holds the page.
 */
import { escapeHtml } from "../escape";
import type { OrgTree } from "../../stacks/model/index";
import { accessLevelOf, AccessLevelName, LEVELS } from "../review/access-level";
import { HTML_PAGE_SCRIPT, HTML_PAGE_STYLE } from "./html-page";
import type { PlanResult } from "../types";
import type { AccessReview } from "../review/review";
import { accountPaths } from "../review/who-can";
import { dangerousActions } from "../review/who-can-render";

/** HTML text and attribute escaping: the one escaper of offline/escape.ts (control characters made visible too). */
export { escapeHtml };

/** JSON safe inside a `<script>` element: no `</script>`, no `<!--`, no line separators. */
export function scriptJson(v: unknown): string {
    return JSON.stringify(v)
        .replace(/</g, "\\u003c")
        .replace(/>/g, "\\u003e")
        .replace(/&/g, "\\u0026")
        .replace(/\u2028/g, "\\u2028")
        .replace(/\u2029/g, "\\u2029");
}

/** Flag bits of a cell entry. */
export const FLAG_UNMANAGED = 1;
/** The grant expires within the review window. */
export const FLAG_EXPIRING = 2;

/** The page's data (compact: indices into the lists). */
export interface HtmlData {
    title: string;
    stack: string;
    environment: string;
    asOf: string;
    levels: readonly AccessLevelName[];
    /** OU paths; accounts point into it. */
    ous: string[];
    /** [account id, name, ou index], in tree order grouped by OU. */
    accounts: [string, string, number][];
    /** [display name, managed (1) or not (0), USER (1) or GROUP (0)]. */
    principals: [string, number, number][];
    permissionSets: string[];
    /** [account index, principal index, permission set index, level index, flags]. */
    cells: [number, number, number, number, number][];
    verdicts: { level: string; policy: string; message: string }[];
    unmanaged: string[];
    /** Dangerous actions: [theme, action, [principal index, permission set, answer, account indices][]]. */
    dangerous: [string, string, [number, string, string, number[]][]][];
}

const DAY = 86_400_000;

/** Builds the page data from a plan (and, for the review, its dangerous-action answers). */
export function buildHtmlData(input: { plan: PlanResult; org: OrgTree; review?: AccessReview; now: Date; withinDays?: number }): HtmlData {
    const { plan, org, review, now } = input;
    const within = (input.withinDays ?? review?.withinDays ?? 30) * DAY;
    const paths = accountPaths(org);
    const ous: string[] = [];
    const ouIndex = new Map<string, number>();
    const located = [...paths.entries()].map(([id, p]) => ({ id, ...p }));
    located.sort((a, b) => (a.ouPath < b.ouPath ? -1 : a.ouPath > b.ouPath ? 1 : a.name < b.name ? -1 : 1));
    const acctIndex = new Map<string, number>();
    const accounts: HtmlData["accounts"] = located.map((a, i) => {
        if (!ouIndex.has(a.ouPath)) {
            ouIndex.set(a.ouPath, ous.length);
            ous.push(a.ouPath);
        }
        acctIndex.set(a.id, i);
        return [a.id, a.name, ouIndex.get(a.ouPath)!];
    });
    const principals: HtmlData["principals"] = [];
    const pIndex = new Map<string, number>();
    const principal = (name: string, managed: boolean, user: boolean) => {
        const k = `${user ? "U" : "G"}\u0000${name}`;
        let i = pIndex.get(k);
        if (i === undefined) {
            i = principals.length;
            pIndex.set(k, i);
            principals.push([name, managed ? 1 : 0, user ? 1 : 0]);
        }
        return i;
    };
    for (const g of plan.groups) principal(g.displayName, true, false);
    const psNames: string[] = [];
    const psIndex = new Map<string, number>();
    const ps = (name: string) => {
        let i = psIndex.get(name);
        if (i === undefined) {
            i = psNames.length;
            psIndex.set(name, i);
            psNames.push(name);
        }
        return i;
    };
    const level = new Map(plan.permissionSets.map((p) => [p.key, LEVELS.indexOf(accessLevelOf(p))]));
    const cells: HtmlData["cells"] = [];
    for (const r of plan.access) {
        const a = acctIndex.get(r.accountId);
        if (a === undefined) continue;
        const soon = r.expiresAt !== undefined && Date.parse(r.expiresAt) - now.getTime() <= within ? FLAG_EXPIRING : 0;
        cells.push([a, principal(r.groupDisplayName, true, false), ps(r.permissionSetName), level.get(r.permissionSet) ?? 0, soon]);
    }
    const existing = new Map((org.snapshot?.identityCenter?.permissionSets ?? []).map((p) => [p.arn, p]));
    for (const u of plan.unmanaged.assignments) {
        const a = acctIndex.get(u.accountId);
        const e = existing.get(u.permissionSetArn);
        if (a === undefined || !e) continue;
        const lv = accessLevelOf({ managedPolicyArns: e.managedPolicies, ...(e.inlinePolicy ? { inlinePolicy: e.inlinePolicy } : {}) });
        cells.push([
            a,
            principal(u.principalDisplayName, false, u.principalType === "USER"),
            ps(u.permissionSetName),
            LEVELS.indexOf(lv),
            FLAG_UNMANAGED,
        ]);
    }
    const unmanaged = [
        ...plan.unmanaged.assignments.map(
            (u) =>
                `${u.adminReasons.length ? "ADMIN " : ""}${u.principalType === "USER" ? "user" : "group"} ${u.principalDisplayName} → ${u.permissionSetName} in ${u.accountName} ${u.accountId}`,
        ),
        ...plan.unmanaged.permissionSets.map(
            (p) => `permission set ${p.name} exists, not declared${p.adminReasons.length ? " (ADMIN)" : ""}`,
        ),
        ...plan.unmanaged.drifted.map((d) => `permission set ${d.name} differs: ${d.differences.join("; ")}`),
    ];
    const dangerous: HtmlData["dangerous"] = (review?.dangerous ?? dangerousActions(plan, org)).map((d) => {
        const by = new Map<string, [number, string, string, number[]]>();
        for (const x of d.answers) {
            const pi = principal(x.principal, x.managed, x.principalType === "USER");
            const k = `${pi}\u0000${x.permissionSet}\u0000${x.answer}`;
            const row = by.get(k) ?? [pi, x.permissionSet, x.answer, []];
            const ai = acctIndex.get(x.accountId);
            if (ai !== undefined) row[3].push(ai);
            by.set(k, row);
        }
        return [d.theme, d.action, [...by.values()]];
    });
    return {
        title: `idfed ${review ? "access review" : "plan"}: ${plan.stack} (${plan.environment})`,
        stack: plan.stack,
        environment: plan.environment,
        asOf: now.toISOString(),
        levels: LEVELS,
        ous,
        accounts,
        principals,
        permissionSets: psNames,
        cells,
        verdicts: plan.violations.map((v) => ({ level: v.level, policy: v.policy, message: v.message })),
        unmanaged,
        dangerous,
    };
}

/** The whole page. */
export function renderHtmlPage(data: HtmlData): string {
    const t = escapeHtml(data.title);
    return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${t}</title>
<style>${HTML_PAGE_STYLE}</style></head>
<body>
<header><h1>${t}</h1><p>As of ${escapeHtml(data.asOf)} · ${data.accounts.length} accounts · ${data.principals.length} principals · ${data.cells.length} grants</p></header>
<section id="legend" aria-label="legend"></section>
<section id="filters" aria-label="filters">
<label>Group <input id="f-group" type="search" placeholder="name contains…"></label>
<label>OU <select id="f-ou"><option value="">all</option></select></label>
<label>Permission set <select id="f-ps"><option value="">all</option></select></label>
<span id="count"></span>
</section>
<section id="matrix-wrap" aria-label="access matrix"><div id="corner">account \\ group</div><div id="colhead"><div id="colhead-inner"></div></div>
<div id="rowhead"><div id="rowhead-inner"></div></div><div id="matrix"><div id="matrix-inner"></div></div></section>
<section id="detail" aria-live="polite"></section>
<section id="verdicts"><h2>Policy verdicts</h2><ul id="verdict-list"></ul></section>
<section id="unmanaged"><h2>Unmanaged access</h2><ul id="unmanaged-list"></ul></section>
<section id="dangerous"><h2>Who can do dangerous actions</h2><div id="dangerous-list"></div></section>
<script type="application/json" id="idfed-data">${scriptJson(data)}</script>
<script>${HTML_PAGE_SCRIPT}</script>
</body></html>
`;
}

/** Renders the page for a plan or a review. */
export function renderHtmlReport(input: { plan: PlanResult; org: OrgTree; review?: AccessReview; now: Date; withinDays?: number }): string {
    return renderHtmlPage(buildHtmlData(input));
}
