/**
 * What the organization snapshot records beyond the OU tree (the optional `exportedAt`, `scps` and
 * `identityCenter` sections of an org fixture): the service control policies and where they are attached,
 * and what exists in IAM Identity Center today. Types only (a leaf, like `model.ts`).
 */

/** An IAM policy document as parsed JSON (`{ Version, Statement }`). */
export type PolicyDocumentJson = Readonly<Record<string, unknown>>;

/** A service control policy and the root, OU and account ids it is attached to. */
export interface SnapshotScp {
    /** Policy id, `p-…` (`p-FullAWSAccess` for the AWS-managed default). */
    readonly id: string;
    readonly name: string;
    readonly document: PolicyDocumentJson;
    /** Root (`r-…`), OU (`ou-…`) or 12-digit account ids. */
    readonly targets: readonly string[];
}

/** A customer-managed policy reference (name and path, as Identity Center stores it). */
export interface SnapshotPolicyRef {
    readonly name: string;
    readonly path: string;
}

/** A permissions boundary: an AWS-managed policy ARN or a customer-managed policy reference. */
export type SnapshotBoundary = { readonly managedPolicyArn: string } | { readonly customerManagedPolicy: SnapshotPolicyRef };

/** A permission set as it exists in Identity Center. */
export interface SnapshotPermissionSet {
    readonly arn: string;
    readonly name: string;
    readonly description?: string;
    readonly sessionDuration?: string;
    readonly managedPolicies: readonly string[];
    readonly customerManagedPolicies: readonly SnapshotPolicyRef[];
    readonly inlinePolicy?: PolicyDocumentJson;
    readonly permissionsBoundary?: SnapshotBoundary;
}

/** An account assignment as it exists in Identity Center. */
export interface SnapshotAssignment {
    readonly accountId: string;
    readonly permissionSetArn: string;
    readonly principalType: "GROUP" | "USER";
    /** Identity store id of the group or user. */
    readonly principalId: string;
    /** Group display name or user name, when the export resolved it. */
    readonly principalDisplayName?: string;
}

/** What exists in Identity Center today. */
export interface SnapshotIdentityCenter {
    readonly permissionSets: readonly SnapshotPermissionSet[];
    readonly assignments: readonly SnapshotAssignment[];
}

/** The optional snapshot sections of an org fixture; absent sections stay undefined (not empty). */
export interface OrgSnapshot {
    /** When the export was taken (ISO instant), if recorded. */
    readonly exportedAt?: string;
    readonly scps?: readonly SnapshotScp[];
    readonly identityCenter?: SnapshotIdentityCenter;
}
