import * as pulumi from "@pulumi/pulumi";
import * as azuread from "@pulumi/azuread";
import { JitModel } from "../../stacks/model/guardrails";

/** Arguments of {@link JitAccess}. */
export interface JitAccessArgs {
    /** The validated section. */
    model: JitModel;
    /** Entra object id of each federated group, by group key. */
    entraGroupIds: ReadonlyMap<string, pulumi.Input<string>>;
}

/**
 * Just-in-time membership with Entra PIM for Groups: per group, a role management policy (maximum activation,
 * MFA, justification, approval, eligibility that must expire) and one eligibility schedule per eligible
 * member. People activate membership for hours; only then does SCIM carry them into the Identity Center group
 * that holds the permission sets. Grant `expiresAt` is enforced separately by the expansion.
 */
export class JitAccess extends pulumi.ComponentResource {
    /** Group keys under PIM. */
    public readonly groups: string[];

    constructor(name: string, args: JitAccessArgs, opts?: pulumi.ComponentResourceOptions) {
        super("idfed:guardrails:JitAccess", name, {}, opts);
        for (const g of args.model.pim) {
            const groupId = args.entraGroupIds.get(g.groupKey);
            if (groupId === undefined) {
                throw new pulumi.RunError(
                    `idfed: \`idfed:guardrails.jit.pim.${g.groupKey}\`: the group is not federated by this stack (no Entra object id)`,
                );
            }
            const policy = new azuread.GroupRoleManagementPolicy(
                `${name}-${g.groupKey}-policy`,
                {
                    groupId,
                    roleId: "member",
                    activationRules: {
                        maximumDuration: `PT${g.maxActivationHours}H`,
                        requireMultifactorAuthentication: g.requireMfa,
                        requireJustification: g.requireJustification,
                        requireTicketInfo: g.requireTicketInfo,
                        requireApproval: g.requireApproval,
                        ...(g.requireApproval
                            ? {
                                  approvalStage: { primaryApprovers: g.approvers.map((objectId) => ({ objectId, type: "singleUser" })) },
                              }
                            : {}),
                    },
                    eligibleAssignmentRules: { expirationRequired: true, expireAfter: `P${g.eligibilityDays}D` },
                    activeAssignmentRules: {
                        expirationRequired: true,
                        expireAfter: "P15D",
                        requireMultifactorAuthentication: true,
                        requireJustification: true,
                    },
                },
                { parent: this },
            );
            for (const member of g.eligibleMembers) {
                new azuread.PrivilegedAccessGroupEligibilitySchedule(
                    `${name}-${g.groupKey}-${member}`,
                    {
                        groupId,
                        principalId: member,
                        assignmentType: "member",
                        duration: `P${g.eligibilityDays}D`,
                        justification: `idfed: eligible for ${g.groupKey} (managed in idfed:guardrails.jit)`,
                    },
                    { parent: this, dependsOn: [policy] },
                );
            }
        }
        this.groups = args.model.pim.map((g) => g.groupKey);
        this.registerOutputs({ groups: this.groups });
    }
}
