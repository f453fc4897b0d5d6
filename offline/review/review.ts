/**
 * The periodic access review as pure functions over the offline plan's data: every group → permission set →
 * accounts, grants expiring soon, expired grants, permission sets no assignment uses, and groups with
 * admin-level access. Admin-level is decided by the policy pack's own analysis (`policy-pack/analysis/`), so
 * the pack, the plan and the review agree on one definition; a short list of AWS-managed names backs it up.
 */
import { escapeCsv, escapeMarkdown, escapeMarkdownMessage, escapeTerminal, markdownCode } from "../escape";
import type { OrgTree } from "../../stacks/model/index";
import { adminReasons } from "idfed-policy-pack/analysis/admin-level";
import type { AccessRow, PlanResult, UnmanagedReport } from "../types";
import { unmanagedLines } from "../plan/unmanaged-render";
import { DangerousAnswer, dangerousActions, WHO_CAN_CSV_HEAD, whoCanLines, whoCanRows } from "./who-can-render";

export { adminReasons };

/** One account a group reaches through a permission set. */
export interface ReviewAccount {
    accountId: string;
    accountName: string;
    ouPath: string;
    expiresAt?: string;
}

/** A permission set as one group holds it. */
export interface ReviewGrant {
    permissionSet: string;
    permissionSetName: string;
    adminReasons: string[];
    accounts: ReviewAccount[];
}

/** A grant with days left before it expires. */
export type ExpiringRow = AccessRow & { daysLeft: number };

/** The review. */
export interface AccessReview {
    stack: string;
    environment: string;
    /** The review's clock, ISO. */
    asOf: string;
    withinDays: number;
    groups: { group: string; displayName: string; adminLevel: boolean; grants: ReviewGrant[] }[];
    /** Live grants whose `expiresAt` is within `withinDays`, soonest first. */
    expiringSoon: ExpiringRow[];
    /** Grants left out because they expired (remove the rule from config). */
    expired: AccessRow[];
    /** Permission sets no live grant uses. */
    unusedPermissionSets: { key: string; name: string }[];
    /** Groups holding an admin-level permission set, with where. */
    adminGroups: { group: string; displayName: string; permissionSets: string[]; accounts: number; reasons: string[] }[];
    /** Groups with no live grant. */
    groupsWithoutAccess: string[];
    /** Access the org snapshot shows that the stack does not declare. */
    unmanaged: UnmanagedReport;
    /** Who can perform each dangerous action, where (empty when built without the org). */
    dangerous: DangerousAnswer[];
}

const DAY = 86_400_000;

/** Builds the review from a plan at `now`; with the org tree it also answers who can do the dangerous actions. */
export function buildReview(plan: PlanResult, now: Date, withinDays: number, org?: OrgTree): AccessReview {
    const sets = new Map(plan.permissionSets.map((p) => [p.key, p]));
    const reasons = new Map(plan.permissionSets.map((p) => [p.key, adminReasons(p)]));
    const byGroup = new Map<string, Map<string, ReviewAccount[]>>();
    for (const r of plan.access) {
        const g = byGroup.get(r.group) ?? new Map<string, ReviewAccount[]>();
        const list = g.get(r.permissionSet) ?? [];
        list.push({
            accountId: r.accountId,
            accountName: r.accountName,
            ouPath: r.ouPath,
            ...(r.expiresAt ? { expiresAt: r.expiresAt } : {}),
        });
        g.set(r.permissionSet, list);
        byGroup.set(r.group, g);
    }
    const groups = plan.groups.map((g) => {
        const held = byGroup.get(g.key) ?? new Map<string, ReviewAccount[]>();
        const grants = [...held.keys()].sort().map((ps) => ({
            permissionSet: ps,
            permissionSetName: sets.get(ps)?.name ?? ps,
            adminReasons: reasons.get(ps) ?? [],
            accounts: held.get(ps)!.sort((a, b) => a.accountId.localeCompare(b.accountId)),
        }));
        return { group: g.key, displayName: g.displayName, adminLevel: grants.some((x) => x.adminReasons.length > 0), grants };
    });
    const limit = now.getTime() + withinDays * DAY;
    const expiringSoon = plan.access
        .filter((r) => r.expiresAt !== undefined && Date.parse(r.expiresAt) <= limit)
        .map((r) => ({ ...r, daysLeft: Math.max(0, Math.floor((Date.parse(r.expiresAt!) - now.getTime()) / DAY)) }))
        .sort((a, b) => a.daysLeft - b.daysLeft || a.group.localeCompare(b.group) || a.accountId.localeCompare(b.accountId));
    const used = new Set(plan.access.map((r) => r.permissionSet));
    return {
        stack: plan.stack,
        environment: plan.environment,
        asOf: now.toISOString(),
        withinDays,
        groups,
        expiringSoon,
        expired: [...plan.expired],
        unusedPermissionSets: plan.permissionSets.filter((p) => !used.has(p.key)).map((p) => ({ key: p.key, name: p.name })),
        adminGroups: groups
            .filter((g) => g.adminLevel)
            .map((g) => {
                const admin = g.grants.filter((x) => x.adminReasons.length > 0);
                return {
                    group: g.group,
                    displayName: g.displayName,
                    permissionSets: admin.map((x) => x.permissionSet),
                    accounts: new Set(admin.flatMap((x) => x.accounts.map((a) => a.accountId))).size,
                    reasons: [...new Set(admin.flatMap((x) => x.adminReasons))],
                };
            }),
        groupsWithoutAccess: groups.filter((g) => g.grants.length === 0).map((g) => g.group),
        unmanaged: plan.unmanaged,
        dangerous: org ? dangerousActions(plan, org) : [],
    };
}

/** One CSV field (the one CSV escaper, offline/escape.ts): quoted when needed, formulas (=, +, -, @, tab, CR) defused. */
export function csvCell(v: string): string {
    return escapeCsv(v);
}

/** One CSV row per group × permission set × account, plus expired grants (status `expired`). */
export function renderReviewCsv(r: AccessReview): string {
    const head = [
        "group",
        "group_display_name",
        "permission_set",
        "permission_set_name",
        "account_id",
        "account_name",
        "ou_path",
        "expires_at",
        "status",
        "admin_level",
    ];
    const rows: string[][] = [];
    const soon = new Set(r.expiringSoon.map((e) => `${e.group}/${e.permissionSet}/${e.accountId}`));
    for (const g of r.groups) {
        for (const x of g.grants) {
            for (const a of x.accounts) {
                const status = soon.has(`${g.group}/${x.permissionSet}/${a.accountId}`) ? "expiring" : "active";
                rows.push([
                    g.group,
                    g.displayName,
                    x.permissionSet,
                    x.permissionSetName,
                    a.accountId,
                    a.accountName,
                    a.ouPath,
                    a.expiresAt ?? "",
                    status,
                    x.adminReasons.length > 0 ? "yes" : "no",
                ]);
            }
        }
    }
    for (const e of r.expired) {
        rows.push([
            e.group,
            e.groupDisplayName,
            e.permissionSet,
            e.permissionSetName,
            e.accountId,
            e.accountName,
            e.ouPath,
            e.expiresAt ?? "",
            "expired",
            "",
        ]);
    }
    for (const u of r.unmanaged.assignments) {
        rows.push([
            u.principalType === "USER" ? `user:${u.principalDisplayName}` : (u.declaredGroup ?? ""),
            u.principalDisplayName,
            u.declaredPermissionSet ?? "",
            u.permissionSetName,
            u.accountId,
            u.accountName,
            u.ouPath,
            "",
            "unmanaged",
            u.adminReasons.length > 0 ? "yes" : "no",
        ]);
    }
    const table = [head, ...rows].map((row) => row.map(csvCell).join(",")).join("\n") + "\n";
    if (r.dangerous.length === 0) return table;
    // A second table after a blank line: who can perform each dangerous action, where.
    const danger = [["theme", ...WHO_CAN_CSV_HEAD], ...r.dangerous.flatMap((d) => whoCanRows(d).map((row) => [d.theme, ...row]))];
    return table + "\n" + danger.map((row) => row.map(csvCell).join(",")).join("\n") + "\n";
}

/** The review as text or markdown. */
export function renderReview(r: AccessReview, markdown: boolean): string {
    const h = (t: string) => (markdown ? `## ${t}\n\n` : `${t}\n${"=".repeat(t.length)}\n`);
    const li = (t: string) => (markdown ? `- ${t}` : `  ${t}`);
    // Names come from config and the organization: escaped for where they land.
    const code = markdown ? markdownCode : escapeTerminal;
    const n = markdown ? escapeMarkdown : escapeTerminal;
    const msg = markdown ? escapeMarkdownMessage : escapeTerminal;
    const out: string[] = [
        markdown
            ? `# Access review: ${n(r.stack)} (${n(r.environment)})\n\nAs of ${n(r.asOf)}.\n`
            : `Access review: ${n(r.stack)} (${n(r.environment)}), as of ${n(r.asOf)}\n`,
    ];
    out.push(h("Groups → permission sets → accounts"));
    for (const g of r.groups) {
        out.push(
            li(`${code(g.group)} (${n(g.displayName)})${g.adminLevel ? " [ADMIN]" : ""}${g.grants.length === 0 ? ": no access" : ""}`),
        );
        for (const x of g.grants) {
            const accts = x.accounts.map(
                (a) => `${n(a.accountName)} ${n(a.accountId)}${a.expiresAt ? ` until ${n(a.expiresAt.slice(0, 10))}` : ""}`,
            );
            out.push(
                `${markdown ? "  " : "    "}${markdown ? "- " : ""}${code(x.permissionSet)} (${n(x.permissionSetName)})${x.adminReasons.length ? " [admin]" : ""}: ` +
                    `${x.accounts.length} account${x.accounts.length === 1 ? "" : "s"}: ${accts.join(", ")}`,
            );
        }
    }
    out.push("");
    const section = (title: string, lines: string[], none: string) => {
        out.push(h(title));
        out.push(...(lines.length ? lines.map(li) : [li(none)]), "");
    };
    section(
        `Expiring within ${r.withinDays} days`,
        r.expiringSoon.map(
            (e) =>
                `${code(e.group)} → ${code(e.permissionSet)} in ${n(e.accountName)} ${n(e.accountId)}: ${n(e.expiresAt ?? "?")} (${e.daysLeft} days)`,
        ),
        "none",
    );
    section(
        "Expired (left out; remove the rule)",
        r.expired.map(
            (e) => `${code(e.group)} → ${code(e.permissionSet)} in ${n(e.accountName)} ${n(e.accountId)}: expired ${n(e.expiresAt ?? "?")}`,
        ),
        "none",
    );
    section(
        "Permission sets no assignment uses",
        r.unusedPermissionSets.map((p) => `${code(p.key)} (${n(p.name)})`),
        "none",
    );
    section(
        "Groups with admin-level access",
        r.adminGroups.map(
            (g) =>
                `${code(g.group)} (${n(g.displayName)}): ${g.permissionSets.map(code).join(", ")} in ${g.accounts} account${g.accounts === 1 ? "" : "s"}; ${msg(g.reasons.join("; "))}`,
        ),
        "none",
    );
    if (r.groupsWithoutAccess.length > 0) section("Groups without access", r.groupsWithoutAccess.map(code), "none");
    out.push(h("Unmanaged access (in the org snapshot, declared by no stack)"), ...unmanagedLines(r.unmanaged, markdown), "");
    if (r.dangerous.length > 0) {
        out.push(h("Dangerous actions: who can do each, where"));
        for (const d of r.dangerous)
            out.push(markdown ? `**${d.theme}: \`${d.action}\`**\n` : `${d.theme}: ${d.action}`, ...whoCanLines(d, markdown), "");
    }
    return out.join("\n");
}
