/**
 * The fixed list of dangerous actions the review reports on, and who-can answers as text, markdown and CSV
 * rows (JSON is the result object itself). Pure.
 */
import { escapeMarkdown, escapeTerminal, markdownCode } from "../escape";
import type { OrgTree } from "../../stacks/model/index";
import type { PlanResult } from "../types";
import { actionFor } from "./policy-eval";
import { grantsOf, WhoCan, WhoCanResult } from "./who-can";

/** Dangerous actions by theme: IAM writes, Identity Center and Organizations writes, KMS key policy, CloudTrail, S3 bucket policy. */
export const DANGEROUS_ACTIONS: readonly { readonly theme: string; readonly actions: readonly string[] }[] = [
    {
        theme: "IAM writes",
        actions: [
            "iam:CreateUser",
            "iam:CreateAccessKey",
            "iam:CreateRole",
            "iam:AttachRolePolicy",
            "iam:PutRolePolicy",
            "iam:UpdateAssumeRolePolicy",
        ],
    },
    {
        theme: "Identity Center writes",
        actions: [
            "sso:CreateAccountAssignment",
            "sso:AttachManagedPolicyToPermissionSet",
            "sso:PutInlinePolicyToPermissionSet",
            "identitystore:CreateGroupMembership",
        ],
    },
    {
        theme: "Organizations writes",
        actions: [
            "organizations:AttachPolicy",
            "organizations:DetachPolicy",
            "organizations:LeaveOrganization",
            "organizations:MoveAccount",
        ],
    },
    { theme: "KMS key policy changes", actions: ["kms:PutKeyPolicy"] },
    { theme: "CloudTrail stop/delete", actions: ["cloudtrail:StopLogging", "cloudtrail:DeleteTrail"] },
    { theme: "S3 bucket policy writes", actions: ["s3:PutBucketPolicy", "s3:DeleteBucketPolicy"] },
];

/** A dangerous action's answer with its theme. */
export type DangerousAnswer = WhoCanResult & { theme: string };

/** Who can do each dangerous action, where. */
export function dangerousActions(plan: PlanResult, org: OrgTree): DangerousAnswer[] {
    const w = new WhoCan(org, grantsOf(plan, org));
    const out: DangerousAnswer[] = [];
    for (const t of DANGEROUS_ACTIONS) {
        for (const name of t.actions) {
            const action = actionFor(name);
            if (action) out.push({ theme: t.theme, ...w.ask({ action }) });
        }
    }
    return out;
}

const principalText = (a: { principalType: string; principal: string; managed: boolean }) =>
    `${a.principalType === "USER" ? "user" : "group"} ${a.principal}${a.managed ? "" : " [UNMANAGED]"}`;

/** Who-can answers as text or markdown lines: one line per principal × permission set, accounts listed. */
export function whoCanLines(r: WhoCanResult, markdown: boolean): string[] {
    const li = (t: string) => (markdown ? `- ${t}` : `  ${t}`);
    // Names come from config and the organization snapshot: escaped for where they land.
    const code = markdown ? markdownCode : escapeTerminal;
    const n = markdown ? escapeMarkdown : escapeTerminal;
    const who = (a: { principalType: string; principal: string; managed: boolean }) => principalText({ ...a, principal: n(a.principal) });
    const out: string[] = [];
    const groups = new Map<string, { head: string; accounts: string[] }>();
    for (const a of r.answers) {
        const k = `${a.answer}\u0000${who(a)}\u0000${a.permissionSet}\u0000${a.via.map((v) => `${v.source} ${v.statement}`).join(";")}`;
        const g = groups.get(k) ?? {
            head:
                `${a.answer === "allowed" ? "CAN" : a.answer === "conditionally" ? "CAN (conditionally)" : "MAYBE (unknown: " + a.unknown.join(", ") + ")"}: ` +
                `${who(a)} via ${code(a.permissionSet)}` +
                (a.via.length
                    ? ` (${a.via.map((v) => `${v.source} ${v.statement}${v.conditional ? " [condition]" : ""}${v.scope ? ` on ${v.scope.join(", ")}` : ""}`).join("; ")})`
                    : ""),
            accounts: [],
        };
        g.accounts.push(`${n(a.accountName)} ${n(a.accountId)}`);
        groups.set(k, g);
    }
    for (const g of groups.values())
        out.push(li(`${g.head} in ${g.accounts.length} account${g.accounts.length === 1 ? "" : "s"}: ${g.accounts.join(", ")}`));
    if (out.length === 0) out.push(li("nobody"));
    const blocked = new Map<string, string[]>();
    for (const b of r.blocked) {
        const k = `${who(b)} via ${code(b.permissionSet)}: blocked by ${b.blockedBy} (${b.reason})`;
        blocked.set(k, [...(blocked.get(k) ?? []), `${n(b.accountName)} ${n(b.accountId)}`]);
    }
    for (const [k, accts] of blocked) out.push(li(`blocked: ${k} in ${accts.join(", ")}`));
    for (const n of r.notes) out.push(li(`note: ${n}`));
    return out;
}

/** CSV rows (without header) for who-can answers; header in {@link WHO_CAN_CSV_HEAD}. */
export function whoCanRows(r: WhoCanResult): string[][] {
    const rows = r.answers.map((a) => [
        r.action,
        a.answer,
        a.principalType,
        a.principal,
        a.managed ? "managed" : "unmanaged",
        a.accountId,
        a.accountName,
        a.ouPath,
        a.permissionSet,
        a.via.map((v) => `${v.source} ${v.statement}${v.conditional ? " [condition]" : ""}`).join("; "),
        a.unknown.join("; "),
    ]);
    for (const b of r.blocked) {
        rows.push([
            r.action,
            `blocked-by-${b.blockedBy}`,
            b.principalType,
            b.principal,
            b.managed ? "managed" : "unmanaged",
            b.accountId,
            b.accountName,
            b.ouPath,
            b.permissionSet,
            b.reason,
            "",
        ]);
    }
    return rows;
}

/** Header of {@link whoCanRows}. */
export const WHO_CAN_CSV_HEAD = [
    "action",
    "answer",
    "principal_type",
    "principal",
    "managed",
    "account_id",
    "account_name",
    "ou_path",
    "permission_set",
    "via",
    "unknown",
];
