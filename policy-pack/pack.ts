/**
 * The pack's own settings, shared by `index.ts` (the pack the CLI and the runner start) and
 * `runner/in-process.ts` (the same policies evaluated in the caller's process), so both agree.
 */
import { EnforcementLevel } from "@pulumi/policy";

/** The pack's name (`PolicyPack` name; diagnostics say `policy pack 'idfed@v<version>'`). */
export const PACK_NAME = "idfed";

/** The pack's description. */
export const PACK_DESCRIPTION = "Blocks overly broad IAM access and unsafe Identity Center assignments before they reach AWS.";

/** The pack's enforcement level: a policy without its own level gets this one. */
export const PACK_ENFORCEMENT_LEVEL: EnforcementLevel = "mandatory";
