/**
 * Grammar IAM rejects in identity and trust policies, beyond what the parser already reports: condition
 * operators IAM does not know, Resource values that are neither `*` nor an ARN, Sids that are not
 * alphanumeric, and duplicate Sids. Source: IAM User Guide, "IAM JSON policy elements: Condition operators",
 * "Resource", "Sid" (IAM Sids: ASCII letters and digits; unique within the policy).
 */
import { Statement } from "./document";
import { Finding } from "./types";

/** The condition operators IAM accepts, lower-case, without `IfExists` and set prefixes. */
const OPERATORS: ReadonlySet<string> = new Set([
    "stringequals",
    "stringnotequals",
    "stringequalsignorecase",
    "stringnotequalsignorecase",
    "stringlike",
    "stringnotlike",
    "numericequals",
    "numericnotequals",
    "numericlessthan",
    "numericlessthanequals",
    "numericgreaterthan",
    "numericgreaterthanequals",
    "dateequals",
    "datenotequals",
    "datelessthan",
    "datelessthanequals",
    "dategreaterthan",
    "dategreaterthanequals",
    "bool",
    "binaryequals",
    "ipaddress",
    "notipaddress",
    "arnequals",
    "arnlike",
    "arnnotequals",
    "arnnotlike",
    "null",
]);

/** True when IAM accepts the condition operator (`ForAnyValue:` / `ForAllValues:` prefix, `IfExists` suffix). */
export function isConditionOperator(op: string): boolean {
    const m = /^(?:for(?:anyvalue|allvalues):)?(.+?)(ifexists)?$/i.exec(op);
    if (!m) return false;
    const base = m[1].toLowerCase();
    return OPERATORS.has(base) && !(base === "null" && m[2] !== undefined);
}

/**
 * Resource / NotResource values IAM rejects in identity policies: neither `*` nor an ARN. Only the `arn:`
 * form is checked (how many segments a service needs varies; IAM accepts e.g. `arn:aws:s3:*`-style patterns).
 */
function resourceProblem(r: string): boolean {
    return r !== "*" && !/^arn:\S/i.test(r);
}

/** Grammar findings for a document's statements (`identity`: also checks Resource values). */
export function grammarFindings(statements: readonly Statement[], kind: "identity" | "trust"): Finding[] {
    const out: Finding[] = [];
    const seen = new Map<string, Statement>();
    const add = (s: Statement, message: string) =>
        out.push({ kind: "invalid-document", level: "mandatory", statement: s.index, message: `${s.label}: ${message}` });
    for (const s of statements) {
        if (s.sid !== undefined) {
            if (!/^[A-Za-z0-9]+$/.test(s.sid))
                add(
                    s,
                    `Sid ${JSON.stringify(s.sid)} is not valid: IAM accepts only ASCII letters and digits. Rename it (e.g. ${JSON.stringify(s.sid.replace(/[^A-Za-z0-9]/g, "")) || '"Stmt1"'}).`,
                );
            const first = seen.get(s.sid);
            if (first)
                add(
                    s,
                    `Sid ${JSON.stringify(s.sid)} is also the Sid of ${first.label}; IAM rejects duplicate Sids in one policy. Rename one.`,
                );
            else seen.set(s.sid, s);
        }
        const ops = new Set(s.conditions.map((c) => c.operator));
        for (const op of ops) {
            if (!isConditionOperator(op))
                add(
                    s,
                    `condition operator \`${op}\` does not exist, so IAM rejects the policy. Use one of StringEquals, StringLike, ArnLike, Bool, NumericLessThan, IpAddress, Null, ... (optionally with IfExists / ForAnyValue: / ForAllValues:).`,
                );
        }
        if (kind === "identity") {
            for (const r of [...(s.resources ?? []), ...(s.notResources ?? [])]) {
                if (resourceProblem(r))
                    add(
                        s,
                        `Resource \`${r}\` is neither \`*\` nor an ARN, so IAM rejects the policy. Write the ARN (arn:partition:service:region:account:resource).`,
                    );
            }
        }
    }
    return out;
}
