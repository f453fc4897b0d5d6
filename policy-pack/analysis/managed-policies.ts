/**
 * A small, DATED snapshot of the AWS-managed policies idfed relies on. Small policies are kept as their
 * documents (judged like any other document); large read-only or job-function policies are kept as a
 * summary of what they reach. An ARN not listed here cannot be judged offline: an advisory says so.
 *
 * Refresh: compare with `aws iam get-policy-version --policy-arn <arn> --version-id <default>` and bump
 * {@link SNAPSHOT_DATE}.
 */
import { analyzeIdentityPolicy, report } from "./identity";
import { DocumentReport, Finding } from "./types";

/** When the snapshot was last compared with AWS. */
export const SNAPSHOT_DATE = "2026-11-23";

/** A summarized managed policy: what it reaches, without its (large) document. */
export interface ManagedSummary {
    /** Grants Write / Permissions management / Tagging on `*`. */
    readonly writeOnStar: boolean;
    /** Findings it always produces (admin-level ones make the permission set admin-level). */
    readonly findings: readonly Finding[];
    readonly description: string;
}

type Entry = { readonly document: object } | { readonly summary: ManagedSummary };

const allow = (Action: string | string[], Resource: string | string[] = "*", extra: object = {}) =>
    ({ Effect: "Allow", Action, Resource, ...extra });

const READ_ONLY = (description: string, note?: string): Entry => ({
    summary: {
        writeOnStar: false, description,
        findings: note ? [{ kind: "managed-policy-broad", level: "advisory", message: note }] : [],
    },
});

const WRITES = (description: string, note: string): Entry => ({
    summary: { writeOnStar: true, description, findings: [{ kind: "managed-policy-broad", level: "advisory", message: note }] },
});

const SNAPSHOT: Readonly<Record<string, Entry>> = {
    "AdministratorAccess": { document: { Version: "2012-10-17", Statement: [allow("*")] } },
    "PowerUserAccess": {
        document: {
            Version: "2012-10-17", Statement: [
                { Effect: "Allow", NotAction: ["iam:*", "organizations:*", "account:*"], Resource: "*" },
                allow(["iam:CreateServiceLinkedRole", "iam:DeleteServiceLinkedRole", "iam:ListRoles",
                    "organizations:DescribeOrganization", "account:ListRegions", "account:GetAccountInformation"]),
            ],
        },
    },
    "IAMFullAccess": {
        document: {
            Version: "2012-10-17", Statement: [
                allow("iam:*"),
                allow(["organizations:DescribeAccount", "organizations:DescribeOrganization", "organizations:DescribeOrganizationalUnit",
                    "organizations:DescribePolicy", "organizations:ListChildren", "organizations:ListParents",
                    "organizations:ListPoliciesForTarget", "organizations:ListRoots", "organizations:ListPolicies",
                    "organizations:ListTargetsForPolicy"]),
            ],
        },
    },
    "IAMReadOnlyAccess": {
        document: {
            Version: "2012-10-17", Statement: [allow(["iam:GenerateCredentialReport", "iam:GenerateServiceLastAccessedDetails",
                "iam:Get*", "iam:List*", "iam:SimulateCustomPolicy", "iam:SimulatePrincipalPolicy"])],
        },
    },
    "AmazonS3FullAccess": { document: { Version: "2012-10-17", Statement: [allow(["s3:*", "s3-object-lambda:*"])] } },
    "AmazonS3ReadOnlyAccess": {
        document: {
            Version: "2012-10-17", Statement: [allow(["s3:Get*", "s3:List*", "s3:Describe*", "s3-object-lambda:Get*",
                "s3-object-lambda:List*"])],
        },
    },
    "AWSOrganizationsFullAccess": { document: { Version: "2012-10-17", Statement: [allow("organizations:*")] } },
    "AWSOrganizationsReadOnlyAccess": {
        document: { Version: "2012-10-17", Statement: [allow(["organizations:Describe*", "organizations:List*"])] },
    },
    "AWSSupportAccess": { document: { Version: "2012-10-17", Statement: [allow("support:*")] } },
    "AWSSSOMasterAccountAdministrator": {
        summary: {
            writeOnStar: true, description: "Identity Center administration in the management account (sso:*, identitystore:*, directory and IAM SAML provider management)",
            findings: [{
                kind: "identity-center-takeover", level: "mandatory",
                message: "AWSSSOMasterAccountAdministrator can create account assignments and edit every permission set " +
                    "(sso:*, identitystore:*). Only the idfed deployment role should hold it; grant AWSSSOReadOnly to people.",
            }],
        },
    },
    "AWSSSOMemberAccountAdministrator": {
        summary: {
            writeOnStar: true, description: "Identity Center administration in a member account",
            findings: [{
                kind: "identity-center-takeover", level: "mandatory",
                message: "AWSSSOMemberAccountAdministrator can change Identity Center applications and directory (sso:*, sso-directory:*). " +
                    "Grant AWSSSOReadOnly instead.",
            }],
        },
    },
    "AWSSSOReadOnly": READ_ONLY("Read-only Identity Center configuration"),
    "ReadOnlyAccess": READ_ONLY("List/Read across services (no secretsmanager:GetSecretValue, no kms:Decrypt)",
        "ReadOnlyAccess reads data as well as metadata (e.g. s3:GetObject on every bucket, ssm:GetParameter*); prefer " +
        "job-function/ViewOnlyAccess where content access is not needed."),
    "SecurityAudit": READ_ONLY("Security configuration metadata (List/Read; no data reads)"),
    "job-function/ViewOnlyAccess": READ_ONLY("List/Describe of resources and metadata only"),
    "AWSBillingReadOnlyAccess": READ_ONLY("Billing and cost data (Read)"),
    "job-function/Billing": WRITES("Billing console, budgets and cost management (aws-portal, budgets, ce, cur writes on `*`)",
        "job-function/Billing writes billing settings, budgets and cost reports on `*` (no IAM, no workloads)."),
    "job-function/SupportUser": WRITES("Support cases plus read-only access", "job-function/SupportUser opens and edits support cases on `*`."),
    "job-function/DatabaseAdministrator": WRITES("Database services administration (RDS, DynamoDB, Redshift, ...)",
        "job-function/DatabaseAdministrator writes database services on `*` and passes rds-monitoring/datapipeline roles."),
    "job-function/NetworkAdministrator": WRITES("Network configuration (VPC, Route 53, Direct Connect, ...)",
        "job-function/NetworkAdministrator writes network configuration (ec2 VPC actions, route53, directconnect) on `*`."),
    "job-function/SystemAdministrator": WRITES("Operations across compute, storage and monitoring",
        "job-function/SystemAdministrator writes compute, storage and monitoring services on `*` and passes roles on ec2/lambda paths."),
    "job-function/DataScientist": WRITES("Analytics and ML services", "job-function/DataScientist writes analytics and ML services on `*`."),
};

/** The snapshot's policy names, e.g. `job-function/ViewOnlyAccess`. */
export function snapshotPolicyNames(): string[] {
    return Object.keys(SNAPSHOT);
}

/** `arn:aws:iam::aws:policy/job-function/Billing` → `job-function/Billing`; undefined when not AWS-managed. */
export function awsManagedName(arn: string): string | undefined {
    const m = /^arn:aws[a-z-]*:iam::aws:policy\/(.+)$/.exec(arn.trim());
    return m ? m[1] : undefined;
}

/** The snapshot document of an AWS-managed policy, when kept as a document. */
export function managedPolicyDocument(arn: string): object | undefined {
    const name = awsManagedName(arn);
    const e = name === undefined ? undefined : SNAPSHOT[name];
    return e && "document" in e ? e.document : undefined;
}

const reports = new Map<string, DocumentReport>();

/**
 * Judges an attached managed policy by what it grants: the snapshot document's findings, or the summary's.
 * Unknown AWS-managed ARNs and customer-managed ARNs give an advisory "cannot judge". Cached per ARN.
 */
export function judgeManagedPolicy(arn: string): DocumentReport {
    const hit = reports.get(arn);
    if (hit) return hit;
    const name = awsManagedName(arn);
    const e = name === undefined ? undefined : SNAPSHOT[name];
    let r: DocumentReport;
    if (!e) {
        r = report("ok", [{
            kind: "managed-policy-unknown", level: "advisory",
            message: `cannot judge \`${arn}\`: it is not in the pack's AWS-managed policy snapshot (${SNAPSHOT_DATE}). ` +
                "Review what it grants, or add it to policy-pack/analysis/managed-policies.ts.",
        }], 0, true);
    } else if ("document" in e) {
        const base = analyzeIdentityPolicy(e.document, `AWS-managed policy ${name}`);
        r = { ...base, findings: base.findings.map(f => ({ ...f, message: `AWS-managed ${name} (snapshot ${SNAPSHOT_DATE}): ${f.message}` })) };
    } else {
        r = report("ok", [...e.summary.findings], 0, e.summary.writeOnStar);
    }
    reports.set(arn, r);
    return r;
}
