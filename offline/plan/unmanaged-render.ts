/** The unmanaged-access section as text or markdown lines (shared by the plan and the review). Pure. */
import type { UnmanagedReport } from "./unmanaged";
import { escapeMarkdown, escapeMarkdownMessage, escapeTerminal, markdownCode } from "../escape";

/** Lines of the unmanaged-access section (without its heading). */
export function unmanagedLines(u: UnmanagedReport, markdown: boolean): string[] {
    const li = (t: string) => (markdown ? `- ${t}` : `  ${t}`);
    // Names come from the organization snapshot: escaped for where they land.
    const code = markdown ? markdownCode : escapeTerminal;
    const n = markdown ? escapeMarkdown : escapeTerminal;
    const msg = markdown ? escapeMarkdownMessage : escapeTerminal;
    if (!u.checked) return [li("not checked: the org fixture has no `identityCenter` snapshot")];
    const out: string[] = [];
    for (const a of u.assignments) {
        out.push(
            li(
                `${a.adminReasons.length ? "[ADMIN] " : ""}${a.principalType === "USER" ? "user" : "group"} ${code(a.principalDisplayName)} → ` +
                    `${code(a.permissionSetName)} in ${n(a.accountName)} ${n(a.accountId)}` +
                    `${a.expiredGrant ? " (declared grant expired; still exists)" : a.declaredPermissionSet ? "" : " (permission set not declared)"}` +
                    `${a.adminReasons.length ? `: ${msg(a.adminReasons.join("; "))}` : ""}`,
            ),
        );
    }
    for (const p of u.permissionSets) {
        out.push(
            li(
                `permission set ${code(p.name)} exists, not declared${p.adminReasons.length ? " [ADMIN]" : ""}; ${p.assignments} assignment${p.assignments === 1 ? " uses" : "s use"} it`,
            ),
        );
    }
    for (const d of u.drifted) {
        out.push(
            li(
                `permission set ${code(d.name)} (${code(d.key)}) exists with different policies${d.adminReasons.length ? " [ADMIN]" : ""}: ${msg(d.differences.join("; "))}`,
            ),
        );
    }
    return out.length ? out : [li("none: everything in the snapshot is declared")];
}
