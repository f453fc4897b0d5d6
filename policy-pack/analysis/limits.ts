/** AWS limits checked before apply (so `pulumi up` does not fail half-way). Sizes exclude whitespace. */

/** The limits, with the AWS quota they mirror. */
export const LIMITS = {
    /** Identity Center permission set name: 1-32 characters of `[\w+=,.@-]`. */
    permissionSetName: 32,
    /** Identity Center permission set description. */
    permissionSetDescription: 700,
    /**
     * Inline policy of a permission set, characters without whitespace. Identity Center provisions it as an
     * inline policy of a role in every target account, so the role's inline quota (10,240) is what holds;
     * the same limit as the stack model's (`stacks/permission-sets.ts`).
     */
    permissionSetInlinePolicy: 10_240,
    /** Managed (AWS + customer) policies per permission set: the IAM role quota it provisions (default 10, max 20). */
    managedPoliciesPerPermissionSet: 10,
    /** Customer-managed IAM policy document. */
    managedPolicyDocument: 6_144,
    /** Role inline policies, all together. */
    roleInlinePolicies: 10_240,
    /** User inline policies, all together. */
    userInlinePolicies: 2_048,
    /** Group inline policies, all together. */
    groupInlinePolicies: 5_120,
    /** Role trust policy (default quota; adjustable to 4,096). */
    trustPolicy: 2_048,
    /** IAM role name. */
    roleName: 64,
    /** IAM policy name. */
    policyName: 128,
} as const;

/**
 * The largest size any IAM quota allows a document of this kind, characters without whitespace: a role's
 * inline policies together (10,240) for identity policies, the raised trust policy quota (4,096) for trust
 * policies. Past it no AWS API accepts the document.
 */
export function largestDocumentQuota(kind: "identity" | "trust"): number {
    return kind === "trust" ? 4_096 : LIMITS.roleInlinePolicies;
}

/** Session duration bounds of a permission set (ISO-8601 hours, minutes, seconds), with an exact message. */
export function sessionDurationProblem(v: string): string | undefined {
    const m = /^PT(?:(\d{1,6})H)?(?:(\d{1,6})M)?(?:(\d{1,6})S)?$/.exec(v);
    if (!m || (m[1] === undefined && m[2] === undefined && m[3] === undefined))
        return `\`${v}\` is not an ISO-8601 duration like PT1H or PT90M`;
    const secs = Number(m[1] ?? 0) * 3600 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0);
    if (secs === 0) return `\`${v}\` is a zero duration; Identity Center accepts PT1H to PT12H`;
    if (secs < 3600 || secs > 43200) {
        return `\`${v}\` is ${secs} seconds, ${secs < 3600 ? "shorter" : "longer"} than Identity Center accepts (PT1H to PT12H)`;
    }
    return undefined;
}

/** Problems with a permission set name, or undefined. */
export function permissionSetNameProblem(name: string): string | undefined {
    if (name.length < 1 || name.length > LIMITS.permissionSetName) {
        return `name \`${name}\` is ${name.length} characters; Identity Center accepts 1 to ${LIMITS.permissionSetName}`;
    }
    if (!/^[\w+=,.@-]+$/.test(name)) return `name \`${name}\` may only contain letters, digits and + = , . @ _ -`;
    return undefined;
}
