/**
 * Minimal models for component tests, built by small factories (never by parsing the example stack files, so
 * editing `Pulumi.prod.yaml` changes no component test). Each factory gives the smallest valid value; a test
 * overrides the fields it is about.
 */
import {
    DEFAULT_APP_DISPLAY_NAME,
    DEFAULT_GALLERY_TEMPLATE_NAME,
    DEFAULT_PROVISION_ON_DEMAND_RULE_ID,
    DEFAULT_SYNC_TEMPLATE_ID,
} from "../../stacks/config/entra";
import {
    CustomerManagedPolicyModel,
    EntraSettings,
    GroupModel,
    Grant,
    OrgTree,
    PermissionSetModel,
    ScimSettings,
} from "../../stacks/model";
import {
    AlertSubscription,
    AuditModel,
    BreakGlassModel,
    CrossAccountRoleModel,
    IamUsersModel,
    PimGroupModel,
    RootLockdownModel,
    SamlStackSetsModel,
} from "../../stacks/model/guardrails";

/** The management account of {@link tinyOrg}. */
export const MANAGEMENT = "111111111111";
/** A member account directly in the Workloads OU of {@link tinyOrg}. */
export const MEMBER = "222222222222";
/** A member account in Workloads/Dev of {@link tinyOrg}. */
export const DEV_MEMBER = "333333333333";
/** The identity store of {@link tinyOrg}. */
export const IDENTITY_STORE = "d-9067000001";
/** The Identity Center instance of {@link tinyOrg}. */
export const INSTANCE_ARN = "arn:aws:sso:::instance/ssoins-7223000000000001";

/** A three-account organization: management at the root, Workloads (one account) with Dev (one account) below. */
export function tinyOrg(): OrgTree {
    return {
        managementAccountId: MANAGEMENT,
        identityStoreId: IDENTITY_STORE,
        instanceArn: INSTANCE_ARN,
        root: "r-ab12",
        trustedAccess: ["sso.amazonaws.com"],
        rootPolicyTypes: ["SERVICE_CONTROL_POLICY"],
        accounts: [{ id: MANAGEMENT, name: "management", tags: {} }],
        ous: [
            {
                id: "ou-ab12-workload",
                name: "Workloads",
                accounts: [{ id: MEMBER, name: "app", tags: {} }],
                ous: [{ id: "ou-ab12-dev00001", name: "Dev", accounts: [{ id: DEV_MEMBER, name: "app-dev", tags: {} }], ous: [] }],
            },
        ],
    };
}

/** A permission set with one AWS-managed policy and nothing else. */
export function permissionSetModel(over: Partial<PermissionSetModel> = {}): PermissionSetModel {
    return {
        key: "read-only",
        name: "ReadOnly",
        sessionDuration: "PT1H",
        managedPolicyArns: ["arn:aws:iam::aws:policy/ReadOnlyAccess"],
        customerManagedPolicies: [],
        tags: {},
        ...over,
    };
}

/** A group idfed creates in Entra. */
export function groupModel(key = "developers", displayName = "AWS-Developers", over: Partial<GroupModel> = {}): GroupModel {
    return { key, source: { kind: "create", displayName }, displayName, owners: [], ...over };
}

/** SCIM settings with the gallery defaults, a 120 s wait starting at 5 s. */
export function scimSettings(over: Partial<ScimSettings> = {}): ScimSettings {
    return {
        endpoint: "https://scim.eu-west-1.amazonaws.com/abc123/scim/v2",
        tokenExpiresAt: "2027-10-31",
        tokenConfigured: true,
        synchronizationTemplateId: DEFAULT_SYNC_TEMPLATE_ID,
        provisionOnDemandRuleId: DEFAULT_PROVISION_ON_DEMAND_RULE_ID,
        groupWaitTimeoutSeconds: 120,
        groupWaitInitialDelaySeconds: 5,
        ...over,
    };
}

/** Entra settings with the gallery defaults and SCIM (pass `scim: undefined` for stage 1). */
export function entraSettings(over: Partial<EntraSettings> = {}): EntraSettings {
    return {
        tenantId: "2b7d9c4e-1f3a-4e5b-8c6d-7e8f9a0b1c2d",
        appDisplayName: DEFAULT_APP_DISPLAY_NAME,
        galleryTemplateName: DEFAULT_GALLERY_TEMPLATE_NAME,
        appRole: "User",
        saml: {
            entityId: `https://eu-west-1.signin.aws.amazon.com/platform/saml/${IDENTITY_STORE}`,
            acsUrl: "https://eu-west-1.signin.aws.amazon.com/platform/saml/acs/9c8b7a6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d",
            notificationEmails: ["identity-team@example.com"],
            certificateYears: 3,
        },
        scim: scimSettings(),
        ...over,
    };
}

/** A grant (`account/group/permission set`) given by rule 0. */
export function grant(accountId: string, groupKey: string, permissionSetKey: string, expiresAt?: string): Grant {
    return { accountId, groupKey, permissionSetKey, rules: [0], ...(expiresAt !== undefined ? { expiresAt } : {}) };
}

/** A customer-managed policy under `/idfed/`. */
export function customerPolicy(
    name = "idfed-developer-boundary",
    over: Partial<CustomerManagedPolicyModel> = {},
): CustomerManagedPolicyModel {
    return {
        name,
        path: "/idfed/",
        source: "inline",
        document: { Version: "2012-10-17", Statement: [{ Effect: "Deny", Action: "iam:CreateUser", Resource: "*" }] },
        ...over,
    };
}

/** An e-mail alert subscription. */
export function email(address = "security@example.com"): AlertSubscription {
    return { protocol: "email", endpoint: address };
}

/** Root lock-down on the org root, no exemptions, one e-mail alert. */
export function rootLockdownModel(over: Partial<RootLockdownModel> = {}): RootLockdownModel {
    return { enabled: true, targets: [], exemptAccounts: [], alerts: [email()], ...over };
}

/** IAM users in the management account with the default password policy, no groups and no users. */
export function iamUsersModel(over: Partial<IamUsersModel> = {}): IamUsersModel {
    return {
        enabled: true,
        passwordPolicy: { minimumLength: 14, reusePrevention: 24, maxAgeDays: 90 },
        accessKeyMaxAgeDays: 90,
        groups: [],
        users: [],
        ...over,
    };
}

/** A cross-account role in {@link MEMBER} trusted by {@link DEV_MEMBER}, MFA required, one hour. */
export function crossAccountRole(key = "deploy", over: Partial<CrossAccountRoleModel> = {}): CrossAccountRoleModel {
    return {
        key,
        roleName: `idfed-${key}`,
        targetAccountId: MEMBER,
        sourceAccounts: [DEV_MEMBER],
        sourceRoleArns: [],
        policyArns: [],
        requireMfa: true,
        maxSessionDurationSeconds: 3600,
        sourcePolicy: true,
        ...over,
    };
}

/** A SAML StackSet to the Workloads OU with one read-only role. */
export function samlStackSetsModel(over: Partial<SamlStackSetsModel> = {}): SamlStackSetsModel {
    return {
        enabled: true,
        targets: ["ou-ab12-workload"],
        providerName: "EntraID",
        callAs: "SELF",
        stackSetName: "idfed-saml-federation",
        metadataXml: '<EntityDescriptor xmlns="urn:oasis:names:tc:SAML:2.0:metadata" entityID="https://sts.windows.net/x/"/>',
        metadataSource: "inline",
        roles: [
            {
                key: "read-only",
                roleName: "Entra-read-only",
                policyArns: ["arn:aws:iam::aws:policy/ReadOnlyAccess"],
                maxSessionDurationSeconds: 3600,
            },
        ],
        ...over,
    };
}

/** PIM on one group: one eligible member, MFA and approval by one approver, 90-day eligibility. */
export function pimGroup(groupKey = "oncall", over: Partial<PimGroupModel> = {}): PimGroupModel {
    return {
        groupKey,
        eligibleMembers: ["4c1f0e0a-0000-4000-8000-000000000001"],
        maxActivationHours: 8,
        requireApproval: true,
        approvers: ["4c1f0e0a-0000-4000-8000-0000000000a1"],
        requireMfa: true,
        requireJustification: true,
        requireTicketInfo: false,
        eligibilityDays: 90,
        ...over,
    };
}

/** The audit trail with its defaults and one e-mail alert. */
export function auditModel(over: Partial<AuditModel> = {}): AuditModel {
    return { enabled: true, trailName: "idfed-org-trail", archiveAfterDays: 90, retentionDays: 2555, alerts: [email()], ...over };
}

/** Two break-glass users in the management account with AdministratorAccess. */
export function breakGlassModel(over: Partial<BreakGlassModel> = {}): BreakGlassModel {
    return {
        enabled: true,
        accountId: MANAGEMENT,
        users: ["breakglass-1", "breakglass-2"],
        policyArns: ["arn:aws:iam::aws:policy/AdministratorAccess"],
        alerts: [email()],
        ...over,
    };
}
