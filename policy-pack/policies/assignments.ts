/** Who is assigned where: groups only in prod, the management account only for allow-listed groups, no expired grants. */
import { StackValidationPolicy } from "@pulumi/policy";
import { Unknowns, config, prop, str, stringList, today } from "./common";
import { ENVIRONMENT_SCHEMA, stackEnvironment } from "./environment";
import { candidateGroups } from "./permission-sets";
import { stackView } from "./stack-model";

/** No USER principal assignments in prod: access goes through groups only. */
export const noUserAssignmentsInProd: StackValidationPolicy = {
    name: "no-user-assignments-in-prod",
    description: "In prod, account assignments name groups only, never individual users.",
    configSchema: { properties: { ...ENVIRONMENT_SCHEMA } },
    validateStack: (args, report) => {
        const { env, view } = stackEnvironment(args);
        if (!env.prod) return;
        const unknowns = new Unknowns();
        for (const a of view.assignments) {
            const t = prop(a.props, "principalType");
            if (unknowns.check(t, `the principal type of assignment ${a.name}`)) continue;
            if (t !== "GROUP") {
                report(
                    `assignment \`${a.name}\` gives account ${str(a.props, "targetId") ?? "?"} to a ${typeof t === "string" ? t.toLowerCase() : "malformed"} ` +
                        `principal in ${env.name} (${env.source}). Assign an Entra group synced through SCIM and add the person to it.`,
                    a.urn,
                );
            }
        }
        unknowns.finish();
    },
};

/** Settings of `management-account-assignments`. */
export interface ManagementConfig {
    /** Group keys that may be assigned to the management account. Default none. */
    managementAccountAllowedGroupKeys: string[];
    /** Management account id when the stack does not publish it. Default none. */
    managementAccountId: string;
}

/** No assignment to the management account unless the group is allow-listed. */
export const managementAccountAssignments: StackValidationPolicy = {
    name: "management-account-assignments",
    description: "Only allow-listed groups are assigned to the organization's management account.",
    configSchema: {
        properties: {
            managementAccountAllowedGroupKeys: stringList("Group keys that may be assigned to the management account."),
            managementAccountId: { type: "string", default: "", description: "Management account id, when the stack does not publish it." },
        },
    },
    validateStack: (args, report) => {
        const cfg = config<ManagementConfig>(args, { managementAccountAllowedGroupKeys: [], managementAccountId: "" });
        const view = stackView(args.resources);
        const unknowns = new Unknowns();
        for (const u of view.unknowns) unknowns.add(u);
        const mgmt = view.managementAccountId ?? (cfg.managementAccountId || undefined);
        if (!mgmt) {
            if (view.assignments.length > 0)
                unknowns.add("the management account id (publish `managementAccountId` or set it in the policy config)");
            unknowns.finish();
            return;
        }
        const allowed = new Set(cfg.managementAccountAllowedGroupKeys);
        const bad = new Set<string>();
        for (const g of view.grants ?? []) {
            if (g.accountId !== mgmt || allowed.has(g.groupKey) || bad.has(g.groupKey)) continue;
            bad.add(g.groupKey);
            report(
                `group \`${g.groupKey}\` is assigned permission set \`${g.permissionSetKey}\` in the management account ${mgmt}; ` +
                    `only [${cfg.managementAccountAllowedGroupKeys.join(", ")}] may be. Exclude the management account from that ` +
                    "assignment, or add the group to `managementAccountAllowedGroupKeys` after review.",
                view.metadataUrn,
            );
        }
        for (const a of view.assignments) {
            const target = prop(a.props, "targetId");
            if (unknowns.check(target, `the target account of assignment ${a.name}`) || target !== mgmt) continue;
            const ps = view.assignmentPermissionSet.get(a);
            const groups = prop(a.props, "principalType") === "USER" ? undefined : candidateGroups(a, view, ps?.key);
            if (groups !== undefined && groups.every((g) => allowed.has(g) || bad.has(g))) continue;
            report(
                `assignment \`${a.name}\` targets the management account ${mgmt} with a principal that maps to no group in ` +
                    "`managementAccountAllowedGroupKeys`.",
                a.urn,
            );
        }
        unknowns.finish();
    },
};

function expired(expiresAt: string | undefined, now: Date): boolean {
    if (!expiresAt) return false;
    const t = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(expiresAt) ? `${expiresAt}T23:59:59Z` : expiresAt);
    return Number.isFinite(t) && t < now.getTime();
}

/** A grant past its expiry must not be assigned. */
export const expiredGrants: StackValidationPolicy = {
    name: "expired-grants",
    description: "No account assignment is made for a grant whose expiry has passed.",
    validateStack: (args, report) => {
        const view = stackView(args.resources);
        const unknowns = new Unknowns();
        for (const u of view.unknowns) unknowns.add(u);
        const now = today();
        for (const g of view.grants ?? []) {
            if (!expired(g.expiresAt, now)) continue;
            report(
                `group \`${g.groupKey}\` still gets permission set \`${g.permissionSetKey}\` in account ${g.accountId} although ` +
                    `the grant expired at ${g.expiresAt}. Remove the assignment from config or extend \`expiresAt\` with a reason.`,
                view.metadataUrn,
            );
        }
        unknowns.finish();
    },
};

/** Expired grants left in config are reported so they get cleaned up. */
export const expiredGrantsInConfig: StackValidationPolicy = {
    name: "expired-grants-in-config",
    description: "Grants that expired (and so are not assigned) are still listed in the stack config.",
    enforcementLevel: "advisory",
    validateStack: (args, report) => {
        const view = stackView(args.resources);
        const groups = new Map<string, { accounts: Set<string>; at: string }>();
        for (const g of view.expiredGrants) {
            const k = `${g.groupKey} / ${g.permissionSetKey}`;
            const e = groups.get(k) ?? { accounts: new Set<string>(), at: g.expiresAt ?? "?" };
            e.accounts.add(g.accountId);
            groups.set(k, e);
        }
        for (const [k, e] of groups) {
            report(
                `expired grant ${k} (expired ${e.at}, ${e.accounts.size} account(s)) is still in the stack config; remove it.`,
                view.metadataUrn,
            );
        }
    },
};
