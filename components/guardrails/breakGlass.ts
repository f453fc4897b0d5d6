import * as pulumi from "@pulumi/pulumi";
import * as iam from "@pulumi/aws/iam";
import { BreakGlassModel } from "../../stacks/model/guardrails";
import { mfaRequiredPolicy, principalUsePattern, stablePolicyJson } from "../../stacks/documents/guardrails-docs";
import { AlertRules } from "./alerts";
import { policySlug } from "./iamUsers";
import { AccountProviders } from "./providers";

/** Arguments of {@link BreakGlass}. */
export interface BreakGlassArgs {
    /** The validated section. */
    model: BreakGlassModel;
    /** Providers of member accounts (used when the account is not the management account). */
    providers: AccountProviders; /** Enabled regions (API-call events arrive in the call's region; the alert covers each). Default us-east-1 only. */
    regions?: readonly string[];
}

/**
 * Break-glass: IAM users in the management or security account that work when Entra or Identity Center do not.
 * They belong to one group holding the emergency policies and the MFA-required policy; they have no access
 * keys, and their console passwords and hardware MFA are set out-of-band (two-person procedure, sealed storage).
 * Users, group and membership are `protect`ed, and any sign-in or API call by them alerts.
 */
export class BreakGlass extends pulumi.ComponentResource {
    /** The account the users live in. */
    public readonly accountId: string;
    /** Break-glass user names. */
    public readonly userNames: string[];
    /** ARNs of the break-glass users (what the alert rule matches). */
    public readonly userArns: string[];

    constructor(name: string, args: BreakGlassArgs, opts?: pulumi.ComponentResourceOptions) {
        super("idfed:guardrails:BreakGlass", name, {}, opts);
        const m = args.model;
        const protect = args.providers.opts(this, m.accountId, { protect: true });
        const child = args.providers.opts(this, m.accountId);
        const groupName = "idfed-break-glass";
        const group = new iam.Group(`${name}-group`, { name: groupName, path: "/idfed/" }, protect);
        new iam.GroupPolicy(
            `${name}-mfa-required`,
            { group: group.name, name: "require-mfa", policy: stablePolicyJson(mfaRequiredPolicy("/idfed/break-glass/")) },
            child,
        );
        for (const arn of m.policyArns) {
            new iam.GroupPolicyAttachment(`${name}-${policySlug(arn)}`, { group: group.name, policyArn: arn }, child);
        }
        const userArns: string[] = [];
        for (const u of m.users) {
            const user = new iam.User(
                `${name}-${u}`,
                {
                    name: u,
                    path: "/idfed/break-glass/",
                    forceDestroy: false,
                    tags: { "idfed:break-glass": "true", "idfed:managed-by": "idfed-break-glass" },
                },
                protect,
            );
            new iam.UserGroupMembership(`${name}-${u}-group`, { user: user.name, groups: [groupName] }, { ...protect, dependsOn: [group] });
            userArns.push(`arn:aws:iam::${m.accountId}:user/idfed/break-glass/${u}`);
        }
        // Console sign-ins and IAM calls are global events, delivered to us-east-1.
        new AlertRules(
            `${name}-alerts`,
            {
                accountId: m.accountId,
                subscriptions: m.alerts,
                region: "us-east-1",
                provider: args.providers.get(m.accountId),
                displayName: "idfed: break-glass use",
                rules: { use: principalUsePattern(userArns) },
                regions: args.regions,
            },
            { parent: this },
        );
        this.accountId = m.accountId;
        this.userNames = [...m.users];
        this.userArns = userArns;
        this.registerOutputs({ accountId: this.accountId, userNames: this.userNames, userArns: this.userArns, protected: true });
    }
}
