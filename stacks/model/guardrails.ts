/**
 * The validated model of `idfed:guardrails` (types only; parsed by `stacks/config/guardrails.ts`).
 */
import type { PolicyDocument } from "./policy-document";

/** Where an alert is delivered (an SNS subscription). */
export interface AlertSubscription {
    readonly protocol: "email" | "https" | "sqs" | "lambda";
    /** E-mail address, https URL, SQS queue ARN or Lambda function ARN. */
    readonly endpoint: string;
}

/** 1. An SCP denying every action by member accounts' root users, and an alert on root activity. */
export interface RootLockdownModel {
    readonly enabled: boolean;
    /** OU or root ids the SCP is attached to; empty means the organization root. */
    readonly targets: readonly string[];
    /** Member accounts whose root user stays allowed (e.g. during a root-only task). */
    readonly exemptAccounts: readonly string[];
    readonly alerts: readonly AlertSubscription[];
}

/** Account password policy of {@link IamUsersModel}. */
export interface PasswordPolicyModel {
    /** Minimum length, ≥ 14 (default 14). */
    readonly minimumLength: number;
    /** Number of previous passwords that cannot be reused, 1–24 (default 24). */
    readonly reusePrevention: number;
    /** Maximum age in days, 1–1095 (default 90). */
    readonly maxAgeDays: number;
}

/** An IAM group with its policies, keyed by config key. */
export interface IamGroupModel {
    readonly key: string;
    /** Managed policy ARNs (AWS-managed or customer-managed), sorted. */
    readonly policyArns: readonly string[];
    readonly inlinePolicy?: PolicyDocument;
}

/** An IAM user: permissions only through groups, never inline. */
export interface IamUserModel {
    readonly key: string;
    /** Keys of {@link IamUsersModel.groups}, sorted. */
    readonly groups: readonly string[];
}

/** 2. IAM users of a single account, for small teams without Entra. */
export interface IamUsersModel {
    readonly enabled: boolean;
    /** Account the users live in; absent means the account the program runs in. */
    readonly accountId?: string;
    readonly passwordPolicy: PasswordPolicyModel;
    /** Maximum access-key age before the `access-keys-rotated` Config rule flags it (default 90). */
    readonly accessKeyMaxAgeDays: number;
    readonly groups: readonly IamGroupModel[];
    readonly users: readonly IamUserModel[];
}

/** One cross-account role: lives in `targetAccountId`, trusted by named source accounts or roles. */
export interface CrossAccountRoleModel {
    readonly key: string;
    /** IAM role name (default `idfed-<key>`). */
    readonly roleName: string;
    readonly targetAccountId: string;
    /** Account ids whose principals (with their own IAM permission) may assume the role. */
    readonly sourceAccounts: readonly string[];
    /** Exact role ARNs that may assume the role. */
    readonly sourceRoleArns: readonly string[];
    readonly policyArns: readonly string[];
    /** Require `aws:MultiFactorAuthPresent` (default true). Role sessions never carry MFA: see the README. */
    readonly requireMfa: boolean;
    /** `sts:ExternalId` the caller must pass; treated as a secret and never shown in messages. */
    readonly externalId?: string;
    /** Maximum session, seconds (3600–43200; default 3600). */
    readonly maxSessionDurationSeconds: number;
    /** Create the source-side policy allowing `sts:AssumeRole` on this role in each source account (default true). */
    readonly sourcePolicy: boolean;
}

/** 3. Cross-account switch roles. */
export interface CrossAccountRolesModel {
    readonly enabled: boolean;
    readonly roles: readonly CrossAccountRoleModel[];
}

/** A federated role the SAML StackSet creates in every target account. */
export interface SamlRoleModel {
    readonly key: string;
    /** IAM role name (default `Entra-<key>`). */
    readonly roleName: string;
    readonly policyArns: readonly string[];
    readonly maxSessionDurationSeconds: number;
}

/** 4. An IAM SAML provider plus federated roles in every account of the target OUs, via a StackSet. */
export interface SamlStackSetsModel {
    readonly enabled: boolean;
    /** OU (or root) ids the StackSet deploys to; new accounts there get it automatically. */
    readonly targets: readonly string[];
    /** Name of the IAM SAML provider in each account (default `EntraID`). */
    readonly providerName: string;
    /** The Entra app's federation metadata XML (a template cannot fetch a URL). */
    readonly metadataXml: string;
    /** `inline` or the repo-relative metadata file, for messages. */
    readonly metadataSource: string;
    /** Whether the program runs in the management account (`SELF`) or a delegated administrator (default SELF). */
    readonly callAs: "SELF" | "DELEGATED_ADMIN";
    /** StackSet name (default `idfed-saml-federation`). */
    readonly stackSetName: string;
    readonly roles: readonly SamlRoleModel[];
}

/** Entra PIM for Groups on one federated group. */
export interface PimGroupModel {
    /** Key in `idfed:groups`. */
    readonly groupKey: string;
    /** Entra object ids (users or groups) made eligible for membership. */
    readonly eligibleMembers: readonly string[];
    /** Longest activation, whole hours 1–23 (default 8). */
    readonly maxActivationHours: number;
    readonly requireApproval: boolean;
    /** Entra object ids of approvers (users); required when `requireApproval`. */
    readonly approvers: readonly string[];
    /** Require MFA on activation (default true). */
    readonly requireMfa: boolean;
    /** Require a justification on activation (default true). */
    readonly requireJustification: boolean;
    /** Require ticket information on activation (default false). */
    readonly requireTicketInfo: boolean;
    /** How long an eligibility lasts before it must be renewed: 15, 30, 90, 180 or 365 days (default 180). */
    readonly eligibilityDays: number;
}

/** 5. Just-in-time access (grant `expiresAt` is enforced by the expansion; this adds PIM). */
export interface JitModel {
    readonly enabled: boolean;
    readonly pim: readonly PimGroupModel[];
}

/** 6. Organization trail, its bucket, and user-activity notifications. */
export interface AuditModel {
    readonly enabled: boolean;
    /** Trail name (default `idfed-org-trail`). */
    readonly trailName: string;
    /** Bucket name; absent means `<trailName>-<management account id>`. */
    readonly bucketName?: string;
    /** Days after which log objects move to Glacier (default 90). */
    readonly archiveAfterDays: number;
    /** Days after which log objects expire (default 2555, seven years); greater than `archiveAfterDays`. */
    readonly retentionDays: number;
    readonly alerts: readonly AlertSubscription[];
}

/** 7. Break-glass IAM users outside Entra and Identity Center. */
export interface BreakGlassModel {
    readonly enabled: boolean;
    /** Management or security account the users live in. */
    readonly accountId: string;
    /** IAM user names, sorted (two is the usual number). */
    readonly users: readonly string[];
    /** Managed policies of the break-glass group (default AdministratorAccess). */
    readonly policyArns: readonly string[];
    readonly alerts: readonly AlertSubscription[];
}

/** The validated `idfed:guardrails`. A section is absent when not configured. */
export interface GuardrailsModel {
    /** Role assumed in member accounts (default `OrganizationAccountAccessRole`). */
    readonly accessRoleName: string;
    readonly rootLockdown?: RootLockdownModel;
    readonly iamUsers?: IamUsersModel;
    readonly crossAccountRoles?: CrossAccountRolesModel;
    readonly samlStackSets?: SamlStackSetsModel;
    readonly jit?: JitModel;
    readonly audit?: AuditModel;
    readonly breakGlass?: BreakGlassModel;
}
