import * as pulumi from "@pulumi/pulumi";
import * as organizations from "@pulumi/aws/organizations";
import { RootLockdownModel } from "../../stacks/model/guardrails";
import { rootActivityPattern, rootDenyScp, stablePolicyJson } from "../../stacks/documents/guardrails-docs";
import { AlertRules } from "./alerts";

/** Arguments of {@link RootLockdown}. */
export interface RootLockdownArgs {
    /** The validated section. */
    model: RootLockdownModel;
    /** The organization root id (`r-xxxx`), used when `model.targets` is empty. */
    orgRootId: string;
    /** Management account id (owner of the alert topic and rule). */
    managementAccountId: string; /** Enabled regions (API-call events arrive in the call's region; the alert covers each). Default us-east-1 only. */
    regions?: readonly string[];
}

/**
 * Root lock-down: an SCP denying every action by a member account's root user (`aws:PrincipalArn` like
 * `arn:aws:iam::*:root`, exempt accounts excluded by an `aws:PrincipalAccount` condition) attached to the
 * targets, and an alert on root sign-in or API use in the management account (SCPs never restrict it).
 */
export class RootLockdown extends pulumi.ComponentResource {
    /** The SCP's id. */
    public readonly policyId: pulumi.Output<string>;
    /** Where the SCP is attached. */
    public readonly targets: string[];

    constructor(name: string, args: RootLockdownArgs, opts?: pulumi.ComponentResourceOptions) {
        super("idfed:guardrails:RootLockdown", name, {}, opts);
        const targets = args.model.targets.length > 0 ? [...args.model.targets] : [args.orgRootId];
        const scp = new organizations.Policy(
            `${name}-scp`,
            {
                name: "idfed-deny-root-user",
                description: "idfed: deny every action by member accounts' root users",
                type: "SERVICE_CONTROL_POLICY",
                content: stablePolicyJson(rootDenyScp(args.model.exemptAccounts)),
            },
            { parent: this },
        );
        for (const t of targets) {
            new organizations.PolicyAttachment(`${name}-scp-${t}`, { policyId: scp.id, targetId: t }, { parent: this });
        }
        // Root sign-ins are global events, delivered to us-east-1.
        new AlertRules(
            `${name}-alerts`,
            {
                accountId: args.managementAccountId,
                subscriptions: args.model.alerts,
                region: "us-east-1",
                displayName: "idfed: root user activity",
                rules: { "root-activity": rootActivityPattern() },
                regions: args.regions,
            },
            { parent: this },
        );
        this.policyId = scp.id;
        this.targets = targets;
        this.registerOutputs({ policyId: this.policyId, targets: this.targets, exemptAccounts: [...args.model.exemptAccounts] });
    }
}
