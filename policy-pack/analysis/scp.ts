/**
 * Service control policies, judged by their own rules. SCPs are mostly Deny and only ever limit what
 * accounts may do, so they are never "broad": an Allow `*` on `*` is the default FullAWSAccess. What matters
 * is that they are valid, that their actions exist (a Deny with a typo denies nothing) and that they fit.
 */
import { catalogVersion, matchAction, suggestAction } from "./catalog";
import { parseDocument } from "./document";
import { report, unparsedReport } from "./identity";
import { DocumentReport, Finding } from "./types";

/** AWS Organizations' SCP size limit, characters without whitespace. */
export const SCP_MAX_SIZE = 5120;

/** Analyzes an SCP (`aws.organizations.Policy` content). Never throws. */
export function analyzeScp(input: unknown, what = "the SCP"): DocumentReport {
    const doc = parseDocument(input);
    if (doc.kind !== "ok") return unparsedReport(doc, what);
    const findings: Finding[] = [];
    for (const p of doc.problems) findings.push({ kind: "invalid-document", level: "mandatory", message: `${what}: ${p}.` });
    for (const s of doc.statements) {
        for (const p of [...(s.actions ?? []), ...(s.notActions ?? [])]) {
            if (matchAction(p).actions.length > 0) continue;
            const hint = suggestAction(p);
            findings.push({
                kind: "unknown-action",
                level: "mandatory",
                statement: s.index,
                subject: p,
                message:
                    `${s.label}: \`${p}\` matches no IAM action (catalog ${catalogVersion()}), so this ` +
                    `${s.effect === "Deny" ? "Deny restricts nothing" : "Allow grants nothing"}.${hint ? ` Did you mean \`${hint}\`?` : ""}`,
            });
        }
        if (s.principal || s.notPrincipal) {
            findings.push({
                kind: "scp-principal",
                level: "mandatory",
                statement: s.index,
                message:
                    `${s.label}: SCPs apply to every principal of the accounts they are attached to; remove Principal ` +
                    "and use an `aws:PrincipalArn` condition instead.",
            });
        }
        const everything =
            (s.actions ?? []).some((p) => matchAction(p).all) && (s.resources ?? ["*"]).some((r) => r === "*") && s.conditions.length === 0;
        if (s.effect === "Deny" && everything) {
            findings.push({
                kind: "scp-denies-everything",
                level: "advisory",
                statement: s.index,
                message:
                    `${s.label}: denies every action on every resource with no condition; the accounts it is attached ` +
                    "to can do nothing (fine for a quarantine OU, otherwise add an `aws:PrincipalArn` exception).",
            });
        }
    }
    if (doc.size > SCP_MAX_SIZE) {
        findings.push({
            kind: "size-limit",
            level: "mandatory",
            message:
                `${what} is ${doc.size} characters without whitespace; AWS Organizations accepts at most ${SCP_MAX_SIZE}. ` +
                "Split it into several SCPs or use wildcards in Deny statements.",
        });
    }
    return report("ok", findings, doc.statements.length, false, { size: doc.size });
}
