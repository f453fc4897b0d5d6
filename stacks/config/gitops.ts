/**
 * `idfed:gitops`: the cloud side of the GitOps credentials (GitHub OIDC provider, deploy role, Entra
 * federated identity credentials), validated here with the component's own rules so a wildcard trust is
 * reported with every other config error, before any resource is registered.
 */
import type { GitHubOidcTrustArgs, GitHubRoleArgs, GitOpsModel } from "../model/gitops";
import { validateGitHubOidcTrustArgs } from "./github-trust";
import type { Environment, PolicyDocument } from "../model";
import { IAM_PATH_RE, POLICY_ARN_RE } from "../input/iam-names";
import { at, bool, checkKeys, checkString, expectObject, Issues, isGuid, own, show, str, stringList } from "../input/validate";

export type { GitOpsModel } from "../model/gitops";

const KEYS = [
    "enabled",
    "repository",
    "subjects",
    "deployRoleName",
    "deployRolePath",
    "maxSessionDuration",
    "managedPolicyArns",
    "permissionsBoundaryArn",
    "existingProviderArn",
    "entraApplicationObjectId",
    "previewRole",
    "maintenanceRole",
] as const;
const ROLE_KEYS = ["roleName", "subjects", "managedPolicyArns", "entraApplicationObjectId"] as const;

/**
 * No managed policy by default: AWS's `ReadOnlyAccess` also returns credentials and secrets (the pack blocks
 * it), so both identities get {@link READ_FOR_PREVIEW} inline instead; add your state bucket and key policies.
 */
export const DEFAULT_READ_POLICIES = [] as const;

/**
 * What a refresh and preview of idfed's resources read: Organizations, Identity Center and its identity store,
 * IAM, StackSets, the trail and its bucket, key, topics and rules, and the SCIM token secret's metadata
 * (version ids, never the value).
 */
const READ_FOR_PREVIEW = {
    Sid: "ReadWhatTheProgramManages",
    Effect: "Allow",
    Resource: "*",
    Action: [
        "organizations:Describe*",
        "organizations:List*",
        "sso:Describe*",
        "sso:List*",
        "sso:GetInlinePolicyForPermissionSet",
        "sso:GetPermissionsBoundaryForPermissionSet",
        "identitystore:DescribeGroup",
        "identitystore:GetGroupId",
        "identitystore:ListGroups",
        "iam:GetRole",
        "iam:GetRolePolicy",
        "iam:ListRolePolicies",
        "iam:ListAttachedRolePolicies",
        "iam:GetPolicy",
        "iam:GetPolicyVersion",
        "iam:GetOpenIDConnectProvider",
        "iam:GetSAMLProvider",
        "iam:GetUser",
        "iam:ListGroupsForUser",
        "iam:GetGroup",
        "iam:GetAccountPasswordPolicy",
        "cloudformation:DescribeStackSet",
        "cloudformation:ListStackInstances",
        "cloudtrail:DescribeTrails",
        "cloudtrail:GetTrailStatus",
        "cloudtrail:GetEventSelectors",
        "s3:GetBucketPolicy",
        "s3:GetBucketVersioning",
        "s3:GetEncryptionConfiguration",
        "s3:GetBucketPublicAccessBlock",
        "kms:DescribeKey",
        "kms:GetKeyPolicy",
        "sns:GetTopicAttributes",
        "events:DescribeRule",
        "events:ListTargetsByRule",
        "config:DescribeConfigRules",
        "secretsmanager:DescribeSecret",
        "secretsmanager:ListSecretVersionIds",
        "sts:GetCallerIdentity",
    ],
};

/** Neither the preview nor the maintenance identity may read a secret value (the SCIM token lives in one). */
const DENY_SECRET_VALUES = {
    Sid: "NeverReadSecretValues",
    Effect: "Deny",
    Action: ["secretsmanager:GetSecretValue"],
    Resource: "*",
};

/** Built-in inline policy of each additional identity: what it may do beyond reading. */
export const ROLE_POLICIES: Record<"preview" | "maintenance", PolicyDocument> = {
    preview: { Version: "2012-10-17", Statement: [DENY_SECRET_VALUES, READ_FOR_PREVIEW] },
    maintenance: {
        Version: "2012-10-17",
        Statement: [
            DENY_SECRET_VALUES,
            READ_FOR_PREVIEW,
            {
                Sid: "DeleteExpiredAssignments",
                Effect: "Allow",
                Resource: "*",
                Action: ["sso:DeleteAccountAssignment", "sso:DescribeAccountAssignmentDeletionStatus"],
            },
        ],
    },
};

const PURPOSE = {
    preview: "Read-only preview identity (pulumi preview on an approved pull request); cannot read secret values",
    maintenance: "Nightly maintenance identity: deletes expired account assignments, reads for the drift check",
} as const;

function parseRole(value: unknown, key: "preview" | "maintenance", path: string, issues: Issues): GitHubRoleArgs | undefined {
    if (value === undefined || value === null) return undefined;
    const rolePath = at(path, `${key}Role`);
    const o = expectObject(value, rolePath, issues);
    if (o === undefined) return undefined;
    checkKeys(o, ROLE_KEYS, rolePath, issues);
    const roleName = str(o, "roleName", rolePath, issues, { required: true, expected: "an IAM role name" }) ?? "";
    const subjects = stringList(o, "subjects", rolePath, issues, (v, p) => checkString(v, p, issues));
    const managed = stringList(o, "managedPolicyArns", rolePath, issues, (v, p) =>
        checkString(v, p, issues, { pattern: POLICY_ARN_RE, expected: "an IAM policy ARN" }),
    );
    const entraApplicationObjectId = str(o, "entraApplicationObjectId", rolePath, issues);
    if (entraApplicationObjectId !== undefined && !isGuid(entraApplicationObjectId)) {
        issues.add(
            at(rolePath, "entraApplicationObjectId"),
            `${show(entraApplicationObjectId)} is not a GUID (the object id of this identity's Entra application)`,
        );
    }
    return {
        key,
        roleName,
        subjects,
        purpose: PURPOSE[key],
        managedPolicyArns: own(o, "managedPolicyArns") === undefined ? [...DEFAULT_READ_POLICIES] : managed,
        inlinePolicy: ROLE_POLICIES[key],
        ...(entraApplicationObjectId !== undefined ? { entraApplicationObjectId } : {}),
    };
}

/**
 * Parses `idfed:gitops` (absent or `enabled: false` = not managed by this stack). In a prod stack every
 * role trusts only `environment:` subjects (jobs gated by a GitHub environment), never a branch or `pull_request`.
 */
export function parseGitOps(value: unknown, path: string, issues: Issues, environment: Environment = "dev"): GitOpsModel {
    if (value === undefined || value === null) return { enabled: false };
    const o = expectObject(value, path, issues);
    if (o === undefined) return { enabled: false };
    checkKeys(o, KEYS, path, issues);
    const enabled = bool(o, "enabled", path, issues, true);
    if (!enabled) return { enabled: false };
    const before = issues.count;
    const repository = str(o, "repository", path, issues, { required: true, expected: "owner/name" }) ?? "";
    const text = (v: unknown, p: string) => checkString(v, p, issues);
    const subjects = stringList(o, "subjects", path, issues, text);
    const deployRoleName = str(o, "deployRoleName", path, issues, { required: true, expected: "an IAM role name" }) ?? "";
    const deployRolePath = str(o, "deployRolePath", path, issues, { pattern: IAM_PATH_RE, expected: "an IAM path such as /idfed/" });
    const maxRaw = own(o, "maxSessionDuration");
    let maxSessionDuration: number | undefined;
    if (maxRaw !== undefined && maxRaw !== null) {
        if (typeof maxRaw === "number") maxSessionDuration = maxRaw;
        else issues.add(at(path, "maxSessionDuration"), `expected seconds as a number (3600–43200), got ${show(maxRaw)}`);
    }
    const managedPolicyArns = stringList(o, "managedPolicyArns", path, issues, (v, p) =>
        checkString(v, p, issues, { pattern: POLICY_ARN_RE, expected: "an IAM policy ARN" }),
    );
    const permissionsBoundaryArn = str(o, "permissionsBoundaryArn", path, issues, {
        pattern: POLICY_ARN_RE,
        expected: "an IAM policy ARN",
    });
    const existingProviderArn = str(o, "existingProviderArn", path, issues, {
        pattern: /^arn:aws[\w-]*:iam::\d{12}:oidc-provider\/token\.actions\.githubusercontent\.com$/,
        expected: "the ARN of GitHub's OIDC provider",
    });
    const entraApplicationObjectId = str(o, "entraApplicationObjectId", path, issues);
    if (entraApplicationObjectId !== undefined && !isGuid(entraApplicationObjectId)) {
        issues.add(
            at(path, "entraApplicationObjectId"),
            `${show(entraApplicationObjectId)} is not a GUID (the object id of the Entra application)`,
        );
    }
    const additionalRoles = (["preview", "maintenance"] as const).flatMap((k) => parseRole(own(o, `${k}Role`), k, path, issues) ?? []);
    const trust: GitHubOidcTrustArgs = {
        repository,
        subjects,
        deployRoleName,
        deployRolePath,
        maxSessionDuration,
        managedPolicyArns,
        permissionsBoundaryArn,
        existingProviderArn,
        entraApplicationObjectId,
        environmentSubjectsOnly: environment === "prod",
        additionalRoles,
    };
    if (issues.count === before) {
        // The component's own rules (no wildcard repository or subject), reported under the config keys.
        for (const problem of validateGitHubOidcTrustArgs(trust)) {
            // `previewRole.subjects[1]` → idfed:gitops.previewRole.subjects[1]
            const [, dotted, index] = /^([^[]+)(\[\d+\])?$/.exec(problem.key) ?? [problem.key, problem.key, ""];
            issues.add(`${dotted.split(".").reduce((p, k) => at(p, k), path)}${index ?? ""}`, problem.message);
        }
    }
    return { enabled: true, trust };
}
