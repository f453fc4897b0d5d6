/** The SCIM token: warn before it lapses, block once it has (provisioning silently stops). */
import { PolicyResource, ReportViolation, StackValidationArgs, StackValidationPolicy } from "@pulumi/policy";
import { isUnknownValue } from "../analysis/document";
import { Unknowns, config, prop, today } from "./common";
import { TYPES } from "./stack-model";

/** Settings of the SCIM token policies. */
export interface ScimConfig {
    /** Warn this many days before the token expires. Default 30. */
    scimTokenWarnDays: number;
}

const DAY = 24 * 3600 * 1000;

function expiryOf(r: PolicyResource, unknowns: Unknowns): number | undefined {
    const v = prop(r.props, "scimTokenExpiresAt");
    if (isUnknownValue(v)) {
        unknowns.add(`the SCIM token expiry of ${r.name}`);
        return undefined;
    }
    if (typeof v !== "string") return undefined;
    const t = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(v) ? `${v}T00:00:00Z` : v);
    return Number.isFinite(t) ? t : undefined;
}

function validator(mode: "expiring" | "expired") {
    return (args: StackValidationArgs, report: ReportViolation): void => {
        const cfg = config<ScimConfig>(args, { scimTokenWarnDays: 30 });
        const unknowns = new Unknowns();
        const now = today().getTime();
        for (const r of args.resources) {
            if (r.type !== TYPES.identityCenterApp) continue;
            const t = expiryOf(r, unknowns);
            if (t === undefined) continue;
            const date = new Date(t).toISOString().slice(0, 10);
            const days = Math.floor((t - now) / DAY);
            if (mode === "expired" && t <= now) {
                report(
                    `the SCIM token expired on ${date}: Entra has stopped provisioning users and groups to Identity Center. ` +
                        "Generate a new token in the Identity Center console, then `pulumi config set --secret idfed:scimToken` and update `idfed:entra.scim.tokenExpiresAt`.",
                    r.urn,
                );
            } else if (mode === "expiring" && t > now && days < cfg.scimTokenWarnDays) {
                report(
                    `the SCIM token expires on ${date} (in ${days} day(s), warning at ${cfg.scimTokenWarnDays}). Rotate it before then: ` +
                        "generate a new token in the Identity Center console and update `idfed:scimToken` and `idfed:entra.scim.tokenExpiresAt`.",
                    r.urn,
                );
            }
        }
        if (mode === "expired") unknowns.finish();
    };
}

/** Advisory: the SCIM token expires within `scimTokenWarnDays`. */
export const scimTokenExpiring: StackValidationPolicy = {
    name: "scim-token-expiring",
    description: "The SCIM provisioning token expires soon.",
    enforcementLevel: "advisory",
    configSchema: {
        properties: {
            scimTokenWarnDays: {
                type: "integer",
                minimum: 1,
                maximum: 365,
                default: 30,
                description: "Warn this many days before the SCIM token expires.",
            },
        },
    },
    validateStack: validator("expiring"),
};

/** Mandatory: the SCIM token has expired. */
export const scimTokenExpired: StackValidationPolicy = {
    name: "scim-token-expired",
    description: "The SCIM provisioning token has not expired.",
    validateStack: validator("expired"),
};
