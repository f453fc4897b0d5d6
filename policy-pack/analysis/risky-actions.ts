/**
 * Named actions that are dangerous on every resource, whatever spelling reaches them (exact name, `Stop*`,
 * `s3:Put*Acl`): resource exposure, defence evasion, remote execution, identity creation, role assumption;
 * actions that take over an existing workload (and so its role) without `iam:PassRole`; and actions that return
 * credentials. Lower-case `service:action`. Each action gets a flag (see `sensitive.ts`) when the catalog loads.
 *
 * Sources: cloudsplaining `cloudsplaining/shared/constants.py` PRIVILEGE_ESCALATION_METHODS (Rhino Security
 * Labs' methods plus the pathfinding.cloud additions: "Privilege Escalation Using AWS Services", "update
 * existing resource"), commit 5012eab1 (2026-08-16); cloudsplaining's "Resource Exposure", "Credentials
 * Exposure" risk classes (docs/index.md); the AWS service authorization reference for what each action does.
 */

/** Why a named action is dangerous on `*`. */
export type DangerClass = "resource exposure" | "defence evasion" | "remote execution" | "identity creation" | "role assumption";

/** Dangerous on every resource: each changes who can reach data, hides activity, runs code, or makes identities. */
export const DANGEROUS_ACTIONS: ReadonlyMap<string, DangerClass> = new Map<string, DangerClass>([
    // Resource exposure: resource policies, ACLs, public access blocks, shares, grants.
    ...[
        "s3:putbucketpolicy",
        "s3:deletebucketpolicy",
        "s3:putbucketacl",
        "s3:putobjectacl",
        "s3:putobjectversionacl",
        "s3:putaccesspointpolicy",
        "s3:putbucketpublicaccessblock",
        "s3:putaccountpublicaccessblock",
        "lambda:addpermission",
        "lambda:addlayerversionpermission",
        "lambda:createfunctionurlconfig",
        "lambda:updatefunctionurlconfig",
        "ram:createresourceshare",
        "ram:associateresourceshare",
        "ram:updateresourceshare",
        "kms:creategrant",
        "secretsmanager:putresourcepolicy",
        "ecr:setrepositorypolicy",
        "sns:addpermission",
        "sqs:addpermission",
        "ec2:modifysnapshotattribute",
        "ec2:modifyimageattribute",
        "rds:modifydbsnapshotattribute",
        "rds:modifydbclustersnapshotattribute",
        "backup:putbackupvaultaccesspolicy",
        "elasticfilesystem:putfilesystempolicy",
        "glue:putresourcepolicy",
        "logs:putresourcepolicy",
        "events:putpermission",
        "apigateway:updaterestapipolicy",
    ].map((a) => [a, "resource exposure"] as const),
    // Defence evasion: stop or blind the audit trail, detectors and keys.
    ...[
        "cloudtrail:stoplogging",
        "cloudtrail:deletetrail",
        "cloudtrail:updatetrail",
        "cloudtrail:puteventselectors",
        "cloudtrail:putinsightselectors",
        "kms:schedulekeydeletion",
        "kms:disablekey",
        "kms:putkeypolicy",
        "guardduty:deletedetector",
        "guardduty:updatedetector",
        "guardduty:disassociatefromadministratoraccount",
        "config:stopconfigurationrecorder",
        "config:deleteconfigurationrecorder",
        "config:deletedeliverychannel",
        "securityhub:disablesecurityhub",
        "access-analyzer:deleteanalyzer",
        "logs:deleteloggroup",
        "logs:putretentionpolicy",
        "ec2:deleteflowlogs",
        "cloudwatch:deletealarms",
        "cloudwatch:disablealarmactions",
        "macie2:disablemacie",
        "detective:deletegraph",
    ].map((a) => [a, "defence evasion"] as const),
    // Remote execution on instances and managed nodes.
    ...["ssm:sendcommand", "ssm:startsession", "ssm:startautomationexecution"].map((a) => [a, "remote execution"] as const),
    // Identity creation: new principals that outlive the session.
    ...[
        "iam:createuser",
        "iam:createrole",
        "iam:createservicespecificcredential",
        "cognito-idp:admincreateuser",
        "cognito-idp:adminsetuserpassword",
        "ds:resetuserpassword",
    ].map((a) => [a, "identity creation"] as const),
    ["sts:assumerole", "role assumption"],
]);

/**
 * Takes over an existing workload, and so acts as its role, without `iam:PassRole`: new code or
 * configuration for a function, a dev endpoint's SSH key, instance user data or launch templates, a shell on
 * an instance or container, a notebook, a change set or update of a stack that runs with a service role.
 */
export const TAKEOVER_WORKLOAD_ACTIONS: ReadonlySet<string> = new Set([
    "lambda:updatefunctioncode",
    "lambda:updatefunctionconfiguration",
    "glue:updatedevendpoint",
    "glue:updatejob",
    "ec2:modifyinstanceattribute",
    "ec2:createlaunchtemplateversion",
    "ec2:modifylaunchtemplate",
    "ec2-instance-connect:sendsshpublickey",
    "ec2-instance-connect:sendserialconsolesshpublickey",
    "ecs:executecommand",
    "sagemaker:createpresignednotebookinstanceurl",
    "sagemaker:updatenotebookinstance",
    "sagemaker:createpresigneddomainurl",
    "cloudformation:createchangeset",
    "cloudformation:executechangeset",
    "cloudformation:updatestack",
    "cloudformation:updatestackset",
    "codebuild:startbuild",
    "codebuild:updateproject",
    "bedrock-agentcore:invokecodeinterpreter",
]);

/**
 * Return credentials or secrets beyond Secrets Manager, SSM and KMS (those are `SECRET_READ_ACTIONS`).
 * Left out on purpose: `ecr:GetAuthorizationToken` (only grantable on `*`; the token reaches only the
 * repositories the caller's own policies allow), `sts:GetSessionToken` (the caller's own permissions),
 * `cognito-identity:GetCredentialsForIdentity` (an unsigned API: identity policies do not govern it).
 */
export const CREDENTIAL_ACTIONS: ReadonlySet<string> = new Set([
    "redshift:getclustercredentials",
    "redshift:getclustercredentialswithiam",
    "redshift-serverless:getcredentials",
    "rds-db:connect",
    "codeartifact:getauthorizationtoken",
    "sts:getfederationtoken",
    "cognito-identity:getopenidtokenfordeveloperidentity",
    "lightsail:getinstanceaccessdetails",
    "lightsail:getrelationaldatabasemasteruserpassword",
    "lightsail:downloaddefaultkeypair",
    "ec2:getpassworddata",
    "iam:resetservicespecificcredential",
    "connect:getfederationtoken",
    "gamelift:requestuploadcredentials",
]);
