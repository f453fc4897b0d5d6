/**
 * The highest access level a permission set grants, for the HTML matrix's colours: `admin` (the one
 * definition in `admin-level.ts`), `write` (an Allow without a Condition reaching an action that changes
 * state, as the pack's `changesState` counts them), `conditional` (such writes only under a Condition), else
 * `read`. Uses the pack's analysis; pure.
 */
import { parseDocument } from "idfed-policy-pack/analysis/document";
import { changesState } from "idfed-policy-pack/analysis/identity";
import { judgeManagedPolicy, managedPolicyDocument } from "idfed-policy-pack/analysis/managed-policies";
import { adminReasons } from "idfed-policy-pack/analysis/admin-level";

/** Levels from lowest to highest (the HTML data stores the index). */
export const LEVELS = ["read", "conditional", "write", "admin"] as const;
/** One access level. */
export type AccessLevelName = (typeof LEVELS)[number];

/** `write`, `conditional` or undefined (no write) for one document. */
function documentWrites(doc: unknown): "write" | "conditional" | undefined {
    const parsed = parseDocument(doc);
    if (parsed.kind !== "ok") return undefined;
    let conditional = false;
    for (const s of parsed.statements) {
        if (s.effect !== "Allow") continue;
        if (!changesState(s)) continue;
        if (s.conditions.length === 0) return "write";
        conditional = true;
    }
    return conditional ? "conditional" : undefined;
}

/** The highest level a permission set (managed policy ARNs + inline policy) grants. */
export function accessLevelOf(ps: { readonly managedPolicyArns: readonly string[]; readonly inlinePolicy?: unknown }): AccessLevelName {
    if (adminReasons(ps).length > 0) return "admin";
    let best: AccessLevelName = "read";
    for (const arn of ps.managedPolicyArns) {
        const doc = managedPolicyDocument(arn);
        const w = doc ? documentWrites(doc) : judgeManagedPolicy(arn).writeOnStar ? "write" : undefined;
        if (w === "write") return "write";
        if (w === "conditional") best = "conditional";
    }
    if (ps.inlinePolicy !== undefined) {
        const w = documentWrites(ps.inlinePolicy);
        if (w === "write") return "write";
        if (w === "conditional") best = "conditional";
    }
    return best;
}
