/**
 * Pure helpers of the Entra enterprise app: which app role groups are assigned with, and how to read the
 * service principal while Entra replicates it.
 */

/** An app role as the azuread provider reports it on a service principal (`appRoles[]`). */
export interface AppRoleLike {
    readonly id: string;
    readonly displayName: string;
    readonly value?: string;
    readonly enabled?: boolean;
}

/** The all-zero "default access" role id, which the AWS IAM Identity Center gallery app does not accept. */
export const ZERO_ROLE_ID = "00000000-0000-0000-0000-000000000000";

/**
 * Id of the enabled app role whose display name is `displayName` (the gallery app's roles have no `value`,
 * so `appRoleIds`, keyed by value, is empty). Throws a message naming the roles that exist when it is absent.
 */
export function pickAppRoleId(roles: readonly AppRoleLike[] | undefined, displayName: string, appName: string): string {
    const usable = (roles ?? []).filter((r) => r.enabled !== false && r.id !== ZERO_ROLE_ID);
    const found = usable.find((r) => r.displayName === displayName);
    if (found !== undefined) return found.id;
    const names = usable.map((r) => `\`${r.displayName}\``);
    throw new Error(
        `idfed: \`idfed:entra.appRole\`: the enterprise app "${appName}" has no app role named \`${displayName}\`; ` +
            (names.length > 0
                ? `its roles are ${names.join(", ")}: set \`idfed:entra.appRole\` to one of them`
                : "it publishes no app roles: check that it was created from the AWS IAM Identity Center gallery template"),
    );
}

/** True for the provider's "not found" answer of a just-created object that has not replicated yet. */
export function isReplicationNotFound(err: unknown): boolean {
    const text = err instanceof Error ? err.message : String(err);
    return /not found with object ID|Request_ResourceNotFound|does not exist or one of its queried reference-property objects are not present/i.test(
        text,
    );
}
