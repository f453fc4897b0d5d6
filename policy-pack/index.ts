/**
 * The idfed CrossGuard policy pack: `pulumi preview --policy-pack policy-pack`. The offline plan starts this
 * same file through `runner/` the way the CLI does. Analysis lives in `analysis/`, policies in `policies/`.
 */
import { PolicyPack } from "@pulumi/policy";
import { PACK_DESCRIPTION, PACK_ENFORCEMENT_LEVEL, PACK_NAME } from "./pack";
import { policies } from "./policies";

new PolicyPack(PACK_NAME, {
    description: PACK_DESCRIPTION,
    enforcementLevel: PACK_ENFORCEMENT_LEVEL,
    policies,
});
