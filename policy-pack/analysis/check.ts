/**
 * The document checker's core: judges one policy document's text with the pack's strict defaults. Identity
 * and trust policies are told apart by content (a Principal makes it a trust policy). Pure and never throws.
 */
import { parseDocument, isTrustPolicy } from "./document";
import { analyzeIdentityPolicy } from "./identity";
import { withSuggestionLimit } from "./catalog";
import { LIMITS, largestDocumentQuota } from "./limits";
import { duplicateKeyProblem } from "./duplicate-keys";
import { analyzeTrustPolicy, TrustOptions } from "./trust";
import { Finding } from "./types";

/** One finding as the checker prints it. */
export interface CheckFinding {
    readonly policy: string;
    readonly level: "mandatory" | "advisory";
    readonly message: string;
}

/** The verdict on one document. `input-error` means the text is not a JSON policy document at all. */
export interface CheckResult {
    readonly kind: "identity" | "trust" | "input-error";
    readonly verdict: "block" | "allow";
    readonly findings: readonly CheckFinding[];
}

/** Policy name a finding is reported under (the pack's policy that would report it). */
export function policyForFinding(kind: "identity" | "trust", f: Finding): string {
    if (f.kind === "size-limit") return "aws-limits";
    return kind === "trust" ? "trust-policies" : "iam-documents";
}

/** Did-you-mean hints computed for a document over its size limit (the rest of its typos get none). */
const OVERSIZED_SUGGESTIONS = 50;

/** Judges a policy document's JSON text. */
export function checkDocumentText(text: string, opts: TrustOptions = {}): CheckResult {
    let value: unknown;
    try {
        value = JSON.parse(text);
    } catch (e) {
        return inputError(`not valid JSON: ${(e as Error).message}`);
    }
    const duplicates = duplicateKeyProblem(text);
    if (duplicates !== undefined) return inputError(duplicates);
    if (value === null || typeof value !== "object" || Array.isArray(value)) {
        return inputError("expected a JSON object (an IAM policy document with a Statement)");
    }
    const parsed = parseDocument(value);
    if (parsed.kind === "invalid") return inputError(parsed.error);
    const kind = isTrustPolicy(parsed) ? "trust" : "identity";
    const max = kind === "trust" ? LIMITS.trustPolicy : LIMITS.managedPolicyDocument;
    // Size first: a document past the limit (e.g. 20,000 actions) is reported as such, and every finding is
    // still made (the verdict stays the same) but did-you-mean hints are computed for the first few typos
    // only: each compares the pattern with the whole catalog (was ~4 s for 20,000 misspelt actions).
    const analyze = () => (kind === "trust" ? analyzeTrustPolicy(value, opts) : analyzeIdentityPolicy(value));
    const r = parsed.kind === "ok" && parsed.size > max ? withSuggestionLimit(OVERSIZED_SUGGESTIONS, analyze) : analyze();
    const findings: Finding[] = [...r.findings];
    if (r.size !== undefined && r.size > max) {
        // Past the largest quota any IAM document of this kind has, no AWS API accepts it: an error.
        const largest = largestDocumentQuota(kind);
        findings.push({
            kind: "size-limit",
            level: r.size > largest ? "mandatory" : "advisory",
            message:
                `the document is ${r.size} characters without whitespace; a ${kind === "trust" ? "trust policy" : "customer-managed policy"} ` +
                `accepts at most ${max} (${r.size > largest ? `and no IAM quota exceeds ${largest}` : "inline policies allow more"}). ` +
                "Merge statements or use wildcards over read-only actions.",
        });
    }
    const out = findings.map((f) => ({ policy: policyForFinding(kind, f), level: f.level, message: f.message }));
    return { kind, verdict: out.some((f) => f.level === "mandatory") ? "block" : "allow", findings: out };
}

function inputError(message: string): CheckResult {
    return { kind: "input-error", verdict: "block", findings: [{ policy: "input", level: "mandatory", message }] };
}
