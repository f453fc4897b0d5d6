/**
 * Document policies on IAM resources (customer-managed policies, role/user/group inline policies, managed
 * attachments) and on SCPs. Permission-set documents are judged with their assignments in
 * `permission-sets.ts`, where the group allow-lists are known.
 */
import * as iam from "@pulumi/aws/iam";
import * as organizations from "@pulumi/aws/organizations";
import { ReportViolation, ResourceValidationArgs, ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import { isUnknownValue } from "../analysis/document";
import { analyzeIdentityPolicy } from "../analysis/identity";
import { judgeManagedPolicy } from "../analysis/managed-policies";
import { analyzeScp } from "../analysis/scp";
import { DocumentReport, Finding } from "../analysis/types";
import { Unknowns, config, reportFindings, stringList, validateResourceOfTypes } from "./common";
import { documentsOf } from "./extract";

/** Settings of `iam-documents`. */
export interface DocumentsConfig {
    /** Resource names whose documents were reviewed and accepted as they are. Default none. */
    exemptResourceNames: string[];
    /** Actions newer than the bundled catalog, accepted as known (e.g. `newsvc:NewAction`). Default none. */
    knownActions: string[];
}

const DEFAULTS: DocumentsConfig = { exemptResourceNames: [], knownActions: [] };

const SCHEMA = {
    properties: {
        exemptResourceNames: stringList("Resource names whose IAM documents were reviewed and are accepted as they are."),
        knownActions: stringList("IAM actions newer than the bundled catalog, accepted as known."),
    },
};

/** Drops unknown-action findings for actions the config declares known. */
export function withoutKnownActions(findings: readonly Finding[], known: readonly string[]): Finding[] {
    const k = new Set(known.map((a) => a.toLowerCase()));
    return findings.filter((f) => !(f.kind === "unknown-action" && f.subject !== undefined && k.has(f.subject.toLowerCase())));
}

/** Judges one document value by kind; unknowns are recorded and yield no findings. */
export function judgeDocument(
    kind: "identity" | "managed" | "scp",
    what: string,
    value: unknown,
    unknowns: Unknowns,
): DocumentReport | undefined {
    if (unknowns.check(value, what)) return undefined;
    let r: DocumentReport;
    if (kind === "managed") {
        if (typeof value !== "string") return undefined;
        r = judgeManagedPolicy(value);
    } else {
        r = kind === "scp" ? analyzeScp(value, what) : analyzeIdentityPolicy(value, what);
    }
    if (r.status === "unknown") unknowns.add(`${what}${r.unknownPath ? ` at ${r.unknownPath}` : ""}`);
    return r;
}

function makeValidator(level: "mandatory" | "advisory", kinds: ReadonlyArray<"identity" | "managed" | "scp">) {
    return (props: unknown, args: ResourceValidationArgs, report: ReportViolation): void => {
        const cfg = config(args, DEFAULTS);
        if (cfg.exemptResourceNames.includes(args.name)) return;
        const unknowns = new Unknowns();
        for (const d of documentsOf(args.type, props)) {
            if (d.kind === "trust" || d.kind === "other-org-policy" || !kinds.includes(d.kind)) continue;
            const r = judgeDocument(d.kind, d.what, d.value, unknowns);
            if (!r) continue;
            const label = d.kind === "managed" && typeof d.value === "string" ? `${d.what} \`${d.value}\`` : d.what;
            reportFindings(withoutKnownActions(r.findings, cfg.knownActions), level, report, `${label}: `);
        }
        if (level === "mandatory") unknowns.finish();
    };
}

function validators(level: "mandatory" | "advisory") {
    return validateResourceOfTypes(
        [
            iam.Policy,
            iam.Role,
            iam.RolePolicy,
            iam.UserPolicy,
            iam.GroupPolicy,
            iam.RolePolicyAttachment,
            iam.UserPolicyAttachment,
            iam.GroupPolicyAttachment,
            iam.PolicyAttachment,
        ],
        makeValidator(level, ["identity", "managed"]),
    );
}

/** Blocks broad identity documents on IAM resources: full admin, service wildcards, escalation, typos, ... */
export const iamDocuments: ResourceValidationPolicy = {
    name: "iam-documents",
    description: "IAM policies, role/user/group inline policies and managed attachments grant no broad, escalating or misspelled access.",
    configSchema: SCHEMA,
    validateResource: validators("mandatory"),
};

/** Advisory notes on the same documents (e.g. AWS-managed policies outside the snapshot). */
export const iamDocumentsAdvisories: ResourceValidationPolicy = {
    name: "iam-documents-advisories",
    description: "Advisory notes on IAM documents: managed policies the pack cannot judge, broad read access.",
    enforcementLevel: "advisory",
    configSchema: SCHEMA,
    validateResource: validators("advisory"),
};

function scpValidator(level: "mandatory" | "advisory") {
    const v = makeValidator(level, ["scp"]);
    return validateResourceOfType(organizations.Policy, (props, args, report) => {
        if (isUnknownValue((props as { type?: unknown }).type) && level === "advisory") return;
        v(props, args, report);
    });
}

/** SCPs judged by their own rules: valid, existing actions (a Deny with a typo denies nothing), within size. */
export const serviceControlPolicies: ResourceValidationPolicy = {
    name: "service-control-policies",
    description: "SCPs are valid, name existing actions and fit AWS Organizations' size limit.",
    configSchema: SCHEMA,
    validateResource: scpValidator("mandatory"),
};

/** Advisory notes on SCPs (e.g. a Deny of everything without a condition). */
export const serviceControlPoliciesAdvisories: ResourceValidationPolicy = {
    name: "service-control-policies-advisories",
    description: "Advisory notes on SCPs, such as a Deny of every action without an exception.",
    enforcementLevel: "advisory",
    configSchema: SCHEMA,
    validateResource: scpValidator("advisory"),
};
