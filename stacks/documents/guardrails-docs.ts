/**
 * The IAM documents, event patterns and CloudFormation template of the guardrails, as typed objects built by
 * pure functions (tested without Pulumi) and serialized with sorted keys by {@link stablePolicyJson}.
 */
import type { PolicyDocument } from "@pulumi/aws/iam";
import type { CrossAccountRoleModel, SamlStackSetsModel } from "../model/guardrails";
import { stablePolicyJson } from "./policy-json";

export { stablePolicyJson };

/** Audience every AWS SAML role must require (`SAML:aud`). */
export const SAML_AUDIENCE = "https://signin.aws.amazon.com/saml";
/** Principal ARN pattern of every account's root user. */
export const ROOT_PRINCIPAL_PATTERN = "arn:aws:iam::*:root";

/** SCP: deny every action by a member account's root user, except in `exemptAccounts`. */
export function rootDenyScp(exemptAccounts: readonly string[]): PolicyDocument {
    const condition: Record<string, Record<string, string | string[]>> = {
        StringLike: { "aws:PrincipalArn": [ROOT_PRINCIPAL_PATTERN] },
    };
    if (exemptAccounts.length > 0) condition.StringNotEquals = { "aws:PrincipalAccount": [...exemptAccounts] };
    return {
        Version: "2012-10-17",
        Statement: [{ Sid: "DenyRootUser", Effect: "Deny", Action: "*", Resource: "*", Condition: condition }],
    };
}

/** Actions a user may take without MFA: enough to enrol an MFA device and change their own password. */
export const MFA_SELF_SERVICE_ACTIONS = [
    "iam:ChangePassword",
    "iam:CreateVirtualMFADevice",
    "iam:EnableMFADevice",
    "iam:GetAccountPasswordPolicy",
    "iam:GetUser",
    "iam:ListMFADevices",
    "iam:ListVirtualMFADevices",
    "iam:ResyncMFADevice",
    "sts:GetSessionToken",
];

/**
 * The MFA-required pattern: users may manage only their own MFA device and password, and everything else is
 * denied while `aws:MultiFactorAuthPresent` is false or absent. `userPath` is the users' IAM path (`/idfed/`).
 */
export function mfaRequiredPolicy(userPath = "/", partition = "aws"): PolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "AllowOwnMfaAndPassword",
                Effect: "Allow",
                Action: [
                    "iam:ChangePassword",
                    "iam:CreateVirtualMFADevice",
                    "iam:EnableMFADevice",
                    "iam:GetUser",
                    "iam:ListMFADevices",
                    "iam:ResyncMFADevice",
                ],
                Resource: [`arn:${partition}:iam::*:user${userPath}\${aws:username}`, `arn:${partition}:iam::*:mfa/\${aws:username}`],
            },
            {
                Sid: "DenyAllExceptMfaSelfServiceWithoutMfa",
                Effect: "Deny",
                NotAction: [...MFA_SELF_SERVICE_ACTIONS],
                Resource: "*",
                Condition: { BoolIfExists: { "aws:MultiFactorAuthPresent": "false" } },
            },
        ],
    };
}

/** ARN of a role by account and name. */
export function roleArn(accountId: string, roleName: string, partition = "aws"): string {
    return `arn:${partition}:iam::${accountId}:role/${roleName}`;
}

/** Trust policy of a cross-account role: the named accounts/roles, with MFA and/or ExternalId conditions. */
export function crossAccountTrust(role: CrossAccountRoleModel, partition = "aws"): PolicyDocument {
    const principals = [...role.sourceAccounts.map((a) => `arn:${partition}:iam::${a}:root`), ...role.sourceRoleArns];
    const condition: Record<string, Record<string, string>> = {};
    if (role.requireMfa) condition.Bool = { "aws:MultiFactorAuthPresent": "true" };
    if (role.externalId !== undefined) condition.StringEquals = { "sts:ExternalId": role.externalId };
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "AllowNamedSources",
                Effect: "Allow",
                Action: "sts:AssumeRole",
                Principal: { AWS: principals },
                ...(Object.keys(condition).length > 0 ? { Condition: condition } : {}),
            },
        ],
    };
}

/** Source-side identity policy: `sts:AssumeRole` on exactly these role ARNs. */
export function assumeRolesPolicy(roleArns: readonly string[]): PolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [{ Sid: "AssumeNamedRoles", Effect: "Allow", Action: "sts:AssumeRole", Resource: [...roleArns].sort() }],
    };
}

/** Inputs of the audit bucket and key policies. */
export interface AuditPolicyInputs {
    readonly bucketName: string;
    /** Account that owns the trail, bucket and key (the management account). */
    readonly accountId: string;
    /** ARN of the organization trail. */
    readonly trailArn: string;
    readonly partition?: string;
}

/** Bucket policy: TLS only, nobody deletes logs, CloudTrail may write only for this trail. */
export function auditBucketPolicy(i: AuditPolicyInputs): PolicyDocument {
    const p = i.partition ?? "aws";
    const bucket = `arn:${p}:s3:::${i.bucketName}`;
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "DenyInsecureTransport",
                Effect: "Deny",
                Principal: "*",
                Action: "s3:*",
                Resource: [bucket, `${bucket}/*`],
                Condition: { Bool: { "aws:SecureTransport": "false" } },
            },
            {
                Sid: "DenyLogDeletion",
                Effect: "Deny",
                Principal: "*",
                Action: ["s3:DeleteBucket", "s3:DeleteObject", "s3:DeleteObjectVersion"],
                Resource: [bucket, `${bucket}/*`],
            },
            {
                Sid: "CloudTrailAclCheck",
                Effect: "Allow",
                Principal: { Service: "cloudtrail.amazonaws.com" },
                Action: "s3:GetBucketAcl",
                Resource: bucket,
                Condition: { StringEquals: { "aws:SourceArn": i.trailArn } },
            },
            {
                Sid: "CloudTrailWrite",
                Effect: "Allow",
                Principal: { Service: "cloudtrail.amazonaws.com" },
                Action: "s3:PutObject",
                Resource: `${bucket}/AWSLogs/*`,
                Condition: { StringEquals: { "aws:SourceArn": i.trailArn, "s3:x-amz-acl": "bucket-owner-full-control" } },
            },
        ],
    };
}

/** KMS key policy: the owning account administers the key; CloudTrail encrypts for this trail only. */
export function auditKeyPolicy(i: AuditPolicyInputs): PolicyDocument {
    const p = i.partition ?? "aws";
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "AccountAdministers",
                Effect: "Allow",
                Principal: { AWS: `arn:${p}:iam::${i.accountId}:root` },
                Action: "kms:*",
                Resource: "*",
            },
            {
                Sid: "CloudTrailEncrypts",
                Effect: "Allow",
                Principal: { Service: "cloudtrail.amazonaws.com" },
                Action: ["kms:DescribeKey", "kms:GenerateDataKey*"],
                Resource: "*",
                Condition: { StringEquals: { "aws:SourceArn": i.trailArn } },
            },
            {
                Sid: "AccountDecryptsLogs",
                Effect: "Allow",
                Principal: { AWS: `arn:${p}:iam::${i.accountId}:root` },
                Action: "kms:Decrypt",
                Resource: "*",
                Condition: { Null: { "kms:EncryptionContext:aws:cloudtrail:arn": "false" } },
            },
        ],
    };
}

/** SNS topic policy: EventBridge rules of this account may publish. */
export function alertTopicPolicy(topicArn: string, accountId: string): PolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "EventBridgePublishes",
                Effect: "Allow",
                Principal: { Service: "events.amazonaws.com" },
                Action: "sns:Publish",
                Resource: topicArn,
                Condition: { StringEquals: { "aws:SourceAccount": accountId } },
            },
        ],
    };
}

/** An EventBridge event pattern. */
export type EventPattern = { readonly [key: string]: readonly string[] | EventPattern | readonly Record<string, unknown>[] };

const API_CALL = "AWS API Call via CloudTrail";
const SIGN_IN = "AWS Console Sign In via CloudTrail";

/** Any console sign-in or API call by a root user. */
export function rootActivityPattern(): EventPattern {
    return { "detail-type": [API_CALL, SIGN_IN], detail: { userIdentity: { type: ["Root"] } } };
}

/** Console sign-ins without MFA. */
export function consoleSignInWithoutMfaPattern(): EventPattern {
    return { "detail-type": [SIGN_IN], detail: { additionalEventData: { MFAUsed: ["No"] } } };
}

/** Identity Center account assignments created or deleted. */
export function accountAssignmentPattern(): EventPattern {
    return {
        source: ["aws.sso"],
        "detail-type": [API_CALL],
        detail: { eventSource: ["sso.amazonaws.com"], eventName: ["CreateAccountAssignment", "DeleteAccountAssignment"] },
    };
}

/** Calls that change what a permission set grants. */
export const PERMISSION_SET_EVENTS = [
    "AttachCustomerManagedPolicyReferenceToPermissionSet",
    "AttachManagedPolicyToPermissionSet",
    "CreatePermissionSet",
    "DeleteInlinePolicyFromPermissionSet",
    "DeletePermissionSet",
    "DeletePermissionsBoundaryFromPermissionSet",
    "DetachCustomerManagedPolicyReferenceFromPermissionSet",
    "DetachManagedPolicyFromPermissionSet",
    "ProvisionPermissionSet",
    "PutInlinePolicyToPermissionSet",
    "PutPermissionsBoundaryToPermissionSet",
    "UpdatePermissionSet",
];

/** Permission set changes. */
export function permissionSetChangePattern(): EventPattern {
    return {
        source: ["aws.sso"],
        "detail-type": [API_CALL],
        detail: { eventSource: ["sso.amazonaws.com"], eventName: [...PERMISSION_SET_EVENTS] },
    };
}

/** Any sign-in or API call by the given IAM user ARNs. */
export function principalUsePattern(userArns: readonly string[]): EventPattern {
    return { "detail-type": [API_CALL, SIGN_IN], detail: { userIdentity: { arn: [...userArns].sort() } } };
}

/** An event pattern as EventBridge expects it (JSON, sorted keys). */
export function eventPatternJson(p: EventPattern): string {
    return stablePolicyJson(p);
}

/**
 * The StackSet template: an IAM SAML provider with the Entra metadata and one federated role per config key,
 * each trusting only that provider and only assertions for the AWS sign-in audience (`SAML:aud`).
 */
export function samlStackSetTemplate(m: Pick<SamlStackSetsModel, "providerName" | "metadataXml" | "roles">): string {
    const resources: Record<string, unknown> = {
        SamlProvider: { Type: "AWS::IAM::SAMLProvider", Properties: { Name: m.providerName, SamlMetadataDocument: m.metadataXml } },
    };
    const outputs: Record<string, unknown> = { SamlProviderArn: { Value: { Ref: "SamlProvider" } } };
    for (const r of m.roles) {
        const id = `Role${r.key
            .split("-")
            .map((s) => s.charAt(0).toUpperCase() + s.slice(1))
            .join("")}`;
        resources[id] = {
            Type: "AWS::IAM::Role",
            Properties: {
                RoleName: r.roleName,
                MaxSessionDuration: r.maxSessionDurationSeconds,
                ManagedPolicyArns: [...r.policyArns],
                AssumeRolePolicyDocument: {
                    Version: "2012-10-17",
                    Statement: [
                        {
                            Effect: "Allow",
                            Principal: { Federated: { Ref: "SamlProvider" } },
                            Action: ["sts:AssumeRoleWithSAML", "sts:TagSession"],
                            Condition: { StringEquals: { "SAML:aud": SAML_AUDIENCE } },
                        },
                    ],
                },
                Tags: [{ Key: "idfed:managed-by", Value: "idfed-saml-stackset" }],
            },
        };
        outputs[`${id}Arn`] = { Value: { "Fn::GetAtt": [id, "Arn"] } };
    }
    return stablePolicyJson({
        AWSTemplateFormatVersion: "2010-09-09",
        Description: "idfed: Entra ID SAML provider and federated roles (managed by a service-managed StackSet; do not edit)",
        Resources: resources,
        Outputs: outputs,
    });
}
