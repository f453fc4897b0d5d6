/**
 * The removal guard: a partial read (OUs returned without their accounts, a throttled listing) must never
 * become a mass deletion of access. The program compares the grants it is about to deploy with the access it
 * last deployed (its own `access` stack output, read through a stack reference to itself; offline, a saved
 * plan given with `--previous`) and refuses, before registering any assignment, an update that removes more
 * than `maxRemovals` assignments and more than `maxSharePercent` of them, or that turns an assignment rule
 * that matched accounts into one that matches none. `acknowledge` lets one reviewed removal through: the
 * fingerprint the refusal prints, which names exactly that set of removed assignments. Pure.
 */
import { createHash } from "crypto";
import { Expansion, OrgTree, RemovalGuardModel } from "../model";

export type { RemovalGuardModel };
import { at, checkKeys, expectObject, Issues, own, show, str, typeName } from "../input/validate";

/** Defaults: refuse removing more than 5 assignments that are also more than 10 % of those deployed. */
export const REMOVAL_GUARD_DEFAULTS: RemovalGuardModel = { maxRemovals: 5, maxSharePercent: 10 };

const KEYS = ["maxRemovals", "maxSharePercent", "acknowledge"] as const;

/** Parses `idfed:removalGuard` (absent = the defaults). Problems go to `issues`. */
export function parseRemovalGuard(value: unknown, path: string, issues: Issues): RemovalGuardModel {
    if (value === undefined || value === null) return REMOVAL_GUARD_DEFAULTS;
    const o = expectObject(value, path, issues);
    if (!o) return REMOVAL_GUARD_DEFAULTS;
    checkKeys(o, KEYS, path, issues);
    const int = (key: "maxRemovals" | "maxSharePercent", max: number, dflt: number): number => {
        const v = own(o, key);
        if (v === undefined || v === null) return dflt;
        if (typeof v !== "number" || !Number.isInteger(v) || v < 0 || v > max) {
            issues.add(at(path, key), `expected a whole number from 0 to ${max}, got ${typeName(v)} ${show(v)}`);
            return dflt;
        }
        return v;
    };
    const acknowledge = str(o, "acknowledge", path, issues, {
        pattern: /^[0-9a-f]{16}$/,
        expected: "the 16-hex-digit fingerprint the removal guard printed",
    });
    return {
        maxRemovals: int("maxRemovals", 1_000_000, REMOVAL_GUARD_DEFAULTS.maxRemovals),
        maxSharePercent: int("maxSharePercent", 100, REMOVAL_GUARD_DEFAULTS.maxSharePercent),
        ...(acknowledge !== undefined ? { acknowledge } : {}),
    };
}

/**
 * Whether removing `removed` of `deployed` assignments passes the guard's thresholds (both the count and the
 * share must be exceeded to refuse); the reason when it does, else undefined. Shared by the program's guard
 * and the access diff's HIGH RISK flag.
 */
export function removalThresholdExceeded(
    removed: number,
    deployed: number,
    guard: RemovalGuardModel = REMOVAL_GUARD_DEFAULTS,
): string | undefined {
    const share = deployed === 0 ? 0 : (100 * removed) / deployed;
    if (removed <= guard.maxRemovals || share <= guard.maxSharePercent) return undefined;
    return (
        `it removes ${removed} of the ${deployed} deployed assignments (${share.toFixed(1)} %; the guard allows ` +
        `${guard.maxRemovals} or ${guard.maxSharePercent} %)`
    );
}

/** One row of the access matrix as the program exports it (`access` output) and the plan JSON lists it. */
export interface AccessKey {
    readonly accountId: string;
    readonly group: string;
    readonly permissionSet: string;
}

/** The guard's verdict. */
export interface RemovalVerdict {
    /** Assignments deployed before and absent now (expired grants excluded: their removal is intended). */
    readonly removed: readonly AccessKey[];
    /** `group → permissionSet` pairs that had accounts before and have none now. */
    readonly emptied: readonly string[];
    /** Fingerprint of this removal (what `acknowledge` must be to let it through). */
    readonly fingerprint: string;
    /** Why the update is refused, or undefined when it may go ahead. */
    readonly refusal?: string;
}

const rowKey = (r: AccessKey): string => `${r.accountId}/${r.group}/${r.permissionSet}`;

/** Narrows the previous deployment's `access` output (unknown shape: an older program, or none) to rows. */
export function previousAccess(value: unknown): AccessKey[] {
    if (!Array.isArray(value)) return [];
    const out: AccessKey[] = [];
    for (const r of value) {
        if (r === null || typeof r !== "object") continue;
        const { accountId, group, permissionSet } = r as Record<string, unknown>;
        if (typeof accountId === "string" && typeof group === "string" && typeof permissionSet === "string")
            out.push({ accountId, group, permissionSet });
    }
    return out;
}

/**
 * Judges an update: `previous` (the deployed access), `next` (the expansion about to be deployed). Refuses
 * past the thresholds, or when a pair that had accounts has none, unless `acknowledge` equals the fingerprint.
 */
export function judgeRemoval(previous: readonly AccessKey[], next: Expansion, guard: RemovalGuardModel): RemovalVerdict {
    const now = new Set(next.grants.map((g) => rowKey({ accountId: g.accountId, group: g.groupKey, permissionSet: g.permissionSetKey })));
    const expired = new Set(
        next.expired.map((g) => rowKey({ accountId: g.accountId, group: g.groupKey, permissionSet: g.permissionSetKey })),
    );
    const prev = [...new Map(previous.map((r) => [rowKey(r), r])).values()];
    const removed = prev.filter((r) => !now.has(rowKey(r)) && !expired.has(rowKey(r))).sort((a, b) => (rowKey(a) < rowKey(b) ? -1 : 1));
    const pair = (g: string, p: string) => `${g} → ${p}`;
    const nowPairs = new Set(next.grants.map((g) => pair(g.groupKey, g.permissionSetKey)));
    const expiredPairs = new Set(next.expired.map((g) => pair(g.groupKey, g.permissionSetKey)));
    const emptied = [...new Set(removed.map((r) => pair(r.group, r.permissionSet)))]
        .filter((p) => !nowPairs.has(p) && !expiredPairs.has(p))
        .sort();
    const fingerprint = createHash("sha256").update(removed.map(rowKey).join("\n")).digest("hex").slice(0, 16);
    const tooMany = removalThresholdExceeded(removed.length, prev.length, guard);
    if ((tooMany === undefined && emptied.length === 0) || guard.acknowledge === fingerprint) return { removed, emptied, fingerprint };
    const why = [
        ...(tooMany !== undefined ? [tooMany] : []),
        ...(emptied.length
            ? [
                  `${emptied
                      .slice(0, 5)
                      .map((p) => `\`${p}\``)
                      .join(", ")}${emptied.length > 5 ? ", …" : ""} had accounts and now match none`,
              ]
            : []),
    ].join("; and ");
    return {
        removed,
        emptied,
        fingerprint,
        refusal:
            `idfed removal guard: refused before any change: ${why}. A partial organization read (OUs listed without ` +
            "their accounts) looks exactly like this. If the removal is intended, review it and set " +
            `\`idfed:removalGuard.acknowledge: ${fingerprint}\` (this exact removal only), e.g. first removed: ` +
            `${removed
                .slice(0, 3)
                .map((r) => `${r.accountId}/${r.group}/${r.permissionSet}`)
                .join(", ")}${removed.length > 3 ? ", …" : ""}`,
    };
}

/**
 * A read of the organization that returned OUs but no account under any of them (a failed or throttled
 * listing): the message refusing it, or undefined. Accounts directly under the root do not count.
 */
export function partialOrgRead(org: OrgTree): string | undefined {
    let ous = 0;
    let accounts = 0;
    const walk = (u: OrgTree["ous"][number]): void => {
        ous++;
        accounts += u.accounts.length;
        u.ous.forEach(walk);
    };
    org.ous.forEach(walk);
    if (ous === 0 || accounts > 0) return undefined;
    return (
        `idfed removal guard: the organization read returned ${ous} OU${ous === 1 ? "" : "s"} and no account in any of them: ` +
        "a partial or throttled read, refused before any change (it would delete every assignment in those OUs). Re-run; " +
        "if the OUs really are empty, move an account into one or remove the OUs"
    );
}
