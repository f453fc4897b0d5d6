import * as pulumi from "@pulumi/pulumi";
import * as ssoadmin from "@pulumi/aws/ssoadmin";
import { PermissionSetModel } from "../stacks/model";
import { stablePolicyJson } from "../stacks/documents/policy-json";

/** Arguments of {@link PermissionSet}. */
export interface PermissionSetArgs {
    /** Identity Center instance ARN the permission set lives in. */
    instanceArn: pulumi.Input<string>;
    /** The validated permission set (AWS limits already checked by `stacks/`). */
    model: PermissionSetModel;
}

/** Last path segment of an AWS-managed policy ARN, e.g. `ReadOnlyAccess` or `job-function-ViewOnlyAccess`. */
export function managedPolicyResourceSuffix(arn: string): string {
    const path = arn.replace(/^arn:[^:]+:iam::aws:policy\//, "");
    return path.replace(/\//g, "-");
}

/**
 * An Identity Center permission set with every policy kind: AWS-managed attachments, customer-managed
 * references, an inline policy and a permissions boundary. Children are named from the component name and
 * the policy's own identity (ARN / path+name), never from list position.
 */
export class PermissionSet extends pulumi.ComponentResource {
    /** The permission set ARN. */
    public readonly arn: pulumi.Output<string>;
    /** The permission set's config key. */
    public readonly key: string;
    /** The permission set's name in Identity Center. */
    public readonly permissionSetName: string;

    constructor(name: string, args: PermissionSetArgs, opts?: pulumi.ComponentResourceOptions) {
        super("idfed:aws:PermissionSet", name, {}, opts);
        const m = args.model;
        const child = { parent: this };
        const ps = new ssoadmin.PermissionSet(
            name,
            {
                instanceArn: args.instanceArn,
                name: m.name,
                description: m.description,
                sessionDuration: m.sessionDuration,
                relayState: m.relayState,
                tags: { ...m.tags, "idfed:permission-set-key": m.key },
            },
            child,
        );
        const base = { instanceArn: args.instanceArn, permissionSetArn: ps.arn };

        // Attachments depend on each other only through the permission set; Identity Center serializes
        // writes per permission set, which the provider's retries absorb.
        for (const arn of m.managedPolicyArns) {
            new ssoadmin.ManagedPolicyAttachment(
                `${name}-managed-${managedPolicyResourceSuffix(arn)}`,
                {
                    ...base,
                    managedPolicyArn: arn,
                },
                child,
            );
        }
        for (const ref of m.customerManagedPolicies) {
            const suffix = `${ref.path}${ref.name}`.replace(/^\//, "").replace(/\//g, "-");
            new ssoadmin.CustomerManagedPolicyAttachment(
                `${name}-customer-${suffix}`,
                {
                    ...base,
                    customerManagedPolicyReference: { name: ref.name, path: ref.path },
                },
                child,
            );
        }
        if (m.inlinePolicy !== undefined) {
            new ssoadmin.PermissionSetInlinePolicy(
                `${name}-inline`,
                {
                    ...base,
                    inlinePolicy: stablePolicyJson(m.inlinePolicy),
                },
                child,
            );
        }
        if (m.permissionsBoundary !== undefined) {
            const b = m.permissionsBoundary;
            new ssoadmin.PermissionsBoundaryAttachment(
                `${name}-boundary`,
                {
                    ...base,
                    permissionsBoundary:
                        b.kind === "managed"
                            ? { managedPolicyArn: b.managedPolicyArn }
                            : { customerManagedPolicyReference: { name: b.policy.name, path: b.policy.path } },
                },
                child,
            );
        }

        this.arn = ps.arn;
        this.key = m.key;
        this.permissionSetName = m.name;
        this.registerOutputs({ arn: this.arn, key: this.key, name: this.permissionSetName });
    }
}
