/**
 * Which actions matter and why: sensitive services, privilege-escalation actions, Identity Center takeover
 * actions, secret reads and compute-creating actions. Each action gets a bit set of flags once, when the
 * catalog index is built.
 */
import { CREDENTIAL_ACTIONS, DANGEROUS_ACTIONS, TAKEOVER_WORKLOAD_ACTIONS } from "./risky-actions";

/** Flags precomputed per catalog action (a bit set). */
export const ActionFlag = {
    /** Write, Permissions management or Tagging. */
    WriteLike: 1,
    /** The action's service is in {@link SENSITIVE_SERVICES}. */
    SensitiveService: 2,
    /** A privilege-escalation action when allowed on a broad resource. */
    Escalation: 4,
    /** `iam:PassRole`. */
    PassRole: 8,
    /** Creates or reconfigures compute that runs with a passed role. */
    Compute: 16,
    /** Identity Center / identity store / SAML / Organizations write: takes over who gets access. */
    Takeover: 32,
    /** Reads a secret's plaintext. */
    SecretRead: 64,
    /** Permissions management level. */
    PermissionsManagement: 128,
    /** A Write / Permissions management / Tagging action of a sensitive service. */
    SensitiveWrite: 256,
    /** Write-like and not named as a read (`Get*`, `List*`, `Describe*`): changes state (for write-on-`*`). */
    StateChange: 512,
    /** A named dangerous action on `*` (see `risky-actions.ts`). */
    Dangerous: 1024,
    /** Takes over an existing workload and its role. */
    WorkloadTakeover: 2048,
    /** Returns credentials (beyond {@link ActionFlag.SecretRead}). */
    Credential: 4096,
} as const;

/** Services whose write access on `*` is never acceptable in a document. */
export const SENSITIVE_SERVICES: ReadonlySet<string> = new Set([
    "iam",
    "sts",
    "organizations",
    "sso",
    "sso-directory",
    "identitystore",
    "identity-sync",
    "kms",
    "secretsmanager",
    "ssm",
    "account",
    "cloudtrail",
    "config",
    "guardduty",
    "securityhub",
    "access-analyzer",
    "ram",
    "lambda",
    "cloudformation",
    "ec2",
    "s3",
    "ds",
]);

/** Privilege-escalation actions (lower-case), flagged when allowed on `*` or every principal of a kind. */
export const ESCALATION_ACTIONS: ReadonlySet<string> = new Set([
    "iam:createpolicyversion",
    "iam:setdefaultpolicyversion",
    "iam:attachuserpolicy",
    "iam:attachgrouppolicy",
    "iam:attachrolepolicy",
    "iam:putuserpolicy",
    "iam:putgrouppolicy",
    "iam:putrolepolicy",
    "iam:createaccesskey",
    "iam:createloginprofile",
    "iam:updateloginprofile",
    "iam:updateassumerolepolicy",
    "iam:addusertogroup",
    "iam:putrolepermissionsboundary",
    "iam:deleterolepermissionsboundary",
    "iam:putuserpermissionsboundary",
    "iam:deleteuserpermissionsboundary",
]);

/** Escalation actions that an `iam:PermissionsBoundary` or `iam:PolicyARN` condition makes safe. */
export const BOUNDABLE_ESCALATIONS: ReadonlySet<string> = new Set([
    "iam:attachuserpolicy",
    "iam:attachgrouppolicy",
    "iam:attachrolepolicy",
    "iam:putuserpolicy",
    "iam:putgrouppolicy",
    "iam:putrolepolicy",
    "iam:putrolepermissionsboundary",
    "iam:putuserpermissionsboundary",
]);

/** Actions that create or reconfigure compute running with a role passed through `iam:PassRole`. */
export const COMPUTE_ACTIONS: ReadonlySet<string> = new Set([
    "ec2:runinstances",
    "ec2:requestspotinstances",
    "ec2:createlaunchtemplate",
    "ec2:createlaunchtemplateversion",
    "autoscaling:createlaunchconfiguration",
    "autoscaling:createautoscalinggroup",
    "lambda:createfunction",
    "lambda:updatefunctionconfiguration",
    "ecs:runtask",
    "ecs:starttask",
    "ecs:registertaskdefinition",
    "ecs:createservice",
    "ecs:updateservice",
    "glue:createdevendpoint",
    "glue:updatedevendpoint",
    "glue:createjob",
    "glue:updatejob",
    "glue:createsession",
    "cloudformation:createstack",
    "cloudformation:updatestack",
    "cloudformation:createstackset",
    "cloudformation:createchangeset",
    "datapipeline:createpipeline",
    "sagemaker:createnotebookinstance",
    "sagemaker:createtrainingjob",
    "sagemaker:createprocessingjob",
    "codebuild:createproject",
    "codebuild:updateproject",
    "batch:submitjob",
    "batch:registerjobdefinition",
    "states:createstatemachine",
    "apprunner:createservice",
    "elasticbeanstalk:createenvironment",
    "eks:createnodegroup",
    "emr-containers:startjobrun",
    "elasticmapreduce:runjobflow",
    "scheduler:createschedule",
    "events:putrule",
]);

/** Identity Center takeover: who-gets-access writes (lower-case). Any organizations write is added too. */
export const TAKEOVER_ACTIONS: ReadonlySet<string> = new Set([
    "sso:createaccountassignment",
    "sso:putinlinepolicytopermissionset",
    "sso:attachmanagedpolicytopermissionset",
    "sso:attachcustomermanagedpolicyreferencetopermissionset",
    "sso:createpermissionset",
    "sso:updatepermissionset",
    "sso:provisionpermissionset",
    "sso:deletepermissionsboundaryfrompermissionset",
    "sso:createinstanceaccesscontrolattributeconfiguration",
    "sso:updateinstanceaccesscontrolattributeconfiguration",
    "sso:createapplicationassignment",
    "sso:putapplicationassignmentconfiguration",
    "sso:createtrustedtokenissuer",
    "sso:updatetrustedtokenissuer",
    "sso:putpermissionspolicy",
    "sso:associatedirectory",
    "sso:createmanagedapplicationinstance",
    "identitystore:creategroupmembership",
    "identitystore:updategroup",
    "identitystore:createuser",
    "identitystore:updateuser",
    "sso-directory:addmembertogroup",
    "sso-directory:createuser",
    "iam:createsamlprovider",
    "iam:updatesamlprovider",
    "iam:createopenidconnectprovider",
    "iam:updateopenidconnectproviderthumbprint",
    "iam:addclientidtoopenidconnectprovider",
]);

/** Actions that read secret plaintext (lower-case). */
export const SECRET_READ_ACTIONS: ReadonlySet<string> = new Set([
    "secretsmanager:getsecretvalue",
    "secretsmanager:batchgetsecretvalue",
    "ssm:getparameter",
    "ssm:getparameters",
    "ssm:getparametersbypath",
    "ssm:getparameterhistory",
    "kms:decrypt",
]);

/** Computes the flags of one action from its lower-case key and access level. */
export function flagsFor(key: string, level: string): number {
    const svc = key.slice(0, key.indexOf(":"));
    let f = 0;
    if (level === "Write" || level === "Permissions management" || level === "Tagging") f |= ActionFlag.WriteLike;
    if (level === "Permissions management") f |= ActionFlag.PermissionsManagement;
    if (SENSITIVE_SERVICES.has(svc)) f |= ActionFlag.SensitiveService;
    if (SENSITIVE_SERVICES.has(svc) && f & ActionFlag.WriteLike) f |= ActionFlag.SensitiveWrite;
    if (ESCALATION_ACTIONS.has(key)) f |= ActionFlag.Escalation;
    if (key === "iam:passrole") f |= ActionFlag.PassRole;
    if (COMPUTE_ACTIONS.has(key)) f |= ActionFlag.Compute;
    if (TAKEOVER_ACTIONS.has(key) || (svc === "organizations" && f & ActionFlag.WriteLike)) f |= ActionFlag.Takeover;
    if (SECRET_READ_ACTIONS.has(key)) f |= ActionFlag.SecretRead;
    if (f & ActionFlag.WriteLike && !/^(get|list|describe|batchget)/.test(key.slice(svc.length + 1))) f |= ActionFlag.StateChange;
    if (DANGEROUS_ACTIONS.has(key)) f |= ActionFlag.Dangerous;
    if (TAKEOVER_WORKLOAD_ACTIONS.has(key)) f |= ActionFlag.WorkloadTakeover;
    if (CREDENTIAL_ACTIONS.has(key)) f |= ActionFlag.Credential;
    return f;
}

/**
 * Condition keys that scope a statement to tagged / owned resources (ABAC), lower-case prefixes. A statement
 * carrying one is not "unscoped" for service-wildcard and secret-read findings.
 */
export function hasScopingCondition(conditionKeys: readonly string[]): boolean {
    return conditionKeys.some(
        (k) =>
            /(^|:)resourcetag\//.test(k) ||
            k === "aws:resourceaccount" ||
            k === "aws:resourceorgid" ||
            k === "aws:resourceorgpaths" ||
            k === "kms:viaservice" ||
            k.startsWith("kms:encryptioncontext:") ||
            k === "secretsmanager:secretid" ||
            k === "s3:prefix" ||
            k === "aws:sourcevpce" ||
            k === "aws:sourcevpc",
    );
}
