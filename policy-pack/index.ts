/**
 * The idfed CrossGuard policy pack: `pulumi preview --policy-pack policy-pack`. The offline plan starts this
 * same file through `runner/` the way the CLI does. Analysis lives in `analysis/`, policies in `policies/`.
 */
import { PolicyPack } from "@pulumi/policy";
import { policies } from "./policies";

new PolicyPack("idfed", {
    description: "Blocks overly broad IAM access and unsafe Identity Center assignments before they reach AWS.",
    enforcementLevel: "mandatory",
    policies,
});
