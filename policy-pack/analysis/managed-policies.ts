/**
 * AWS-managed policies judged from their real documents: every ARN under `arn:aws:iam::aws:policy/` (any path:
 * `job-function/`, `service-role/`, `aws-service-role/`) is looked up in the pack's data set (`managed-data.ts`)
 * and its default version is analysed like any other identity policy. Findings name the policy, its version
 * and the data set. An AWS-managed ARN that names no policy is an error with a did-you-mean; a deprecated one
 * is an error too (AWS refuses to attach it to new roles, so provisioning to a new account fails).
 */
import { analyzeIdentityPolicy, report } from "./identity";
import { managedPolicyEntry } from "./managed-data";
import { awsManagedKey, managedArnProblem, managedDataMeta, managedKeyStatus } from "./managed-names";
import { DocumentReport, Finding } from "./types";

export { awsManagedKey, managedArnProblem } from "./managed-names";

/**
 * Findings left out for AWS-managed documents: they only say the pack's catalog or grammar check disagrees
 * with a document AWS itself wrote and accepted (an action of a retired service, or newer than the bundled
 * catalog). Nothing the user could change; they grant nothing more.
 */
const AWS_ACCEPTED_KINDS: ReadonlySet<Finding["kind"]> = new Set(["unknown-action", "invalid-document", "condition-not-applicable"]);

const reports = new Map<string, DocumentReport>();

function judge(arn: string): DocumentReport {
    const key = awsManagedKey(arn);
    if (key === undefined) {
        return report(
            "ok",
            [
                {
                    kind: "managed-policy-unknown",
                    level: "advisory",
                    message:
                        `cannot judge \`${arn}\`: it is not an AWS-managed policy, and a customer-managed policy lives in each ` +
                        "target account. Check its document with `npm run policy:check`.",
                },
            ],
            0,
            true,
        );
    }
    const status = managedKeyStatus(key);
    const e = status === "unknown" ? undefined : managedPolicyEntry(key);
    if (!e) {
        return report(
            "ok",
            [
                {
                    kind: status === "unknown" ? "managed-policy-not-found" : "managed-policy-deprecated",
                    level: "mandatory",
                    subject: key,
                    message: managedArnProblem(arn) ?? "",
                },
            ],
            0,
            false,
        );
    }
    const meta = managedDataMeta();
    const label = `AWS-managed \`${key}\` ${e.version} (${meta.source}, ${meta.asOf})`;
    const base = analyzeIdentityPolicy(e.document, `AWS-managed ${key} ${e.version}`);
    const findings: Finding[] = base.findings
        .filter((f) => !AWS_ACCEPTED_KINDS.has(f.kind))
        .map((f) => ({ ...f, message: `${label}: ${f.message}` }));
    if (status === "deprecated") {
        findings.push({
            kind: "managed-policy-deprecated",
            level: "mandatory",
            subject: key,
            message: `${label}: ${managedArnProblem(arn)}`,
        });
    }
    return { ...base, findings };
}

/**
 * Judges an attached managed policy by its ARN: an AWS-managed one from its default version in the data set
 * (findings prefixed with the policy, version and data date); an unknown or deprecated AWS-managed name is a
 * mandatory finding with a did-you-mean; any other ARN gets an advisory "cannot judge". Cached per ARN.
 */
export function judgeManagedPolicy(arn: string): DocumentReport {
    let r = reports.get(arn);
    if (!r) {
        r = judge(arn);
        if (reports.size > 10_000) reports.clear();
        reports.set(arn, r);
    }
    return r;
}

/** The current document of an AWS-managed policy by ARN, when the data set has it. */
export function managedPolicyDocument(arn: string): unknown {
    const key = awsManagedKey(arn);
    return key === undefined ? undefined : managedPolicyEntry(key)?.document;
}
