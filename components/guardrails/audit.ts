import * as pulumi from "@pulumi/pulumi";
import * as cloudtrail from "@pulumi/aws/cloudtrail";
import * as kms from "@pulumi/aws/kms";
import * as s3 from "@pulumi/aws/s3";
import { AuditModel } from "../../stacks/model/guardrails";
import {
    accountAssignmentPattern,
    auditBucketPolicy,
    auditKeyPolicy,
    consoleSignInWithoutMfaPattern,
    permissionSetChangePattern,
    rootActivityPattern,
    stablePolicyJson,
} from "../../stacks/documents/guardrails-docs";
import { AlertRules } from "./alerts";

/** Arguments of {@link Audit}. */
export interface AuditArgs {
    /** The validated section. */
    model: AuditModel;
    /** The management account: owner of the organization trail, its bucket and key. */
    managementAccountId: string;
    /** Region of the trail and of Identity Center (the stack's `aws:region`). */
    region: string;
    /** Enabled regions of the management account (sign-in and root alerts cover each). */
    regions?: readonly string[];
    /** Alert on root activity here (default true; false when root lock-down already alerts on it: one event, one alert). */
    rootActivityAlert?: boolean;
}

/**
 * Audit: an organization CloudTrail (every account, every region, log file validation) into a dedicated
 * bucket encrypted with a rotating KMS key; the bucket is versioned, private, TLS-only and denies log
 * deletion to everyone (lifecycle archives and expires old logs). User-activity notifications go to SNS:
 * console sign-in without MFA and root use (us-east-1, where sign-ins arrive), account assignments and
 * permission set changes (the Identity Center region).
 */
export class Audit extends pulumi.ComponentResource {
    /** Trail ARN. */
    public readonly trailArn: string;
    /** Log bucket name. */
    public readonly bucketName: string;
    /** KMS key ARN. */
    public readonly keyArn: pulumi.Output<string>;

    constructor(name: string, args: AuditArgs, opts?: pulumi.ComponentResourceOptions) {
        super("idfed:guardrails:Audit", name, {}, opts);
        const m = args.model;
        const child = { parent: this };
        const bucketName = m.bucketName ?? `${m.trailName}-${args.managementAccountId}`.toLowerCase();
        const trailArn = `arn:aws:cloudtrail:${args.region}:${args.managementAccountId}:trail/${m.trailName}`;
        const docs = { bucketName, accountId: args.managementAccountId, trailArn };

        const key = new kms.Key(
            `${name}-key`,
            {
                description: `idfed: encrypts the ${m.trailName} organization trail`,
                enableKeyRotation: true,
                deletionWindowInDays: 30,
                policy: stablePolicyJson(auditKeyPolicy(docs)),
            },
            child,
        );
        const bucket = new s3.Bucket(
            `${name}-bucket`,
            { bucket: bucketName, forceDestroy: false, tags: { "idfed:managed-by": "idfed-audit" } },
            child,
        );
        const b = { bucket: bucket.bucket };
        const blocks = new s3.BucketPublicAccessBlock(
            `${name}-bucket-public-access`,
            {
                ...b,
                blockPublicAcls: true,
                blockPublicPolicy: true,
                ignorePublicAcls: true,
                restrictPublicBuckets: true,
            },
            child,
        );
        new s3.BucketOwnershipControls(`${name}-bucket-ownership`, { ...b, rule: { objectOwnership: "BucketOwnerEnforced" } }, child);
        new s3.BucketVersioning(`${name}-bucket-versioning`, { ...b, versioningConfiguration: { status: "Enabled" } }, child);
        new s3.BucketServerSideEncryptionConfiguration(
            `${name}-bucket-encryption`,
            {
                ...b,
                rules: [
                    { applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: key.arn }, bucketKeyEnabled: true },
                ],
            },
            child,
        );
        new s3.BucketLifecycleConfiguration(
            `${name}-bucket-lifecycle`,
            {
                ...b,
                rules: [
                    {
                        id: "archive-then-expire",
                        status: "Enabled",
                        filter: { prefix: "" },
                        transitions: [{ days: m.archiveAfterDays, storageClass: "GLACIER" }],
                        expiration: { days: m.retentionDays },
                        noncurrentVersionExpiration: { noncurrentDays: m.retentionDays },
                        abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
                    },
                ],
            },
            child,
        );
        const policy = new s3.BucketPolicy(
            `${name}-bucket-policy`,
            { ...b, policy: stablePolicyJson(auditBucketPolicy(docs)) },
            { parent: this, dependsOn: [blocks] },
        );
        new cloudtrail.Trail(
            `${name}-trail`,
            {
                name: m.trailName,
                s3BucketName: bucket.bucket,
                kmsKeyId: key.arn,
                isOrganizationTrail: true,
                isMultiRegionTrail: true,
                includeGlobalServiceEvents: true,
                enableLogFileValidation: true,
                enableLogging: true,
                tags: { "idfed:managed-by": "idfed-audit" },
            },
            { parent: this, dependsOn: [policy] },
        );

        new AlertRules(
            `${name}-signin`,
            {
                accountId: args.managementAccountId,
                subscriptions: m.alerts,
                region: "us-east-1",
                displayName: "idfed: sign-in and root activity",
                regions: args.regions,
                rules:
                    args.rootActivityAlert === false
                        ? { "console-signin-without-mfa": consoleSignInWithoutMfaPattern() }
                        : { "console-signin-without-mfa": consoleSignInWithoutMfaPattern(), "root-activity": rootActivityPattern() },
            },
            child,
        );
        new AlertRules(
            `${name}-identity-center`,
            {
                accountId: args.managementAccountId,
                subscriptions: m.alerts,
                region: args.region,
                displayName: "idfed: Identity Center changes",
                rules: { "account-assignments": accountAssignmentPattern(), "permission-set-changes": permissionSetChangePattern() },
            },
            child,
        );
        this.trailArn = trailArn;
        this.bucketName = bucketName;
        this.keyArn = key.arn;
        this.registerOutputs({ trailArn: this.trailArn, bucketName: this.bucketName, keyArn: this.keyArn });
    }
}
