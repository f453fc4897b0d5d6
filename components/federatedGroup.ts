import * as pulumi from "@pulumi/pulumi";
import * as azuread from "@pulumi/azuread";
import * as identitystore from "@pulumi/aws/identitystore";
import { GroupModel, ScimSettings } from "../stacks/model";
import { PollOptions, pollUntilFound } from "./waitFor";

/** The app a federated group is assigned to (from {@link IdentityCenterApp}). */
export interface FederatedGroupApp {
    /** Object id of the enterprise app's service principal. */
    servicePrincipalObjectId: pulumi.Input<string>;
    /** Resource id of the service principal, for provisioning on demand. */
    servicePrincipalId: pulumi.Input<string>;
    /** App role id to assign the group with. */
    appRoleId: pulumi.Input<string>;
    /** Synchronization job resource id (`<servicePrincipalId>/job/<jobId>`); absent when provisioning is not configured. */
    synchronizationJobId?: pulumi.Input<string>;
}

/** Arguments of {@link FederatedGroup}. */
export interface FederatedGroupArgs {
    /** The validated group. */
    group: GroupModel;
    /** The enterprise app the group is assigned to. */
    app: FederatedGroupApp;
    /** Identity store id of the Identity Center instance. */
    identityStoreId: string;
    /** SCIM settings: wait timeout, first delay, and the rule id for provisioning on demand. */
    scim: ScimSettings;
    /** Test hooks for the wait (sleep and clock); production uses real time. */
    poll?: Pick<PollOptions, "sleep" | "now" | "maxDelayMs">;
    /** Progress log while waiting (default `pulumi.log.info`). */
    log?: (message: string) => void;
}

/** The permissions the identity-store lookup of a group needs (GetGroupId, then DescribeGroup in the provider). */
export const IDENTITY_STORE_READ_ACTIONS = ["identitystore:GetGroupId", "identitystore:DescribeGroup"] as const;

/** Message for a group SCIM never provisioned: what to check, in order. */
export function groupNeverAppearedMessage(
    key: string,
    displayName: string,
    identityStoreId: string,
    attempts: number,
    timeoutSeconds: number,
    onDemand: boolean,
): string {
    return [
        `idfed: the Identity Center group for \`idfed:groups.${key}\` ("${displayName}") did not appear in identity store ${identityStoreId} ` +
            `after ${attempts} lookups over ${timeoutSeconds} s. Check, in order:`,
        "  1. the SCIM token (`idfed:scimToken`) is current and matches the Identity Center console (Settings → Automatic provisioning);",
        "  2. the provisioning job of the Entra app is running and not quarantined (Entra admin center → the app → Provisioning → status and logs);",
        `  3. the Entra group "${displayName}" is assigned to the app (Users and groups) and its display name is unique;`,
        onDemand
            ? "  4. the provisioning-on-demand request for the group succeeded (provisioning logs); `idfed:entra.scim.provisionOnDemandRuleId` is the rule id of the app's synchronization schema."
            : "  4. provisioning on demand is off, so the group waits for the job's next cycle (~40 min): raise `idfed:entra.scim.groupWaitTimeout`.",
    ].join("\n");
}

/**
 * True only for the identity store's not-found answer (`ResourceNotFoundException`), which means "not
 * provisioned yet". Anything else (access denied, throttling past the SDK's retries) is not waited out.
 */
export function isGroupNotFound(err: unknown): boolean {
    const text = err instanceof Error ? err.message : String(err);
    return /\bResourceNotFoundException\b/.test(text) && !isAccessDenied(err);
}

/** True for an IAM denial (`AccessDeniedException` / "is not authorized to perform"). */
export function isAccessDenied(err: unknown): boolean {
    const text = err instanceof Error ? err.message : String(err);
    return /\bAccessDenied(Exception)?\b|is not authorized to perform/.test(text);
}

/** Message for a denied identity-store lookup: names the permissions the deploying identity lacks. */
export function accessDeniedMessage(key: string, identityStoreId: string, err: unknown): string {
    const text = err instanceof Error ? err.message : String(err);
    const action = /not authorized to perform: ([\w:]+)/.exec(text)?.[1] ?? IDENTITY_STORE_READ_ACTIONS[0];
    return (
        `idfed: looking up the Identity Center group of \`idfed:groups.${key}\` in identity store ${identityStoreId} was denied ` +
        `(\`${action}\`). Give the deploying identity ${IDENTITY_STORE_READ_ACTIONS.map((a) => `\`${a}\``).join(" and ")} ` +
        '(README "Credentials"); waiting cannot fix this.'
    );
}

/**
 * A group federated from Entra into Identity Center: the Entra group (created or looked up), its assignment
 * to the enterprise app, a provisioning-on-demand request, and the Identity Center group that SCIM creates,
 * found in the identity store by display name with bounded retries (so a first `pulumi up` from empty works).
 */
export class FederatedGroup extends pulumi.ComponentResource {
    /** The group's config key. */
    public readonly key: string;
    /** Entra object id of the group. */
    public readonly entraObjectId: pulumi.Output<string>;
    /** Identity Center (identity store) group id: the principal of account assignments. */
    public readonly identityStoreGroupId: pulumi.Output<string>;
    /** Whether the identity store had the group when looked up (false: SCIM has not created it yet). */
    public readonly inIdentityCenter: pulumi.Output<boolean>;

    constructor(name: string, args: FederatedGroupArgs, opts?: pulumi.ComponentResourceOptions) {
        super("idfed:entra:FederatedGroup", name, {}, opts);
        const child = { parent: this };
        const g = args.group;
        const src = g.source;

        let objectId: pulumi.Output<string>;
        let displayName: pulumi.Output<string>;
        if (src.kind === "create") {
            const group = new azuread.Group(
                name,
                {
                    displayName: src.displayName,
                    description: g.description,
                    owners: g.owners.length > 0 ? [...g.owners] : undefined,
                    securityEnabled: true,
                    mailEnabled: false,
                    preventDuplicateNames: true,
                },
                child,
            );
            objectId = group.objectId;
            displayName = group.displayName;
        } else {
            const found =
                src.kind === "existingById"
                    ? azuread.getGroupOutput({ objectId: src.objectId }, child)
                    : azuread.getGroupOutput({ displayName: src.displayName, securityEnabled: true }, child);
            objectId = found.objectId;
            displayName = found.displayName;
        }

        const assignment = new azuread.AppRoleAssignment(
            `${name}-app`,
            {
                appRoleId: args.app.appRoleId,
                principalObjectId: objectId,
                resourceObjectId: args.app.servicePrincipalObjectId,
            },
            child,
        );

        let provisioned: pulumi.Output<string> = assignment.id;
        const ruleId = args.scim.provisionOnDemandRuleId;
        const jobResourceId = args.app.synchronizationJobId;
        const syncing = jobResourceId !== undefined;
        if (ruleId !== "" && jobResourceId !== undefined) {
            // The provider's job resource id is `<servicePrincipalId>/job/<jobId>`; the request takes the job id.
            const jobId = pulumi.output(jobResourceId).apply((id) => (id.includes("/job/") ? id.slice(id.lastIndexOf("/job/") + 5) : id));
            const request = new azuread.SynchronizationJobProvisionOnDemand(
                `${name}-provision`,
                {
                    servicePrincipalId: args.app.servicePrincipalId,
                    synchronizationJobId: jobId,
                    parameters: [{ ruleId, subjects: [{ objectId, objectTypeName: "Group" }] }],
                },
                { parent: this, dependsOn: [assignment] },
            );
            provisioned = request.id;
        }

        const timeoutSeconds = args.scim.groupWaitTimeoutSeconds;
        const lookup = (dn: string) => async (): Promise<string | undefined> => {
            try {
                const r = await identitystore.getGroup(
                    {
                        identityStoreId: args.identityStoreId,
                        alternateIdentifier: { uniqueAttribute: { attributePath: "DisplayName", attributeValue: dn } },
                    },
                    { parent: this },
                );
                return r.groupId;
            } catch (err) {
                if (isGroupNotFound(err)) return undefined;
                if (isAccessDenied(err)) throw new pulumi.RunError(accessDeniedMessage(g.key, args.identityStoreId, err));
                throw err;
            }
        };
        const log = args.log ?? ((m: string) => pulumi.log.info(m, this));
        // One lookup per group (never per assignment). It runs once the app assignment (and the on-demand
        // request) exist; at preview for a group not created yet, the inputs are unknown and so is the id.
        const waitForGroup = async (dn: string): Promise<string | undefined> => {
            if (pulumi.runtime.isDryRun() || !syncing) {
                // A preview never waits, and nothing is waited for without a synchronization job (nothing would
                // provision the group): one lookup, and an unknown id if the group is not there yet.
                return lookup(dn)();
            }
            const result = await pollUntilFound(lookup(dn), {
                timeoutMs: timeoutSeconds * 1000,
                initialDelayMs: args.scim.groupWaitInitialDelaySeconds * 1000,
                ...args.poll,
                onMiss: (attempts, elapsedMs, nextMs) =>
                    log(
                        `idfed: waiting for SCIM to create the Identity Center group "${dn}" ` +
                            `(\`idfed:groups.${g.key}\`): lookup ${attempts} missed, ${Math.round(elapsedMs / 1000)} s of ${timeoutSeconds} s, next in ${Math.round(nextMs / 1000)} s`,
                    ),
            });
            if (!result.found) {
                throw new pulumi.RunError(
                    groupNeverAppearedMessage(g.key, dn, args.identityStoreId, result.attempts, timeoutSeconds, ruleId !== ""),
                );
            }
            return result.value;
        };
        const unknownId = pulumi.output(pulumi.unknown) as unknown as pulumi.Output<string>;
        const found = pulumi.all([displayName, provisioned]).apply(([dn]) => waitForGroup(dn));
        this.inIdentityCenter = found.apply((id) => id !== undefined);
        this.identityStoreGroupId = found.apply((id) => (id !== undefined ? pulumi.output(id) : unknownId));
        this.key = g.key;
        this.entraObjectId = objectId;
        this.registerOutputs({ key: this.key, entraObjectId: this.entraObjectId, identityStoreGroupId: this.identityStoreGroupId });
    }
}
