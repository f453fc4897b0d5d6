/** Trust policies of IAM roles: who may assume them. */
import * as iam from "@pulumi/aws/iam";
import { ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import { analyzeTrustPolicy } from "../analysis/trust";
import { Unknowns, config, reportFindings, stringList } from "./common";
import { withoutKnownActions } from "./documents";
import { documentsOf } from "./extract";

/** Settings of `trust-policies`. */
export interface TrustConfig {
    /** Require `sts:ExternalId` or MFA for principals of accounts not in `trustedAccountIds`. Default true. */
    requireExternalIdForCrossAccount: boolean;
    /** Account ids whose principals are not cross-account (your organization's accounts). Default none. */
    trustedAccountIds: string[];
    /** Role resource names whose trust policy was reviewed and is accepted. Default none. */
    exemptResourceNames: string[];
    /** Actions newer than the bundled catalog, accepted as known. Default none. */
    knownActions: string[];
}

const DEFAULTS: TrustConfig = {
    requireExternalIdForCrossAccount: true, trustedAccountIds: [], exemptResourceNames: [], knownActions: [],
};

/** Blocks trust policies that let strangers assume a role. */
export const trustPolicies: ResourceValidationPolicy = {
    name: "trust-policies",
    description: "Role trust policies name their principals and carry the conditions (SAML:aud, sub, ExternalId/MFA, org id) that keep strangers out.",
    configSchema: {
        properties: {
            requireExternalIdForCrossAccount: {
                type: "boolean", default: true,
                description: "Require an sts:ExternalId or MFA condition for principals of accounts not listed in trustedAccountIds.",
            },
            trustedAccountIds: { ...stringList("Account ids treated as your own (not cross-account)."), items: { type: "string", pattern: "^\\d{12}$" } },
            exemptResourceNames: stringList("Role resource names whose trust policy was reviewed and is accepted."),
            knownActions: stringList("IAM actions newer than the bundled catalog, accepted as known."),
        },
    },
    validateResource: validateResourceOfType(iam.Role, (props, args, report) => {
        const cfg = config(args, DEFAULTS);
        if (cfg.exemptResourceNames.includes(args.name)) return;
        const unknowns = new Unknowns();
        for (const d of documentsOf(args.type, props)) {
            if (d.kind !== "trust" || unknowns.check(d.value, d.what)) continue;
            if (d.value === undefined) continue;
            const r = analyzeTrustPolicy(d.value, cfg, d.what);
            if (r.status === "unknown") unknowns.add(`${d.what} at ${r.unknownPath ?? ""}`);
            reportFindings(withoutKnownActions(r.findings, cfg.knownActions), "mandatory", report, `${d.what}: `);
        }
        unknowns.finish();
    }),
};
