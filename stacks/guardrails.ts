/**
 * `idfed:guardrails`: the older and complementary ways of AWS access (root lock-down, IAM users, cross-account
 * roles, SAML via StackSets, just-in-time access, audit, break-glass), each a sub-object with `enabled`
 * (default false, so nothing that changes an organization happens by accident). This module holds the typed
 * model and {@link parseGuardrailsHook}; the section parsers live in `guardrails-sections.ts`. Pure, no Pulumi.
 */
import { OrgTree, PolicyDocument } from "./model";
import {
    parseAudit, ROLE_NAME_RE, parseBreakGlass, parseCrossAccountRoles, parseIamUsers, parseJit, parseRootLockdown, parseSamlStackSets,
} from "./guardrails-sections";
import { checkKeys, expectObject, Issues, str } from "./validate";

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

/** What the guardrails parser needs from the rest of the config. */
export interface GuardrailsContext {
    /** Valid keys of `idfed:groups` (for `jit.pim`); unchecked when absent. */
    readonly groupKeys?: ReadonlySet<string>;
    /** Repository root for `samlStackSets.metadataFile` (default the current directory). */
    readonly projectRoot?: string;
    /** Reads a file as UTF-8 text (default `fs.readFileSync`). */
    readonly readFile?: (absPath: string) => string;
}

/** Keys accepted under `idfed:guardrails`. */
export const GUARDRAIL_KEYS = ["accessRoleName", "rootLockdown", "iamUsers", "crossAccountRoles", "samlStackSets", "jit",
    "audit", "breakGlass"] as const;

export { ROLE_NAME_RE } from "./guardrails-sections";

/**
 * Validates `idfed:guardrails` into a {@link GuardrailsModel}, recording every problem in `issues` (reported
 * with all other config errors). Returns undefined when the value is absent or not a mapping.
 */
export function parseGuardrailsHook(value: unknown, path: string, issues: Issues, ctx: GuardrailsContext = {}): GuardrailsModel | undefined {
    if (value === undefined || value === null) return undefined;
    const o = expectObject(value, path, issues);
    if (!o) return undefined;
    checkKeys(o, GUARDRAIL_KEYS, path, issues);
    const accessRoleName = str(o, "accessRoleName", path, issues, { pattern: ROLE_NAME_RE, expected: "an IAM role name" }) ??
        "OrganizationAccountAccessRole";
    const section = <T>(key: (typeof GUARDRAIL_KEYS)[number], parse: (v: unknown, p: string) => T | undefined): { [k: string]: T } => {
        const v = Object.prototype.hasOwnProperty.call(o, key) ? o[key] : undefined;
        if (v === undefined || v === null) return {};
        const r = parse(v, `${path}.${key}`);
        return r === undefined ? {} : { [key]: r };
    };
    return {
        accessRoleName,
        ...section("rootLockdown", (v, p) => parseRootLockdown(v, p, issues)),
        ...section("iamUsers", (v, p) => parseIamUsers(v, p, issues, ctx)),
        ...section("crossAccountRoles", (v, p) => parseCrossAccountRoles(v, p, issues)),
        ...section("samlStackSets", (v, p) => parseSamlStackSets(v, p, issues, ctx)),
        ...section("jit", (v, p) => parseJit(v, p, issues, ctx)),
        ...section("audit", (v, p) => parseAudit(v, p, issues)),
        ...section("breakGlass", (v, p) => parseBreakGlass(v, p, issues)),
    } as GuardrailsModel;
}

/** Everything the org-level checks need from the organization. */
export interface GuardrailsOrgView {
    readonly root: string;
    readonly ouIds: ReadonlySet<string>;
    readonly accountIds: ReadonlySet<string>;
}

/**
 * Checks the enabled guardrails against the organization: target OUs exist, accounts are members. Returns
 * one message per problem, naming the key path (empty when everything resolves).
 */
export function checkGuardrailsAgainstOrg(g: GuardrailsModel, org: GuardrailsOrgView, path = "idfed:guardrails"): string[] {
    const out: string[] = [];
    const ou = (id: string, p: string) => {
        if (id !== org.root && !org.ouIds.has(id)) out.push(`\`${p}\`: \`${id}\` is not an OU of the organization (root ${org.root})`);
    };
    const acct = (id: string, p: string) => {
        if (!org.accountIds.has(id)) out.push(`\`${p}\`: \`${id}\` is not an account of the organization`);
    };
    if (g.rootLockdown?.enabled) g.rootLockdown.targets.forEach((t, i) => ou(t, `${path}.rootLockdown.targets[${i}]`));
    if (g.samlStackSets?.enabled) g.samlStackSets.targets.forEach((t, i) => ou(t, `${path}.samlStackSets.targets[${i}]`));
    if (g.breakGlass?.enabled) acct(g.breakGlass.accountId, `${path}.breakGlass.accountId`);
    if (g.iamUsers?.enabled && g.iamUsers.accountId !== undefined) acct(g.iamUsers.accountId, `${path}.iamUsers.accountId`);
    if (g.crossAccountRoles?.enabled) {
        for (const r of g.crossAccountRoles.roles) acct(r.targetAccountId, `${path}.crossAccountRoles.roles.${r.key}.targetAccountId`);
    }
    return out;
}

/** The {@link GuardrailsOrgView} of an org tree. */
export function orgView(org: OrgTree): GuardrailsOrgView {
    const ouIds = new Set<string>();
    const accountIds = new Set<string>(org.accounts.map((a) => a.id));
    const walk = (ous: OrgTree["ous"]) => {
        for (const u of ous) {
            ouIds.add(u.id);
            for (const a of u.accounts) accountIds.add(a.id);
            walk(u.ous);
        }
    };
    walk(org.ous);
    return { root: org.root, ouIds, accountIds };
}
