/**
 * Renders a {@link PlanResult} for people: a resource tree by component, the access matrix (accounts ×
 * groups, permission sets in cells, expiry marked), the policy verdicts and counts. Text for a terminal,
 * markdown for a PR comment.
 */
import { unmanagedLines } from "./unmanaged-render";
import { AccessRow, PlanResult } from "./plan-model";
import { escapeMarkdown, escapeMarkdownMessage, escapeTerminal, markdownCode } from "../escape";
import { managedDataLabel } from "idfed-policy-pack/analysis/managed-names";

/** Children of one parent grouped; runs of more than `collapseOver` same-type siblings print as one line. */
const COLLAPSE_OVER = 6;

function shortType(type: string): string {
    // aws:ssoadmin/accountAssignment:AccountAssignment → aws:ssoadmin:AccountAssignment
    const m = /^([^:]+):([^/:]+)(?:\/[^:]+)?:(.+)$/.exec(type);
    return m ? `${m[1]}:${m[2]}:${m[3]}` : type;
}

/** The resource tree as lines (box-drawing in text, indented list in markdown). */
export function renderTree(plan: PlanResult, markdown: boolean): string[] {
    const children = new Map<string | null, PlanResult["resources"][number][]>();
    for (const r of plan.resources) {
        const list = children.get(r.parent) ?? [];
        list.push(r);
        children.set(r.parent, list);
    }
    const lines: string[] = [];
    const walk = (parent: string | null, prefix: string, depth: number) => {
        const kids = children.get(parent) ?? [];
        const byType = new Map<string, number>();
        for (const k of kids) byType.set(k.type, (byType.get(k.type) ?? 0) + 1);
        const shown: (PlanResult["resources"][number] | { collapsed: string; n: number })[] = [];
        const collapsedDone = new Set<string>();
        for (const k of kids) {
            const n = byType.get(k.type) ?? 0;
            const isLeaf = !children.has(k.urn);
            if (n > COLLAPSE_OVER && isLeaf) {
                if (!collapsedDone.has(k.type)) {
                    collapsedDone.add(k.type);
                    shown.push({ collapsed: k.type, n });
                }
            } else {
                shown.push(k);
            }
        }
        shown.forEach((k, i) => {
            const last = i === shown.length - 1;
            const label =
                "collapsed" in k
                    ? `${k.n} × ${escapeTerminal(shortType(k.collapsed))}`
                    : `${escapeTerminal(shortType(k.type))}  ${escapeTerminal(k.name)}`;
            if (markdown) {
                lines.push(
                    `${"  ".repeat(depth)}- ${"collapsed" in k ? escapeMarkdown(label) : `${markdownCode(shortType(k.type))} ${escapeMarkdown(k.name)}`}`,
                );
            } else {
                lines.push(`${prefix}${last ? "└─ " : "├─ "}${label}`);
            }
            if (!("collapsed" in k)) walk(k.urn, prefix + (last ? "   " : "│  "), depth + 1);
        });
    };
    walk(null, "", 0);
    return lines;
}

/** Matrix cells: account → group → permission set names (with ⏳ and date for time-bound grants). */
function matrix(access: readonly AccessRow[]): { accounts: AccessRow[]; groups: string[]; cell: (acct: string, group: string) => string } {
    const accounts = new Map<string, AccessRow>();
    const groups = new Set<string>();
    const cells = new Map<string, string[]>();
    for (const a of access) {
        if (!accounts.has(a.accountId)) accounts.set(a.accountId, a);
        groups.add(a.group);
        const k = `${a.accountId}|${a.group}`;
        const v = cells.get(k) ?? [];
        v.push(a.expiresAt === undefined ? a.permissionSet : `${a.permissionSet} ⏳${a.expiresAt.slice(0, 10)}`);
        cells.set(k, v);
    }
    const sortedAccounts = [...accounts.values()].sort(
        (x, y) => x.ouPath.localeCompare(y.ouPath) || x.accountName.localeCompare(y.accountName),
    );
    return {
        accounts: sortedAccounts,
        groups: [...groups].sort(),
        cell: (acct, group) => (cells.get(`${acct}|${group}`) ?? []).sort().join(", "),
    };
}

function pad(s: string, n: number): string {
    const len = [...s].length;
    return len >= n ? s : s + " ".repeat(n - len);
}

/** A plain-text table with aligned columns. */
function textTable(header: string[], rows: string[][]): string[] {
    const widths = header.map((h, i) => Math.max([...h].length, ...rows.map((r) => [...(r[i] ?? "")].length)));
    const line = (r: string[]) =>
        r
            .map((c, i) => pad(c, widths[i]))
            .join("  ")
            .trimEnd();
    return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)];
}

/** A Markdown table; every cell is data and escaped here (names from config and the organization). */
function mdTable(header: string[], rows: string[][]): string[] {
    const esc = escapeMarkdown;
    return [
        `| ${header.map(esc).join(" | ")} |`,
        `|${header.map(() => " --- ").join("|")}|`,
        ...rows.map((r) => `| ${r.map(esc).join(" | ")} |`),
    ];
}

/** Renders the plan as text (`markdown` false) or markdown; every name and message is escaped for where it lands. */
export function renderPlan(plan: PlanResult, markdown: boolean, header: { configFile: string; orgFile: string }): string {
    const out: string[] = [];
    const name = markdown ? escapeMarkdown : escapeTerminal;
    const msg = markdown ? escapeMarkdownMessage : escapeTerminal;
    const code = markdown ? markdownCode : escapeTerminal;
    const h = (t: string) => out.push("", markdown ? `### ${t}` : `${t}\n${"=".repeat(t.length)}`);
    out.push(
        markdown
            ? `## idfed offline plan — stack ${code(plan.stack)} (${name(plan.environment)})`
            : `idfed offline plan — stack ${name(plan.stack)} (${name(plan.environment)})`,
    );
    out.push(`config ${name(header.configFile)} · org ${name(header.orgFile)}`);
    if (plan.rollout !== undefined) {
        out.push(markdown ? `**rollout:** ${msg(plan.rollout.title)}` : `rollout: ${msg(plan.rollout.title)}`);
        out.push(markdown ? `**next step:** ${msg(plan.rollout.nextStep)}` : `next step: ${msg(plan.rollout.nextStep)}`);
    }
    for (const n of plan.notes) out.push(markdown ? `> note: ${msg(n)}` : `note: ${msg(n)}`);

    h(`Resources (${plan.summary.resources})`);
    if (markdown) out.push("<details><summary>resource tree</summary>", "");
    out.push(...renderTree(plan, markdown));
    if (markdown) out.push("", "</details>");

    h(`Access (${plan.summary.grants} assignments)`);
    const m = matrix(plan.access);
    const rows = m.accounts.map((a) => [
        `${a.accountName} (${a.accountId})`,
        a.ouPath,
        ...m.groups.map((g) => m.cell(a.accountId, g) || (markdown ? "" : "·")),
    ]);
    const head = ["account", "OU", ...m.groups];
    if (rows.length === 0) out.push("no access granted");
    else
        out.push(
            ...(markdown
                ? mdTable(head, rows)
                : textTable(
                      head.map(escapeTerminal),
                      rows.map((r) => r.map(escapeTerminal)),
                  )),
        );
    if (plan.access.some((a) => a.expiresAt !== undefined))
        out.push("", "⏳ = time-bound grant, removed by the scheduled run after that date");
    if (plan.expired.length > 0) {
        out.push("", `Expired grants left out (${plan.expired.length}):`);
        for (const e of plan.expired)
            out.push(
                `${markdown ? "- " : "  "}${name(e.group)} → ${name(e.permissionSet)} in ${name(e.accountName)} (${name(e.accountId)}), expired ${name(e.expiresAt ?? "?")}`,
            );
    }

    const u = plan.unmanaged;
    h(`Unmanaged access (${u.checked ? u.assignments.length + u.permissionSets.length + u.drifted.length : "not checked"})`);
    out.push(...unmanagedLines(u, markdown));

    h(`Policy verdicts (${plan.violations.length})`);
    out.push(`AWS-managed policies judged from their documents: ${managedDataLabel()}`);
    if (plan.violations.length === 0) out.push("no violations");
    const order = { mandatory: 0, remediate: 1, advisory: 2, disabled: 3 } as const;
    for (const v of [...plan.violations].sort((a, b) => order[a.level] - order[b.level] || a.policy.localeCompare(b.policy))) {
        const where = v.urn ? ` [${name(v.urn.split("::").pop() ?? "")}]` : "";
        out.push(`${markdown ? "- " : ""}${name(v.level.toUpperCase())} ${name(v.policy)}${where}: ${msg(v.message)}`);
    }

    h("Counts");
    const s = plan.summary;
    out.push(`${markdown ? "- " : ""}resources: ${s.resources}`);
    for (const [t, n] of Object.entries(s.resourcesByType).sort()) out.push(`${markdown ? "  - " : "  "}${name(shortType(t))}: ${n}`);
    out.push(
        `${markdown ? "- " : ""}groups: ${plan.groups.length}, permission sets: ${plan.permissionSets.length}, assignments: ${s.grants}, expired: ${s.expiredGrants}`,
    );
    out.push(
        `${markdown ? "- " : ""}violations: ${s.violations.mandatory} mandatory, ${s.violations.advisory} advisory, ${s.violations.remediate} remediate`,
    );
    return out.join("\n") + "\n";
}
