/**
 * The validated stack model: what `stacks/config/` produces from the `idfed:*` config and what the
 * components consume. Pure types, no Pulumi resources. Every collection is keyed by a stable config key.
 */

import type { PolicyDocument } from "./policy-document";
import type { GuardrailsModel } from "./guardrails";
import type { ShardModel } from "./shard";

export type { GuardrailsModel, ShardModel };
import type { GitOpsModel } from "./gitops";
import type { OrgSnapshot } from "./snapshot";

/** Settings of `idfed:removalGuard` (parsed and applied by `stacks/config/removal-guard.ts`). */
export interface RemovalGuardModel {
    /** Assignments an update may remove without acknowledgement, whatever the share (default 5). */
    readonly maxRemovals: number;
    /** Share of the deployed assignments an update may remove without acknowledgement, percent (default 10). */
    readonly maxSharePercent: number;
    /** Fingerprint of a reviewed removal (as the refusal prints it) that may go through. */
    readonly acknowledge?: string;
}

/** Environment class of a stack; `prod` turns on the stricter rules (token required, no user grants…). */
export type Environment = "dev" | "test" | "staging" | "prod";

/** SAML settings of the Entra enterprise app, copied from the Identity Center console (one-time step). */
export interface SamlSettings {
    /** Identity Center's SAML audience / entity id (the app's identifier URI). */
    readonly entityId: string;
    /** Identity Center's assertion consumer service (ACS) URL (the app's reply URL). */
    readonly acsUrl: string;
    /** Identity Center's sign-in URL (the user portal), if set. */
    readonly signOnUrl?: string;
    /** Relay state for IdP-initiated sign-on, if set. */
    readonly relayState?: string;
    /** Addresses notified before the SAML signing certificate expires. */
    readonly notificationEmails: readonly string[];
    /** Validity of the SAML token-signing certificate, in whole years (1–3; default 3). */
    readonly certificateYears: number;
    /**
     * Day the current token-signing certificate was issued (ISO date). Its end date is this day plus
     * `certificateYears`; changing it is the rotation (a new certificate with a fresh end date).
     */
    readonly certificateIssuedOn?: string;
}

/** SCIM provisioning settings: endpoint and token come from the Identity Center console. */
export interface ScimSettings {
    /** Identity Center's SCIM endpoint, `https://scim.<region>.amazonaws.com/<id>/scim/v2`. */
    readonly endpoint: string;
    /** Expiry of the SCIM access token (Identity Center issues tokens valid for one year), ISO date. */
    readonly tokenExpiresAt: string;
    /** Whether a SCIM token was configured (`idfed:scimToken`); required in prod. */
    readonly tokenConfigured: boolean;
    /** Synchronization template id of the gallery app's provisioning job (default `aWSSingleSignon`). */
    readonly synchronizationTemplateId: string;
    /**
     * Synchronization rule id used to request provisioning on demand for each group (default the gallery
     * template's `03f7d90d-bf71-41b1-bda6-aaf0ddbee5d8`).
     */
    readonly provisionOnDemandRuleId: string;
    /** How long to wait for SCIM to create a group in the identity store, seconds (default 600). */
    readonly groupWaitTimeoutSeconds: number;
    /** First delay between identity-store lookups, seconds (default 5); doubles up to 60 s. */
    readonly groupWaitInitialDelaySeconds: number;
}

/** The Entra side of the federation. */
export interface EntraSettings {
    /** Entra tenant id (GUID). */
    readonly tenantId: string;
    /** Display name of the enterprise app created from the gallery. */
    readonly appDisplayName: string;
    /** Display name of the Entra gallery template (default "AWS IAM Identity Center (successor to AWS Single Sign-On)"). */
    readonly galleryTemplateName: string;
    /** Display name of the app role groups are assigned with (default `User`; the gallery app's roles have no value). */
    readonly appRole: string;
    readonly saml: SamlSettings;
    /** SCIM provisioning; absent in stage 1 of the rollout (before the Identity Center console step). */
    readonly scim?: ScimSettings;
}

/** How the Entra group of a federated group is obtained. */
export type EntraGroupSource =
    | { readonly kind: "create"; readonly displayName: string }
    | { readonly kind: "existingById"; readonly objectId: string; readonly displayName: string }
    | { readonly kind: "existingByName"; readonly displayName: string };

/** A group federated from Entra into Identity Center, keyed by its config key. */
export interface GroupModel {
    /** Stable config key (resource names derive from it). */
    readonly key: string;
    readonly source: EntraGroupSource;
    /** Display name in Entra, and so the display name SCIM gives the Identity Center group. */
    readonly displayName: string;
    readonly description?: string;
    /** Entra object ids of the group's owners (created groups only). */
    readonly owners: readonly string[];
}

/** A customer-managed IAM policy reference, by name and path, that must exist in each target account. */
export interface CustomerManagedPolicyRef {
    readonly name: string;
    /** IAM path, `/` by default; starts and ends with `/`. */
    readonly path: string;
}

/** A customer-managed policy idfed creates in the accounts whose assignments use it (`idfed:customerManagedPolicies`). */
export interface CustomerManagedPolicyModel {
    /** IAM policy name (the config key). */
    readonly name: string;
    /** IAM path (default `/`). */
    readonly path: string;
    readonly description?: string;
    readonly document: PolicyDocument;
    /** `inline` or the repository path of the document, for messages. */
    readonly source: string;
}

/** Permissions boundary of a permission set: an AWS-managed policy, or a customer-managed reference. */
export type PermissionsBoundary =
    | { readonly kind: "managed"; readonly managedPolicyArn: string }
    | { readonly kind: "customerManaged"; readonly policy: CustomerManagedPolicyRef };

export type { PolicyDocument };

/** A permission set, keyed by its config key. */
export interface PermissionSetModel {
    readonly key: string;
    /** Permission set name in Identity Center (≤ 32 chars of `[\w+=,.@-]`). */
    readonly name: string;
    readonly description?: string;
    /** ISO-8601 duration, PT1H–PT12H (default PT1H). */
    readonly sessionDuration: string;
    readonly relayState?: string;
    /** AWS-managed policy ARNs, sorted, unique. */
    readonly managedPolicyArns: readonly string[];
    /** Customer-managed policy references, sorted by path+name, unique. */
    readonly customerManagedPolicies: readonly CustomerManagedPolicyRef[];
    /** Inline policy, if any, as a parsed document. */
    readonly inlinePolicy?: PolicyDocument;
    /** Where the inline policy came from (`inline` or the repo-relative file path), for messages. */
    readonly inlinePolicySource?: string;
    readonly permissionsBoundary?: PermissionsBoundary;
    readonly tags: Readonly<Record<string, string>>;
}

/** Targets of one assignment rule. */
export interface AssignmentTargets {
    /** OU ids (or the org root id `r-xxxx`). */
    readonly ous: readonly string[];
    /** Take every account below the OUs (default true); false = only the OUs' direct child accounts. */
    readonly recursive: boolean;
    /** Explicit account ids. */
    readonly accounts: readonly string[];
    /** Every account whose tags contain all these key/value pairs (a value of `*` matches any value). */
    readonly accountTags?: Readonly<Record<string, string>>;
}

/** Exclusions applied after targets are expanded. */
export interface AssignmentExclusions {
    readonly accounts: readonly string[];
    /** OUs whose accounts (recursively) are excluded. */
    readonly ous: readonly string[];
}

/** One `idfed:assignments[]` rule: group + permission set + where. */
export interface AssignmentRule {
    /** Position in `idfed:assignments`, for messages only (never for names). */
    readonly index: number;
    readonly group: string;
    readonly permissionSet: string;
    readonly targets: AssignmentTargets;
    readonly exclude: AssignmentExclusions;
    /** ISO-8601 instant after which the grant is no longer created (time-bound access). */
    readonly expiresAt?: string;
    /** Free text on why the access exists (shown in reviews). */
    readonly reason?: string;
}

/** The validated stack model. */
export interface StackModel {
    readonly environment: Environment;
    readonly entra: EntraSettings;
    readonly groups: readonly GroupModel[];
    readonly permissionSets: readonly PermissionSetModel[];
    readonly assignments: readonly AssignmentRule[];
    /** Allow the management account as an assignment target (default false). */
    readonly allowManagementAccount: boolean;
    /** This stack's part in a sharded deployment (`idfed:shard`; default: one stack owns everything). */
    readonly shard: ShardModel;
    /** The cloud side of the GitOps credentials (`idfed:gitops`; default not managed here). */
    readonly gitops: GitOpsModel;
    /** `idfed:customerManagedPolicies`: policies idfed creates in the accounts whose assignments use them. */
    readonly customerManagedPolicies: readonly CustomerManagedPolicyModel[];
    /** `idfed:guardrails`, validated by `parseGuardrailsHook` in `stacks/config/guardrails.ts`; absent when not configured. */
    readonly guardrails?: GuardrailsModel;
    /** `idfed:removalGuard`: how many assignments an update may remove before it is refused (defaults apply). */
    readonly removalGuard: RemovalGuardModel;
    /**
     * ARN of the AWS Secrets Manager secret holding the SCIM token (`idfed:scimTokenSecretArn`), read only by the
     * deploy identity during `pulumi up`; absent when the token is stack config (`idfed:scimToken`).
     */
    readonly scimTokenSecretArn?: string;
}

/** An AWS account as the organization reports it. */
export interface OrgAccount {
    readonly id: string;
    readonly name: string;
    readonly tags: Readonly<Record<string, string>>;
    /**
     * Account state (`ACTIVE`, `SUSPENDED`, `PENDING_ACTIVATION`, `PENDING_CLOSURE`, `CLOSED`); only ACTIVE
     * accounts are targets. Absent means ACTIVE (fixtures written before AWS retired `Status`).
     */
    readonly state?: string;
}

/** An organizational unit with its direct accounts and nested OUs. */
export interface OrgUnit {
    readonly id: string;
    readonly name: string;
    readonly accounts: readonly OrgAccount[];
    readonly ous: readonly OrgUnit[];
}

/** The organization as the fixture describes it, or as built from the Organizations invokes. */
export interface OrgTree {
    readonly managementAccountId: string;
    readonly identityStoreId: string;
    readonly instanceArn: string;
    /** Root id `r-xxxx`. */
    readonly root: string;
    /** Accounts directly under the root (the management account usually is one). */
    readonly accounts: readonly OrgAccount[];
    readonly ous: readonly OrgUnit[];
    /**
     * Service principals with trusted access to the organization (`awsServiceAccessPrincipals` of
     * `getOrganization`, e.g. `sso.amazonaws.com`); absent when the fixture does not record them.
     */
    readonly trustedAccess?: readonly string[];
    /** Policy types ENABLED on the root (e.g. `SERVICE_CONTROL_POLICY`); absent when the fixture does not record them. */
    readonly rootPolicyTypes?: readonly string[];
    /** What the org snapshot records beyond the tree (SCPs, Identity Center today), when the fixture has it. */
    readonly snapshot?: OrgSnapshot;
}

/** One account assignment to create: the unit of access. */
export interface Grant {
    readonly accountId: string;
    readonly groupKey: string;
    readonly permissionSetKey: string;
    /** Latest expiry among the unexpired rules that give this grant (access lasts while any rule gives it); absent when any rule gives it without expiry. */
    readonly expiresAt?: string;
    /** Indexes of the `idfed:assignments` rules that give this grant. */
    readonly rules: readonly number[];
}

/** Result of expanding assignment rules over the org tree. */
export interface Expansion {
    /** Live grants, sorted by (accountId, groupKey, permissionSetKey). */
    readonly grants: readonly Grant[];
    /** Grants left out because every rule giving them has expired. */
    readonly expired: readonly Grant[];
    /** Notes for the plan: rules that match no account, suspended accounts skipped, etc. */
    readonly notes: readonly string[];
}

/** One validation problem: the key path, the bad value, and what is allowed or how to fix it. */
export interface ConfigIssue {
    /** Key path, e.g. `idfed:assignments[3].ous[0]`. */
    readonly path: string;
    /** The full message, naming the path in backticks, the value and the fix. */
    readonly message: string;
}

/** Thrown (once, with every problem) when config or fixture is invalid. */
export class ConfigError extends Error {
    /** How many problems the message lists; the rest are counted (every one stays in `issues`). */
    static readonly SHOWN = 50;

    constructor(
        readonly issues: readonly ConfigIssue[],
        readonly source = "config",
    ) {
        super(
            `invalid ${source} (${issues.length} problem${issues.length === 1 ? "" : "s"}):\n` +
                issues
                    .slice(0, ConfigError.SHOWN)
                    .map((i) => `  - ${i.message}`)
                    .join("\n") +
                (issues.length > ConfigError.SHOWN ? `\n  … and ${issues.length - ConfigError.SHOWN} more (fix these first)` : ""),
        );
        this.name = "ConfigError";
    }
}
