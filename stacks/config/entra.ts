/**
 * Parser of `idfed:entra` (tenant, SAML and SCIM settings) and of the presence of `idfed:scimToken`.
 * The token's value never leaves this module: only whether it is configured.
 */
import { EntraSettings, Environment, SamlSettings, ScimSettings } from "../model";
import {
    at,
    checkKeys,
    checkString,
    EMAIL_RE,
    expectObject,
    GUID_RE,
    isHttpsUrl,
    Issues,
    own,
    checkDuration,
    parseIsoInstant,
    show,
    str,
    stringList,
    typeName,
} from "../input/validate";

/** Default display name of the Entra enterprise app. */
export const DEFAULT_APP_DISPLAY_NAME = "AWS IAM Identity Center";
/** Default Entra gallery template display name. */
export const DEFAULT_GALLERY_TEMPLATE_NAME = "AWS IAM Identity Center (successor to AWS Single Sign-On)";
/**
 * Synchronization template id of the gallery app's provisioning job: `aWSSingleSignon` (lowercase "on").
 * Source: microsoftgraph/microsoft-graph-docs-contrib, "Configure provisioning using Microsoft Graph API"
 * (GET /servicePrincipals/{id}/synchronization/templates → `"id": "aWSSingleSignon"`).
 */
export const DEFAULT_SYNC_TEMPLATE_ID = "aWSSingleSignon";
/**
 * Rule id of that template's group/user rule (`USERGROUP_OUTBOUND_USERGROUP`, `supportsProvisionOnDemand: true`),
 * used for provisioning on demand. Same source as {@link DEFAULT_SYNC_TEMPLATE_ID} (`synchronizationRules[0].id`).
 */
export const DEFAULT_PROVISION_ON_DEMAND_RULE_ID = "03f7d90d-bf71-41b1-bda6-aaf0ddbee5d8";
/** Identity Center SCIM endpoint: `https://scim.<region>.amazonaws.com/<id>/scim/v2`. */
export const SCIM_ENDPOINT_RE =
    /^https:\/\/scim\.[a-z]{2}(?:-gov)?-[a-z]+-\d{1,2}\.amazonaws\.com(?:\.cn)?\/[A-Za-z0-9_-]{1,128}\/scim\/v2\/?$/;

const ENTRA_KEYS = ["tenantId", "appDisplayName", "galleryTemplateName", "appRole", "saml", "scim"] as const;
const SAML_KEYS = [
    "entityId",
    "acsUrl",
    "signOnUrl",
    "relayState",
    "notificationEmails",
    "certificateYears",
    "certificateIssuedOn",
] as const;
const SCIM_KEYS = [
    "endpoint",
    "tokenExpiresAt",
    "synchronizationTemplateId",
    "provisionOnDemandRuleId",
    "groupWaitTimeout",
    "groupWaitInitialDelay",
] as const;

/** Fix shown when the SCIM token is missing. */
export const SCIM_TOKEN_FIX = "pulumi config set --secret idfed:scimToken <token>";

/**
 * Whether `idfed:scimToken` is configured (a non-empty string). Records an issue when it has the wrong
 * type, or when it is missing where `required` (default: in prod). The value itself is never rendered.
 */
export function parseScimToken(value: unknown, environment: Environment, issues: Issues, required = environment === "prod"): boolean {
    const path = "idfed:scimToken";
    if (value !== undefined && value !== null && typeof value !== "string") {
        issues.add(
            path,
            `expected a string (the SCIM access token, value hidden), got ${typeName(value)}; ` + `set it with \`${SCIM_TOKEN_FIX}\``,
        );
        return false;
    }
    const configured = typeof value === "string" && value.trim().length > 0;
    if (!configured && required) {
        issues.add(
            path,
            `is required in prod (the SCIM access token from the Identity Center console); ` + `set it with \`${SCIM_TOKEN_FIX}\``,
        );
    }
    return configured;
}

function httpsUrl(obj: Record<string, unknown>, key: string, path: string, issues: Issues, required: boolean): string | undefined {
    const v = str(obj, key, path, issues, { required, expected: "an https:// URL" });
    if (v === undefined) return undefined;
    if (!isHttpsUrl(v)) {
        issues.add(at(path, key), `${show(v)} is not an https:// URL (copy it from the Identity Center console)`);
        return undefined;
    }
    return v;
}

function duration(obj: Record<string, unknown>, key: string, path: string, issues: Issues, dflt: number): number {
    const v = str(obj, key, path, issues, { expected: "an ISO-8601 duration such as PT10M" });
    if (v === undefined) return dflt;
    return (
        checkDuration(v, at(path, key), issues, {
            min: 1,
            max: Number.MAX_SAFE_INTEGER,
            range: "any duration longer than zero",
            by: "idfed",
        }) ?? dflt
    );
}

function parseSaml(v: unknown, path: string, issues: Issues): SamlSettings | undefined {
    if (v === undefined || v === null) {
        issues.add(path, "is required (entityId and acsUrl from the Identity Center console)");
        return undefined;
    }
    const o = expectObject(v, path, issues);
    if (!o) return undefined;
    checkKeys(o, SAML_KEYS, path, issues);
    const entityId = httpsUrl(o, "entityId", path, issues, true);
    const acsUrl = httpsUrl(o, "acsUrl", path, issues, true);
    const signOnUrl = httpsUrl(o, "signOnUrl", path, issues, false);
    const relayState = str(o, "relayState", path, issues, { max: 240 });
    const notificationEmails = stringList(o, "notificationEmails", path, issues, (e, p) =>
        checkString(e, p, issues, { pattern: EMAIL_RE, expected: "an e-mail address", max: 254 })?.toLowerCase(),
    );
    let certificateYears = 3;
    const cy = own(o, "certificateYears");
    if (cy !== undefined && cy !== null) {
        if (typeof cy === "number" && Number.isInteger(cy) && cy >= 1 && cy <= 3) certificateYears = cy;
        else issues.add(at(path, "certificateYears"), `${show(cy)} is not allowed (expected a whole number of years, 1–3)`);
    }
    let certificateIssuedOn = str(o, "certificateIssuedOn", path, issues, { expected: "an ISO-8601 date such as 2026-11-29", max: 40 });
    if (certificateIssuedOn !== undefined && parseIsoInstant(certificateIssuedOn) === undefined) {
        issues.add(
            at(path, "certificateIssuedOn"),
            `${show(certificateIssuedOn)} is not an ISO-8601 date (e.g. 2026-11-29); ` +
                "set it to the day you rotate the signing certificate",
        );
        certificateIssuedOn = undefined;
    }
    if (entityId === undefined || acsUrl === undefined) return undefined;
    const out: SamlSettings = {
        entityId,
        acsUrl,
        notificationEmails,
        certificateYears,
        ...(certificateIssuedOn !== undefined ? { certificateIssuedOn } : {}),
        ...(signOnUrl !== undefined ? { signOnUrl } : {}),
        ...(relayState !== undefined ? { relayState } : {}),
    };
    return out;
}

function parseScim(v: unknown, path: string, issues: Issues, tokenConfigured: boolean): ScimSettings | undefined {
    const o = expectObject(v, path, issues);
    if (!o) return undefined;
    checkKeys(o, SCIM_KEYS, path, issues);
    let endpoint = str(o, "endpoint", path, issues, {
        required: true,
        expected: "https://scim.<region>.amazonaws.com/<id>/scim/v2",
    });
    if (endpoint !== undefined && !SCIM_ENDPOINT_RE.test(endpoint)) {
        issues.add(
            at(path, "endpoint"),
            `${show(endpoint)} is not an Identity Center SCIM endpoint ` + "(expected https://scim.<region>.amazonaws.com/<id>/scim/v2)",
        );
        endpoint = undefined;
    }
    let tokenExpiresAt = str(o, "tokenExpiresAt", path, issues, {
        required: true,
        expected: "an ISO-8601 date such as 2026-06-30",
    });
    if (tokenExpiresAt !== undefined && parseIsoInstant(tokenExpiresAt) === undefined) {
        issues.add(
            at(path, "tokenExpiresAt"),
            `${show(tokenExpiresAt)} is not a valid ISO-8601 date or date-time ` + "(e.g. 2026-06-30 or 2026-06-30T12:00:00Z)",
        );
        tokenExpiresAt = undefined;
    }
    const synchronizationTemplateId = str(o, "synchronizationTemplateId", path, issues, { max: 256 }) ?? DEFAULT_SYNC_TEMPLATE_ID;
    const provisionOnDemandRuleId = str(o, "provisionOnDemandRuleId", path, issues, { max: 256 }) ?? DEFAULT_PROVISION_ON_DEMAND_RULE_ID;
    const groupWaitTimeoutSeconds = duration(o, "groupWaitTimeout", path, issues, 600);
    const groupWaitInitialDelaySeconds = duration(o, "groupWaitInitialDelay", path, issues, 5);
    if (groupWaitInitialDelaySeconds > groupWaitTimeoutSeconds) {
        issues.add(
            at(path, "groupWaitInitialDelay"),
            `${show(own(o, "groupWaitInitialDelay"))} is longer than ` + "groupWaitTimeout; make it shorter than the timeout",
        );
    }
    if (endpoint === undefined || tokenExpiresAt === undefined) return undefined;
    return {
        endpoint: endpoint.replace(/\/$/, ""),
        tokenExpiresAt,
        tokenConfigured,
        synchronizationTemplateId,
        provisionOnDemandRuleId,
        groupWaitTimeoutSeconds,
        groupWaitInitialDelaySeconds,
    };
}

/** Parses `idfed:entra`; returns undefined (with issues recorded) when it is missing or invalid. */
export function parseEntra(value: unknown, tokenConfigured: boolean, issues: Issues): EntraSettings | undefined {
    const path = "idfed:entra";
    if (value === undefined || value === null) {
        issues.add(path, "is required (tenantId, saml and scim settings)");
        return undefined;
    }
    const o = expectObject(value, path, issues);
    if (!o) return undefined;
    checkKeys(o, ENTRA_KEYS, path, issues);
    const tenantId = str(o, "tenantId", path, issues, {
        required: true,
        pattern: GUID_RE,
        expected: "a GUID such as 00000000-0000-0000-0000-000000000000",
        max: 36,
    })?.toLowerCase();
    const appDisplayName = str(o, "appDisplayName", path, issues, { max: 256 }) ?? DEFAULT_APP_DISPLAY_NAME;
    const galleryTemplateName = str(o, "galleryTemplateName", path, issues, { max: 256 }) ?? DEFAULT_GALLERY_TEMPLATE_NAME;
    const appRole = str(o, "appRole", path, issues, { max: 120 }) ?? "User";
    const saml = parseSaml(own(o, "saml"), at(path, "saml"), issues);
    // No `scim` yet is stage 1 of the rollout (README "First rollout"): the app and its SAML metadata only.
    const rawScim = own(o, "scim");
    const scim = rawScim === undefined || rawScim === null ? undefined : parseScim(rawScim, at(path, "scim"), issues, tokenConfigured);
    if (tenantId === undefined || saml === undefined || (scim === undefined && rawScim !== undefined && rawScim !== null)) return undefined;
    return { tenantId, appDisplayName, galleryTemplateName, appRole, saml, ...(scim !== undefined ? { scim } : {}) };
}
