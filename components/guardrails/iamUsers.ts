import * as pulumi from "@pulumi/pulumi";
import * as cfg from "@pulumi/aws/cfg";
import * as iam from "@pulumi/aws/iam";
import { IamUsersModel } from "../../stacks/model/guardrails";
import { mfaRequiredPolicy, stablePolicyJson } from "../../stacks/documents/guardrails-docs";
import { AccountProviders } from "./providers";

/** Arguments of {@link IamUsers}. */
export interface IamUsersArgs {
    /** The validated section. */
    model: IamUsersModel;
    /** Providers of member accounts (used when `model.accountId` is another account). */
    providers: AccountProviders;
    /** Account the program runs in (used when `model.accountId` is absent). */
    managementAccountId: string;
}

/** Resource-name-safe form of a policy ARN (its last path segment). */
export function policySlug(arn: string): string {
    return arn.slice(arn.lastIndexOf("/") + 1).replace(/[^\w+=,.@-]/g, "-");
}

/**
 * IAM users for a single account: a strict account password policy, IAM groups with managed (and optional
 * inline) policies, users that get permissions only through groups (no inline user policies, no access keys
 * or login profiles here), every user in the MFA-required group, and the AWS Config rule
 * `access-keys-rotated` (AWS Config must be recording in the account).
 */
export class IamUsers extends pulumi.ComponentResource {
    /** IAM group names by config key (plus `mfa-required`). */
    public readonly groupNames: Record<string, string>;
    /** IAM user names. */
    public readonly userNames: string[];

    constructor(name: string, args: IamUsersArgs, opts?: pulumi.ComponentResourceOptions) {
        super("idfed:guardrails:IamUsers", name, {}, opts);
        const m = args.model;
        const child = args.providers.opts(this, m.accountId ?? args.managementAccountId);
        new iam.AccountPasswordPolicy(
            `${name}-password-policy`,
            {
                minimumPasswordLength: m.passwordPolicy.minimumLength,
                passwordReusePrevention: m.passwordPolicy.reusePrevention,
                maxPasswordAge: m.passwordPolicy.maxAgeDays,
                requireLowercaseCharacters: true,
                requireUppercaseCharacters: true,
                requireNumbers: true,
                requireSymbols: true,
                allowUsersToChangePassword: true,
                hardExpiry: false,
            },
            child,
        );

        const mfaGroup = new iam.Group(`${name}-mfa-required`, { name: "idfed-mfa-required", path: "/idfed/" }, child);
        new iam.GroupPolicy(
            `${name}-mfa-required`,
            {
                group: mfaGroup.name,
                name: "require-mfa",
                policy: stablePolicyJson(mfaRequiredPolicy("/idfed/")),
            },
            child,
        );
        const groupNames: Record<string, string> = { "mfa-required": "idfed-mfa-required" };
        for (const g of m.groups) {
            const groupName = `idfed-${g.key}`;
            const group = new iam.Group(`${name}-group-${g.key}`, { name: groupName, path: "/idfed/" }, child);
            for (const arn of g.policyArns) {
                new iam.GroupPolicyAttachment(`${name}-group-${g.key}-${policySlug(arn)}`, { group: group.name, policyArn: arn }, child);
            }
            if (g.inlinePolicy !== undefined) {
                new iam.GroupPolicy(
                    `${name}-group-${g.key}-inline`,
                    { group: group.name, name: "inline", policy: stablePolicyJson(g.inlinePolicy) },
                    child,
                );
            }
            groupNames[g.key] = groupName;
        }
        for (const u of m.users) {
            const user = new iam.User(
                `${name}-user-${u.key}`,
                {
                    name: u.key,
                    path: "/idfed/",
                    forceDestroy: false,
                    tags: { "idfed:managed-by": "idfed-iam-users" },
                },
                child,
            );
            new iam.UserGroupMembership(
                `${name}-user-${u.key}-groups`,
                {
                    user: user.name,
                    groups: ["idfed-mfa-required", ...u.groups.map((k) => groupNames[k])],
                },
                { ...child, dependsOn: [mfaGroup] },
            );
        }
        new cfg.Rule(
            `${name}-access-keys-rotated`,
            {
                name: "idfed-access-keys-rotated",
                description: `idfed: IAM access keys are rotated within ${m.accessKeyMaxAgeDays} days`,
                source: { owner: "AWS", sourceIdentifier: "ACCESS_KEYS_ROTATED" },
                inputParameters: JSON.stringify({ maxAccessKeyAge: String(m.accessKeyMaxAgeDays) }),
                maximumExecutionFrequency: "TwentyFour_Hours",
            },
            child,
        );
        this.groupNames = groupNames;
        this.userNames = m.users.map((u) => u.key);
        this.registerOutputs({ groupNames: this.groupNames, userNames: this.userNames });
    }
}
