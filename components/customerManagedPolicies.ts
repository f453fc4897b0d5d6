import * as pulumi from "@pulumi/pulumi";
import * as cloudformation from "@pulumi/aws/cloudformation";
import * as iam from "@pulumi/aws/iam";
import { createHash } from "crypto";
import { CustomerManagedPolicyModel } from "../stacks/config/customer-policies";

/** Arguments of {@link CustomerManagedPolicies}. */
export interface CustomerManagedPoliciesArgs {
    /** The declared policies (`idfed:customerManagedPolicies`). */
    policies: readonly CustomerManagedPolicyModel[];
    /** `path+name` → account ids whose assignments use the policy (from the expanded grants). */
    accountsByPolicy: ReadonlyMap<string, readonly string[]>;
    /** The management account: a service-managed StackSet never deploys there, so it gets the policies directly. */
    managementAccountId: string;
    /** Parent (OU or root id) of an account: the StackSet deploys to these OUs, with automatic deployment. */
    parentOf: (accountId: string) => string | undefined;
    /** Region of the stack instances (IAM is global: one region suffices). */
    region: string;
}

/** CloudFormation logical id of a policy: alphanumeric, stable, unique per path+name. */
function logicalId(p: CustomerManagedPolicyModel): string {
    const h = createHash("sha256").update(`${p.path}${p.name}`).digest("hex").slice(0, 8);
    return `Policy${p.name.replace(/[^A-Za-z0-9]/g, "")}${h}`.slice(0, 255);
}

/** The StackSet template: one `AWS::IAM::ManagedPolicy` per policy (keys sorted, no diff on reorder). */
export function customerPoliciesTemplate(policies: readonly CustomerManagedPolicyModel[]): string {
    const resources: Record<string, unknown> = {};
    for (const p of [...policies].sort((a, b) => `${a.path}${a.name}`.localeCompare(`${b.path}${b.name}`))) {
        resources[logicalId(p)] = {
            Type: "AWS::IAM::ManagedPolicy",
            Properties: {
                ManagedPolicyName: p.name,
                Path: p.path,
                PolicyDocument: p.document,
                ...(p.description !== undefined ? { Description: p.description } : {}),
            },
        };
    }
    return JSON.stringify({
        AWSTemplateFormatVersion: "2010-09-09",
        Description: "idfed: customer-managed policies used by permission sets",
        Resources: resources,
    });
}

/**
 * The customer-managed policies permission sets reference, created where their assignments need them: a
 * service-managed StackSet (automatic deployment) to the OUs holding those accounts, and the policy itself in the
 * management account when an assignment there uses it. Assignments that use them depend on {@link ready}.
 */
export class CustomerManagedPolicies extends pulumi.ComponentResource {
    /** What assignments using these policies wait for. */
    public readonly ready: pulumi.Resource[];
    /** OU (or root) ids the StackSet deploys to. */
    public readonly targets: string[];

    constructor(name: string, args: CustomerManagedPoliciesArgs, opts?: pulumi.ComponentResourceOptions) {
        super("idfed:aws:CustomerManagedPolicies", name, {}, opts);
        const ready: pulumi.Resource[] = [];
        const key = (p: CustomerManagedPolicyModel) => `${p.path}${p.name}`;
        const needed = args.policies.filter((p) => (args.accountsByPolicy.get(key(p)) ?? []).length > 0);
        const inMembers = needed.filter((p) => (args.accountsByPolicy.get(key(p)) ?? []).some((a) => a !== args.managementAccountId));
        const targets = new Set<string>();
        for (const p of inMembers) {
            for (const a of args.accountsByPolicy.get(key(p)) ?? []) {
                const parent = a === args.managementAccountId ? undefined : args.parentOf(a);
                if (parent !== undefined) targets.add(parent);
            }
        }
        if (inMembers.length > 0) {
            const stackSet = new cloudformation.StackSet(
                `${name}-stackset`,
                {
                    name: "idfed-customer-managed-policies",
                    description: "idfed: customer-managed policies that permission sets reference, in every account of the target OUs",
                    permissionModel: "SERVICE_MANAGED",
                    autoDeployment: { enabled: true, retainStacksOnAccountRemoval: false },
                    callAs: "SELF",
                    capabilities: ["CAPABILITY_NAMED_IAM"],
                    managedExecution: { active: true },
                    operationPreferences: {
                        failureTolerancePercentage: 10,
                        maxConcurrentPercentage: 25,
                        regionConcurrencyType: "PARALLEL",
                    },
                    templateBody: customerPoliciesTemplate(inMembers),
                    tags: { "idfed:managed-by": "idfed-customer-managed-policies" },
                },
                { parent: this },
            );
            // One instance per OU (a stable key): an OU that stops needing the policies loses only its own instance.
            for (const ou of [...targets].sort()) {
                ready.push(
                    new cloudformation.StackSetInstance(
                        `${name}-${ou}`,
                        {
                            stackSetName: stackSet.name,
                            callAs: "SELF",
                            deploymentTargets: { organizationalUnitIds: [ou] },
                            retainStack: false,
                            stackSetInstanceRegion: args.region,
                        },
                        { parent: this },
                    ),
                );
            }
        }
        for (const p of needed) {
            if (!(args.accountsByPolicy.get(key(p)) ?? []).includes(args.managementAccountId)) continue;
            ready.push(
                new iam.Policy(
                    `${name}-management-${p.name}`,
                    {
                        name: p.name,
                        path: p.path,
                        description: p.description,
                        policy: JSON.stringify(p.document),
                        tags: { "idfed:managed-by": "idfed-customer-managed-policies" },
                    },
                    { parent: this },
                ),
            );
        }
        this.ready = ready;
        this.targets = [...targets].sort();
        this.registerOutputs({ targets: this.targets, policies: needed.map(key) });
    }
}
