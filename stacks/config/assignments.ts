/** Parser of `idfed:assignments`: which group gets which permission set where, and until when. */
import { AssignmentRule } from "../model";
import {
    at,
    bool,
    checkAccountId,
    checkKeys,
    checkOuId,
    expectArray,
    expectObject,
    has,
    hint,
    idx,
    Issues,
    own,
    parseIsoInstant,
    show,
    str,
    stringList,
    stringMap,
    typeName,
} from "../input/validate";

const RULE_KEYS = ["group", "permissionSet", "ous", "recursive", "accounts", "accountTags", "exclude", "expiresAt", "reason"] as const;
const EXCLUDE_KEYS = ["accounts", "ous"] as const;

/** Known keys that assignment rules may reference. */
export interface AssignmentRefs {
    /** Keys of `idfed:groups`. */
    readonly groups: ReadonlySet<string>;
    /** Keys of `idfed:permissionSets`. */
    readonly permissionSets: ReadonlySet<string>;
}

function reference(
    o: Record<string, unknown>,
    key: "group" | "permissionSet",
    path: string,
    known: ReadonlySet<string>,
    issues: Issues,
): string | undefined {
    const section = key === "group" ? "idfed:groups" : "idfed:permissionSets";
    const v = str(o, key, path, issues, { required: true, expected: `a key of \`${section}\``, max: 200 });
    if (v === undefined) return undefined;
    if (!known.has(v)) {
        const h = hint(v, known);
        issues.add(
            at(path, key),
            `${show(v)} is not a key of \`${section}\`${
                h ||
                (known.size
                    ? `; known keys: ${[...known]
                          .sort()
                          .slice(0, 20)
                          .map((k) => `\`${k}\``)
                          .join(", ")}`
                    : `; \`${section}\` defines none`)
            }`,
        );
        return undefined;
    }
    return v;
}

/**
 * Parses an assignment's `expiresAt` (ISO-8601 date or date-time with `Z` or an offset, a real calendar
 * date) and returns it normalized to a UTC instant (`2026-03-01T00:00:00.000Z`).
 */
export function parseExpiry(v: unknown, path: string, issues: Issues): string | undefined {
    if (typeof v !== "string") {
        issues.add(path, `expected an ISO-8601 date or date-time string (e.g. "2026-03-01T00:00:00Z"), got ${typeName(v)} ${show(v)}`);
        return undefined;
    }
    const d = parseIsoInstant(v);
    if (d === undefined) {
        issues.add(
            path,
            `${show(v)} is not a valid ISO-8601 date or date-time with Z or an offset ` +
                "(e.g. 2026-03-01 or 2026-03-01T18:00:00Z; the date must exist in the calendar)",
        );
        return undefined;
    }
    return d.toISOString();
}

function tagSelector(o: Record<string, unknown>, path: string, issues: Issues): Record<string, string> | undefined {
    return stringMap(
        o,
        "accountTags",
        path,
        issues,
        (k, p) => {
            if (k.length === 0 || k.length > 128) {
                issues.add(p, `${show(k)} is not a valid tag key (1–128 characters)`);
                return false;
            }
            return true;
        },
        (v, p) => {
            if (typeof v === "string" && v.length <= 256) return v;
            issues.add(p, `expected a tag value string (≤ 256 characters, or "*" for any value), got ${typeName(v)} ${show(v)}; quote it`);
            return undefined;
        },
    );
}

function parseRule(v: unknown, i: number, refs: AssignmentRefs, issues: Issues): AssignmentRule | undefined {
    const path = idx("idfed:assignments", i);
    const o = expectObject(v, path, issues);
    if (!o) return undefined;
    checkKeys(o, RULE_KEYS, path, issues);
    const before = issues.count;
    const group = reference(o, "group", path, refs.groups, issues);
    const permissionSet = reference(o, "permissionSet", path, refs.permissionSets, issues);
    const ous = stringList(o, "ous", path, issues, (x, p) => checkOuId(x, p, issues));
    const recursive = bool(o, "recursive", path, issues, true);
    const accounts = stringList(o, "accounts", path, issues, (x, p) => checkAccountId(x, p, issues));
    const accountTags = tagSelector(o, path, issues);
    let exclude = { accounts: [] as string[], ous: [] as string[] };
    if (has(o, "exclude")) {
        const ep = at(path, "exclude");
        const e = expectObject(own(o, "exclude"), ep, issues);
        if (e) {
            checkKeys(e, EXCLUDE_KEYS, ep, issues);
            exclude = {
                accounts: stringList(e, "accounts", ep, issues, (x, p) => checkAccountId(x, p, issues)),
                ous: stringList(e, "ous", ep, issues, (x, p) => checkOuId(x, p, issues)),
            };
        }
    }
    const expiresAt = has(o, "expiresAt") ? parseExpiry(own(o, "expiresAt"), at(path, "expiresAt"), issues) : undefined;
    const reason = str(o, "reason", path, issues, { max: 1000, multiline: true });
    const hasTags = accountTags !== undefined && Object.keys(accountTags).length > 0;
    if (issues.count === before && ous.length === 0 && accounts.length === 0 && !hasTags) {
        issues.add(path, `${show(o)} targets nothing; give at least one of \`ous\`, \`accounts\` or \`accountTags\``);
    }
    if (issues.count !== before || group === undefined || permissionSet === undefined) return undefined;
    return {
        index: i,
        group,
        permissionSet,
        targets: { ous, recursive, accounts, ...(hasTags ? { accountTags } : {}) },
        exclude,
        ...(expiresAt !== undefined ? { expiresAt } : {}),
        ...(reason !== undefined ? { reason } : {}),
    };
}

/** Parses `idfed:assignments` (a list), checking group and permission set references against `refs`. */
export function parseAssignments(value: unknown, refs: AssignmentRefs, issues: Issues): AssignmentRule[] {
    if (value === undefined || value === null) return [];
    const list = expectArray(value, "idfed:assignments", issues);
    if (!list) return [];
    const out: AssignmentRule[] = [];
    list.forEach((v, i) => {
        const r = parseRule(v, i, refs, issues);
        if (r) out.push(r);
    });
    return out;
}
