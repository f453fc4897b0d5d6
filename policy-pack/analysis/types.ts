/** Shared result types of the document analyses. */

/** What a finding is about. One kind per rule, so tests and config can name them. */
export type FindingKind =
    // identity documents
    | "full-admin"
    | "service-wildcard"
    | "not-action-allow"
    | "not-resource-allow"
    | "privilege-escalation"
    | "identity-center-takeover"
    | "unscoped-secret-read"
    | "unknown-action"
    | "invalid-document"
    | "dangerous-action-on-all"
    | "workload-takeover"
    | "unscoped-credential-read"
    | "condition-not-applicable"
    // trust policies
    | "trust-wildcard-principal"
    | "trust-saml-without-audience"
    | "trust-cross-account-without-condition"
    | "trust-github-oidc-unscoped"
    | "trust-oidc-without-subject"
    | "trust-condition-never-matches"
    // SCPs
    | "scp-denies-everything"
    | "scp-principal"
    | "scp-invalid-allow"
    // AWS-managed policies and limits
    | "managed-policy-unknown"
    | "managed-policy-not-found"
    | "managed-policy-deprecated"
    | "size-limit"
    // values unknown at preview
    | "cannot-judge";

/** Findings that make a document "admin-level" (it can grant itself anything). */
export const ADMIN_KINDS: ReadonlySet<FindingKind> = new Set<FindingKind>([
    "full-admin",
    "privilege-escalation",
    "identity-center-takeover",
]);

/** One problem found in a document. */
export interface Finding {
    readonly kind: FindingKind;
    /** Whether it blocks under the strict defaults (`mandatory`) or only warns (`advisory`). */
    readonly level: "mandatory" | "advisory";
    /** Names the statement, what is too broad and what to do instead. */
    readonly message: string;
    /** 0-based statement index, when the finding is about one statement. */
    readonly statement?: number;
    /** What the finding is about when it is one name, e.g. the unknown action pattern. */
    readonly subject?: string;
}

/** The analysis of one document. */
export interface DocumentReport {
    /** `unknown`: a value is unknown at preview (`unknownPath` says where); nothing was judged. */
    readonly status: "ok" | "invalid" | "unknown";
    readonly findings: readonly Finding[];
    /** Number of statements judged. */
    readonly statements: number;
    /** True when a finding of an {@link ADMIN_KINDS} kind was made. */
    readonly adminLevel: boolean;
    /** True when an Allow reaches Write / Permissions management / Tagging on `*`. */
    readonly writeOnStar: boolean;
    /** Where the unknown value is, for `unknown`. */
    readonly unknownPath?: string;
    /** Size in characters without whitespace (IAM's measure), when parsed. */
    readonly size?: number;
}
