/**
 * Renders an {@link AccessDiff} as Markdown (the PR comment section) or JSON (for machines). Pure.
 */
import { ROOT_PATH } from "../../stacks/org/org-index";
import type { AccessDiff, ActionsByLevel, PermissionSetChange } from "./access-diff";
import type { PlanAccessEntry, PlanViolation } from "./access-diff-plan";
import { ACCESS_LEVEL_ORDER } from "./access-diff-iam";
import { escapeMarkdown, escapeMarkdownMessage, markdownCode } from "../escape";

/** Hidden marker that starts the Markdown of one stack's diff, so a workflow can find and update it. */
export function accessDiffMarker(stack: string): string {
    // Stack names are [\w.-]; anything else could end the comment early (`-->`).
    return `<!-- idfed-access-diff:${stack.replace(/[^\w.-]/g, "_")} -->`;
}

/** Most actions listed per access level before "and N more". */
const MAX_ACTIONS_LISTED = 12;

/** A name from config or the organization, as Markdown text safe in a table cell. */
const cell = escapeMarkdown;

function named(display: string, key: string): string {
    return display === key ? markdownCode(key) : `${cell(display)} (${markdownCode(key)})`;
}

function grantRow(e: PlanAccessEntry, first: string, extra: string): string {
    return (
        `| ${first} | ${named(e.groupDisplayName, e.group)} | ${named(e.permissionSetName, e.permissionSet)} | ` +
        `${named(e.accountName, e.accountId)} | ${cell(e.ouPath || ROOT_PATH)} | ${cell(e.expiresAt ?? "—")} | ${escapeMarkdownMessage(extra)} |`
    );
}

const TABLE_HEAD = "|  | Group | Permission set | Account | OU | Expires | Notes |\n|---|---|---|---|---|---|---|";

function actionLines(title: string, byLevel: ActionsByLevel): string[] {
    const lines: string[] = [];
    for (const level of ACCESS_LEVEL_ORDER) {
        const list = byLevel[level];
        if (!list || list.length === 0) continue;
        const shown = list.slice(0, MAX_ACTIONS_LISTED).map(markdownCode).join(", ");
        const more = list.length > MAX_ACTIONS_LISTED ? `, and ${list.length - MAX_ACTIONS_LISTED} more` : "";
        lines.push(`  - ${title}, **${level}** (${list.length}): ${shown}${more}`);
    }
    return lines;
}

function permissionSetLines(p: PermissionSetChange): string[] {
    const head =
        `- ${p.highRisk ? "**HIGH RISK** " : ""}**${cell(p.name)}** (${markdownCode(p.key)}): ${p.status}` +
        `, used by ${p.grantsUsing} grant${p.grantsUsing === 1 ? "" : "s"}` +
        (p.riskReasons.length ? ` — ${escapeMarkdownMessage(p.riskReasons.join("; "))}` : "");
    const lines = [head];
    if (p.sessionDuration) lines.push(`  - session duration: ${cell(p.sessionDuration.from)} → ${cell(p.sessionDuration.to)}`);
    for (const a of p.managedPoliciesAdded) lines.push(`  - managed policy added: ${markdownCode(a)}`);
    for (const a of p.managedPoliciesRemoved) lines.push(`  - managed policy removed: ${markdownCode(a)}`);
    for (const a of p.customerManagedPoliciesAdded) lines.push(`  - customer-managed policy added: ${markdownCode(a)}`);
    for (const a of p.customerManagedPoliciesRemoved) lines.push(`  - customer-managed policy removed: ${markdownCode(a)}`);
    if (p.permissionsBoundaryChanged) lines.push("  - permissions boundary changed");
    lines.push(...actionLines("inline actions added", p.actionsAdded), ...actionLines("inline actions removed", p.actionsRemoved));
    return lines;
}

function verdictLine(v: PlanViolation): string {
    return `- **${cell(v.level)}** ${markdownCode(v.policy)}: ${escapeMarkdownMessage(v.message)}${v.urn ? ` (${markdownCode(v.urn)})` : ""}`;
}

/** The Markdown of one stack's access diff; starts with {@link accessDiffMarker}. */
export function renderMarkdown(d: AccessDiff): string {
    const out: string[] = [
        accessDiffMarker(d.stack),
        `### Access diff: ${markdownCode(d.stack)} (${markdownCode(d.base)} → ${markdownCode(d.head)})`,
        "",
    ];
    if (!d.accessChanged) {
        out.push("**No change in access.**" + (d.moves.length ? " Accounts moved between OUs that grant the same access." : ""), "");
    } else {
        const s = d.summary;
        out.push(
            `${s.highRisk ? `**HIGH RISK: ${s.highRisk}** · ` : ""}${s.gains} gained · ${s.losses} lost · ` +
                `${s.permissionSetsChanged} permission set${s.permissionSetsChanged === 1 ? "" : "s"} changed`,
            "",
        );
    }
    if (d.gains.length) {
        out.push(
            `#### Gains (${d.gains.length})`,
            "",
            TABLE_HEAD,
            ...d.gains.map((g) => grantRow(g, g.highRisk ? "**HIGH RISK**" : "+", g.riskReasons.join("; "))),
            "",
        );
    }
    if (d.massLoss) {
        out.push(
            `**HIGH RISK: mass loss of access** — ${escapeMarkdownMessage(d.massLoss)}. A partial organization read (OUs ` +
                "listed without their accounts) looks exactly like this: check the organization data before merging; the program's " +
                "removal guard refuses it unless acknowledged (`idfed:removalGuard.acknowledge`).",
            "",
        );
    }
    if (d.losses.length) {
        out.push(
            `#### Losses (${d.losses.length})`,
            "",
            TABLE_HEAD,
            ...d.losses.map((l) => grantRow(l, "−", l.reason === "expired" ? "expired" : "")),
            "",
        );
    }
    if (d.expiryChanges.length) {
        out.push(
            `#### Expiry changes (${d.expiryChanges.length})`,
            "",
            TABLE_HEAD,
            ...d.expiryChanges.map((c) => grantRow(c.entry, "~", `expiry ${c.from ?? "none"} → ${c.to ?? "none"}`)),
            "",
        );
    }
    if (d.permissionSets.length) {
        out.push(`#### Permission set changes (${d.permissionSets.length})`, "", ...d.permissionSets.flatMap(permissionSetLines), "");
    }
    if (d.verdictsAppeared.length || d.verdictsResolved.length) {
        out.push("#### Policy verdicts", "");
        if (d.verdictsAppeared.length) out.push("New:", "", ...d.verdictsAppeared.map(verdictLine), "");
        if (d.verdictsResolved.length) out.push("Resolved:", "", ...d.verdictsResolved.map(verdictLine), "");
    }
    if (d.unmanaged.length) {
        out.push(
            `#### Unmanaged access in the organization (${d.unmanaged.length}; declared by no stack)`,
            "",
            ...d.unmanaged.map(
                (u) =>
                    `- ${u.new ? "**new** " : ""}${u.adminReasons.length ? "**ADMIN** " : ""}${u.principalType === "USER" ? "user" : "group"} ` +
                    `${cell(u.principalDisplayName)} → ${cell(u.permissionSetName)} in ${named(u.accountName || u.accountId, u.accountId)}`,
            ),
            "",
        );
    }
    if (d.moves.length) {
        out.push(
            `#### Account moves (${d.moves.length})`,
            "",
            ...d.moves.map(
                (m) => `- ${named(m.accountName, m.accountId)}: ${cell(m.fromOuPath || ROOT_PATH)} → ${cell(m.toOuPath || ROOT_PATH)}`,
            ),
            "",
        );
    }
    return out.join("\n").replace(/\n+$/, "\n");
}

/** The JSON form: the diff object itself, pretty-printed, with a trailing newline. */
export function renderJson(d: AccessDiff): string {
    return JSON.stringify(d, null, 2) + "\n";
}
