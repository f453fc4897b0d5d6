import * as pulumi from "@pulumi/pulumi";
import * as ssoadmin from "@pulumi/aws/ssoadmin";
import { Environment, Grant } from "../stacks/model";

/** Arguments of {@link AccountAssignments}. */
export interface AccountAssignmentsArgs {
    /** Identity Center instance ARN. */
    instanceArn: pulumi.Input<string>;
    /** The live grants (already expanded over the OU tree, de-duplicated, expired ones removed). */
    grants: readonly Grant[];
    /** Grants left out because they expired; published as metadata for the policy pack and reviews. */
    expiredGrants: readonly Grant[];
    /** Identity Center group id per group key (one lookup per group, never per assignment). */
    groupIds: ReadonlyMap<string, pulumi.Input<string>>;
    /**
     * In an assignments shard: the shared stack's permission set policies with their ARNs, by key (published
     * for the policy pack, which judges admin-level sets against these grants). Absent in a single stack.
     */
    sharedPermissionSets?: pulumi.Input<Record<string, unknown>>;
    /** Permission set ARN per permission set key (one per permission set, never per assignment). */
    permissionSetArns: ReadonlyMap<string, pulumi.Input<string>>;
    /** The organization's management account id (published for the policy pack). */
    managementAccountId: string;
    /** The stack's environment class (published for the policy pack). */
    environment: Environment;
    /** What an assignment of a permission set (by key) waits for: its customer-managed policies in the account. */
    dependsOnByPermissionSet?: ReadonlyMap<string, readonly pulumi.Resource[]>;
}

/**
 * Resource name of one assignment: from (account id, group key, permission-set key) only, so reordering
 * config, renaming display names or moving an account between OUs that grant the same access changes no URN.
 * Collisions between hyphenated keys are rejected before any resource (stacks/names.ts).
 */
export { assignmentResourceName } from "../stacks/org/names";
import { assignmentResourceName } from "../stacks/org/names";

/** Plain-data view of a grant for stack outputs and policy metadata. */
function grantData(g: Grant): { accountId: string; groupKey: string; permissionSetKey: string; expiresAt?: string } {
    return g.expiresAt === undefined
        ? { accountId: g.accountId, groupKey: g.groupKey, permissionSetKey: g.permissionSetKey }
        : { accountId: g.accountId, groupKey: g.groupKey, permissionSetKey: g.permissionSetKey, expiresAt: g.expiresAt };
}

/**
 * One `aws.ssoadmin.AccountAssignment` per grant (group principals only). The grants metadata is
 * registered as the component's outputs so the policy pack can judge the stack as a whole.
 */
export class AccountAssignments extends pulumi.ComponentResource {
    /** Number of assignments registered. */
    public readonly count: number;
    /** The grants this component manages, as plain data. */
    public readonly grants: ReturnType<typeof grantData>[];

    constructor(name: string, args: AccountAssignmentsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("idfed:aws:AccountAssignments", name, {}, opts);
        const child = { parent: this };
        for (const g of args.grants) {
            const principalId = args.groupIds.get(g.groupKey);
            const permissionSetArn = args.permissionSetArns.get(g.permissionSetKey);
            if (principalId === undefined || permissionSetArn === undefined) {
                // The stack model guarantees both keys exist; reaching this is a programming error.
                throw new Error(`grant ${g.accountId}/${g.groupKey}/${g.permissionSetKey} references an unknown group or permission set`);
            }
            new ssoadmin.AccountAssignment(
                assignmentResourceName(name, g),
                {
                    instanceArn: args.instanceArn,
                    permissionSetArn,
                    principalId,
                    principalType: "GROUP",
                    targetId: g.accountId,
                    targetType: "AWS_ACCOUNT",
                },
                { ...child, dependsOn: [...(args.dependsOnByPermissionSet?.get(g.permissionSetKey) ?? [])] },
            );
        }
        this.count = args.grants.length;
        this.grants = args.grants.map(grantData);
        this.registerOutputs({
            count: this.count,
            grants: this.grants,
            expiredGrants: args.expiredGrants.map(grantData),
            managementAccountId: args.managementAccountId,
            environment: args.environment,
            // principalId → group key for the policy pack (exact, even where two groups share a grant shape).
            groupIds: Object.fromEntries(args.groupIds),
            // In a shard: the shared stack's permission sets, so the pack judges them with these grants.
            ...(args.sharedPermissionSets !== undefined ? { sharedPermissionSets: args.sharedPermissionSets } : {}),
        });
    }
}
