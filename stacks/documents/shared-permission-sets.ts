/**
 * What a shared stack publishes about its permission sets so that every assignments shard's policy pack can
 * judge them as a single stack would (admin-level sets only for allow-listed groups holds across shards).
 * The shape mirrors the inputs of the permission set's children (`aws:ssoadmin` attachments and inline
 * policy), which is what the pack judges in the stack that owns them. Pure.
 */
import { StackModel } from "../model";
import { stablePolicyJson } from "./policy-json";

/** One permission set's policies, as its child resources take them. */
export interface SharedPermissionSetPolicies {
    /** The inline policy as sent to `PermissionSetInlinePolicy.inlinePolicy` (sorted-key JSON). */
    readonly inlinePolicy?: string;
    /** AWS-managed policy ARNs attached. */
    readonly managedPolicyArns: readonly string[];
    /** Customer-managed policy references attached. */
    readonly customerManagedPolicies: readonly { readonly name: string; readonly path: string }[];
    /** The permissions boundary, as `PermissionsBoundaryAttachment.permissionsBoundary`. */
    readonly permissionsBoundary?:
        | { readonly managedPolicyArn: string }
        | { readonly customerManagedPolicyReference: { readonly name: string; readonly path: string } };
}

/** Stack output name under which a shared (or single) stack publishes {@link sharedPermissionSetPolicies}. */
export const PERMISSION_SET_POLICIES_OUTPUT = "permissionSetPolicies";

/** Every permission set's policies, by key (the shared stack's `permissionSetPolicies` output). */
export function sharedPermissionSetPolicies(model: StackModel): Record<string, SharedPermissionSetPolicies> {
    const out: Record<string, SharedPermissionSetPolicies> = {};
    for (const p of model.permissionSets) {
        const b = p.permissionsBoundary;
        Object.defineProperty(out, p.key, {
            enumerable: true,
            writable: true,
            configurable: true,
            value: {
                ...(p.inlinePolicy !== undefined ? { inlinePolicy: stablePolicyJson(p.inlinePolicy) } : {}),
                managedPolicyArns: [...p.managedPolicyArns],
                customerManagedPolicies: p.customerManagedPolicies.map((r) => ({ name: r.name, path: r.path })),
                ...(b === undefined
                    ? {}
                    : {
                          permissionsBoundary:
                              b.kind === "managed"
                                  ? { managedPolicyArn: b.managedPolicyArn }
                                  : { customerManagedPolicyReference: { name: b.policy.name, path: b.policy.path } },
                      }),
            },
        });
    }
    return out;
}
