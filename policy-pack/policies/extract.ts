/**
 * Where IAM documents live on the resources idfed registers: one list of (what, kind, value) per resource,
 * shared by the document, trust and limit policies.
 */
import { isUnknownValue } from "../analysis/document";
import { plain, prop } from "./common";

/** One document (or managed-policy ARN) found on a resource. */
export interface ResourceDocument {
    /** How messages name it, e.g. "inline policy `deploy`". */
    readonly what: string;
    readonly kind: "identity" | "trust" | "managed" | "scp" | "other-org-policy";
    /** The JSON string / object / ARN, possibly a preview unknown. */
    readonly value: unknown;
}

/** Type tokens of the resources whose documents are judged per resource. */
export const IDENTITY_TYPES = {
    policy: "aws:iam/policy:Policy",
    role: "aws:iam/role:Role",
    rolePolicy: "aws:iam/rolePolicy:RolePolicy",
    userPolicy: "aws:iam/userPolicy:UserPolicy",
    groupPolicy: "aws:iam/groupPolicy:GroupPolicy",
    rolePolicyAttachment: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
    userPolicyAttachment: "aws:iam/userPolicyAttachment:UserPolicyAttachment",
    groupPolicyAttachment: "aws:iam/groupPolicyAttachment:GroupPolicyAttachment",
    policyAttachment: "aws:iam/policyAttachment:PolicyAttachment",
    orgPolicy: "aws:organizations/policy:Policy",
} as const;

function list(v: unknown): unknown[] {
    const p = plain(v);
    return Array.isArray(p) ? p : [];
}

/** The documents of one resource given its type token and (plain or proxied) props. */
export function documentsOf(type: string, props: unknown): ResourceDocument[] {
    const out: ResourceDocument[] = [];
    switch (type) {
        case IDENTITY_TYPES.policy:
            out.push({ what: "the policy document", kind: "identity", value: prop(props, "policy") });
            break;
        case IDENTITY_TYPES.rolePolicy:
        case IDENTITY_TYPES.userPolicy:
        case IDENTITY_TYPES.groupPolicy:
            out.push({ what: "the inline policy", kind: "identity", value: prop(props, "policy") });
            break;
        case IDENTITY_TYPES.role: {
            out.push({ what: "the trust policy (assumeRolePolicy)", kind: "trust", value: prop(props, "assumeRolePolicy") });
            const inline = prop(props, "inlinePolicies");
            if (isUnknownValue(inline)) out.push({ what: "the inline policies", kind: "identity", value: inline });
            for (const [i, p] of list(inline).entries()) {
                const name = prop(p, "name");
                const label = typeof name === "string" && !isUnknownValue(name) ? `inline policy \`${name}\`` : `inline policy ${i + 1}`;
                const doc = prop(p, "policy");
                if (doc !== undefined && doc !== "") out.push({ what: label, kind: "identity", value: doc });
            }
            const managed = prop(props, "managedPolicyArns");
            if (isUnknownValue(managed)) out.push({ what: "the managed policy ARNs", kind: "managed", value: managed });
            for (const arn of list(managed)) out.push({ what: "managed policy", kind: "managed", value: arn });
            break;
        }
        case IDENTITY_TYPES.rolePolicyAttachment:
        case IDENTITY_TYPES.userPolicyAttachment:
        case IDENTITY_TYPES.groupPolicyAttachment:
        case IDENTITY_TYPES.policyAttachment:
            out.push({ what: "the attached managed policy", kind: "managed", value: prop(props, "policyArn") });
            break;
        case IDENTITY_TYPES.orgPolicy: {
            const t = prop(props, "type");
            const isScp = t === undefined || t === "SERVICE_CONTROL_POLICY";
            if (isUnknownValue(t)) out.push({ what: "the organization policy type", kind: "scp", value: t });
            else
                out.push({
                    what: isScp ? "the SCP" : `the ${typeof t === "string" ? t : "organization policy"}`,
                    kind: isScp ? "scp" : "other-org-policy",
                    value: prop(props, "content"),
                });
            break;
        }
        default:
            break;
    }
    return out;
}
