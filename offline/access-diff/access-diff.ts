/**
 * The access diff between two offline plans: who gains and who loses which permission set in which
 * account, what changed inside permission sets, and which policy verdicts appeared or went away.
 * Pure: takes two parsed plans and a loaded IAM catalog, returns a plain object (rendered elsewhere).
 */
import { removalThresholdExceeded } from "../../stacks/config/removal-guard";
import type { PlanAccessEntry, PlanJson, PlanPermissionSet, PlanViolation } from "./access-diff-plan";
import type { UnmanagedAssignment } from "../types";
import type { AccessLevel, ActionCatalog } from "./access-diff-iam";
import { allowedActions, groupByAccessLevel } from "./access-diff-iam";
import { isProductionAccount, permissionSetRiskReasons } from "./access-diff-risk";

/** A grant that exists in head but not in base. */
export interface AccessGain extends PlanAccessEntry {
    /** True when the permission set is admin-level or the account is a production account. */
    readonly highRisk: boolean;
    /** Why it is high risk (empty when it is not). */
    readonly riskReasons: readonly string[];
}

/** A grant that exists in base but not in head. */
export interface AccessLoss extends PlanAccessEntry {
    /** `expired` when head lists the grant among expired grants, else `removed`. */
    readonly reason: "removed" | "expired";
}

/** A grant present on both sides whose expiry changed. */
export interface ExpiryChange {
    readonly entry: PlanAccessEntry;
    readonly from?: string;
    readonly to?: string;
}

/** An account whose OU path changed (informational: its grants are compared by account id). */
export interface AccountMove {
    readonly accountId: string;
    readonly accountName: string;
    readonly fromOuPath: string;
    readonly toOuPath: string;
}

/** Actions grouped by access level. */
export type ActionsByLevel = Partial<Record<AccessLevel, string[]>>;

/** What changed inside one permission set (keyed by its config key). */
export interface PermissionSetChange {
    readonly key: string;
    readonly name: string;
    readonly status: "added" | "removed" | "changed";
    readonly sessionDuration?: { readonly from: string; readonly to: string };
    readonly managedPoliciesAdded: readonly string[];
    readonly managedPoliciesRemoved: readonly string[];
    readonly customerManagedPoliciesAdded: readonly string[];
    readonly customerManagedPoliciesRemoved: readonly string[];
    readonly permissionsBoundaryChanged: boolean;
    /** Inline-policy actions now allowed that were not, by access level. */
    readonly actionsAdded: ActionsByLevel;
    /** Inline-policy actions no longer allowed, by access level. */
    readonly actionsRemoved: ActionsByLevel;
    /** Head grants that use this permission set (they change with it). */
    readonly grantsUsing: number;
    readonly highRisk: boolean;
    readonly riskReasons: readonly string[];
}

/** The whole diff. */
export interface AccessDiff {
    readonly stack: string;
    readonly environment: string;
    /** Labels of the two sides (git refs or file names). */
    readonly base: string;
    readonly head: string;
    /** False when nobody gains or loses a grant, no expiry changed and no permission set in use changed. */
    readonly accessChanged: boolean;
    readonly gains: readonly AccessGain[];
    readonly losses: readonly AccessLoss[];
    readonly expiryChanges: readonly ExpiryChange[];
    readonly moves: readonly AccountMove[];
    readonly permissionSets: readonly PermissionSetChange[];
    readonly verdictsAppeared: readonly PlanViolation[];
    readonly verdictsResolved: readonly PlanViolation[];
    /** Unmanaged assignments in head's snapshot; `new` when base's plan did not list them. */
    readonly unmanaged: readonly (UnmanagedAssignment & { readonly new: boolean })[];
    /**
     * Why the losses are HIGH RISK (more than the removal guard's default thresholds: a partial organization read
     * looks like this), or absent.
     */
    readonly massLoss?: string;
    readonly summary: {
        readonly gains: number;
        readonly losses: number;
        readonly highRisk: number;
        readonly permissionSetsChanged: number;
        readonly verdictsAppeared: number;
        readonly verdictsResolved: number;
    };
}

/** Identity of a grant: the same triple the assignment's resource name derives from. */
export function grantKey(e: Pick<PlanAccessEntry, "group" | "permissionSet" | "accountId">): string {
    return `${e.group}\u0000${e.permissionSet}\u0000${e.accountId}`;
}

function verdictKey(v: PlanViolation): string {
    return [v.policy, v.level, v.urn ?? "", v.message].join("\u0000");
}

function byKey<T>(items: readonly T[], key: (t: T) => string): Map<string, T> {
    return new Map(items.map((t) => [key(t), t]));
}

function minus(a: readonly string[], b: readonly string[]): string[] {
    const set = new Set(b);
    return [...new Set(a)].filter((x) => !set.has(x)).sort();
}

function sortEntries<T extends PlanAccessEntry>(list: T[]): T[] {
    return list.sort(
        (x, y) =>
            x.accountId.localeCompare(y.accountId) || x.group.localeCompare(y.group) || x.permissionSet.localeCompare(y.permissionSet),
    );
}

function cmpRef(c: { name: string; path: string }): string {
    return `${c.path}${c.name}`;
}

function stableJson(v: unknown): string {
    return (
        JSON.stringify(v, (_k, val: unknown) =>
            val && typeof val === "object" && !Array.isArray(val)
                ? Object.fromEntries(Object.entries(val as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)))
                : val,
        ) ?? ""
    );
}

function diffPermissionSet(
    base: PlanPermissionSet | undefined,
    head: PlanPermissionSet | undefined,
    catalog: ActionCatalog,
    grantsUsing: number,
): PermissionSetChange | undefined {
    const b = base,
        h = head;
    const ref = (h ?? b) as PlanPermissionSet;
    const baseActions = b?.inlinePolicy !== undefined ? [...allowedActions(b.inlinePolicy, catalog)] : [];
    const headActions = h?.inlinePolicy !== undefined ? [...allowedActions(h.inlinePolicy, catalog)] : [];
    const added = minus(headActions, baseActions);
    const removed = minus(baseActions, headActions);
    const change: PermissionSetChange = {
        key: ref.key,
        name: ref.name,
        status: !b ? "added" : !h ? "removed" : "changed",
        ...(b && h && b.sessionDuration !== h.sessionDuration
            ? { sessionDuration: { from: b.sessionDuration, to: h.sessionDuration } }
            : {}),
        managedPoliciesAdded: minus(h?.managedPolicyArns ?? [], b?.managedPolicyArns ?? []),
        managedPoliciesRemoved: minus(b?.managedPolicyArns ?? [], h?.managedPolicyArns ?? []),
        customerManagedPoliciesAdded: minus((h?.customerManagedPolicies ?? []).map(cmpRef), (b?.customerManagedPolicies ?? []).map(cmpRef)),
        customerManagedPoliciesRemoved: minus(
            (b?.customerManagedPolicies ?? []).map(cmpRef),
            (h?.customerManagedPolicies ?? []).map(cmpRef),
        ),
        permissionsBoundaryChanged: stableJson(b?.permissionsBoundary) !== stableJson(h?.permissionsBoundary) && !!b && !!h,
        actionsAdded: groupByAccessLevel(added, catalog),
        actionsRemoved: groupByAccessLevel(removed, catalog),
        grantsUsing,
        highRisk: false,
        riskReasons: [],
    };
    const contentChanged =
        change.status !== "changed" ||
        change.sessionDuration !== undefined ||
        change.managedPoliciesAdded.length +
            change.managedPoliciesRemoved.length +
            change.customerManagedPoliciesAdded.length +
            change.customerManagedPoliciesRemoved.length +
            added.length +
            removed.length >
            0 ||
        change.permissionsBoundaryChanged;
    if (!contentChanged) return undefined;
    // Only an existing permission set that becomes admin-level is a risk by itself; a new one is judged
    // through the grants that use it.
    const headRisk = permissionSetRiskReasons(h, catalog);
    const becameRisky = b && h && headRisk.length > 0 && permissionSetRiskReasons(b, catalog).length === 0;
    return becameRisky && grantsUsing > 0 ? { ...change, highRisk: true, riskReasons: headRisk.map((r) => `now ${r}`) } : change;
}

/** Computes the access diff of `head` against `base` (both plans of the same stack). */
export function computeAccessDiff(
    base: PlanJson,
    head: PlanJson,
    catalog: ActionCatalog,
    labels: { readonly base: string; readonly head: string },
): AccessDiff {
    const baseAccess = byKey(base.access, grantKey);
    const headAccess = byKey(head.access, grantKey);
    const headExpired = new Set(head.expired.map(grantKey));
    const headSets = byKey(head.permissionSets, (p) => p.key);
    const baseSets = byKey(base.permissionSets, (p) => p.key);

    const gains: AccessGain[] = [];
    const expiryChanges: ExpiryChange[] = [];
    for (const [k, e] of headAccess) {
        const before = baseAccess.get(k);
        if (before) {
            if (before.expiresAt !== e.expiresAt) {
                expiryChanges.push({
                    entry: e,
                    ...(before.expiresAt ? { from: before.expiresAt } : {}),
                    ...(e.expiresAt ? { to: e.expiresAt } : {}),
                });
            }
            continue;
        }
        const riskReasons = permissionSetRiskReasons(headSets.get(e.permissionSet), catalog);
        if (isProductionAccount(e)) riskReasons.push("production account");
        gains.push({ ...e, highRisk: riskReasons.length > 0, riskReasons });
    }
    const losses: AccessLoss[] = [...baseAccess]
        .filter(([k]) => !headAccess.has(k))
        .map(([k, e]) => ({ ...e, reason: headExpired.has(k) ? ("expired" as const) : ("removed" as const) }));

    const baseOu = new Map(base.access.concat(base.expired).map((e) => [e.accountId, e]));
    const moves: AccountMove[] = [];
    const seen = new Set<string>();
    for (const e of head.access.concat(head.expired)) {
        const before = baseOu.get(e.accountId);
        if (!before || seen.has(e.accountId) || before.ouPath === e.ouPath) continue;
        seen.add(e.accountId);
        moves.push({ accountId: e.accountId, accountName: e.accountName, fromOuPath: before.ouPath, toOuPath: e.ouPath });
    }

    const permissionSets: PermissionSetChange[] = [];
    for (const key of [...new Set([...baseSets.keys(), ...headSets.keys()])].sort()) {
        const using = head.access.filter((e) => e.permissionSet === key).length;
        const c = diffPermissionSet(baseSets.get(key), headSets.get(key), catalog, using);
        if (c) permissionSets.push(c);
    }

    const baseVerdicts = byKey(base.violations, verdictKey);
    const headVerdicts = byKey(head.violations, verdictKey);
    const verdictsAppeared = [...headVerdicts].filter(([k]) => !baseVerdicts.has(k)).map(([, v]) => v);
    const verdictsResolved = [...baseVerdicts].filter(([k]) => !headVerdicts.has(k)).map(([, v]) => v);

    const uKey = (u: UnmanagedAssignment) => [u.accountId, u.permissionSetName, u.principalType, u.principalDisplayName].join("\u0000");
    const baseUnmanaged = new Set(base.unmanaged.map(uKey));
    const unmanaged = head.unmanaged.map((u) => ({ ...u, new: !baseUnmanaged.has(uKey(u)) }));

    sortEntries(gains);
    sortEntries(losses);
    // Many grants lost at once is what a partial organization read looks like: HIGH RISK, with the guard's thresholds.
    const massLoss = removalThresholdExceeded(losses.filter((l) => l.reason === "removed").length, new Set(base.access.map(grantKey)).size);
    const highRisk = gains.filter((g) => g.highRisk).length + permissionSets.filter((p) => p.highRisk).length + (massLoss ? 1 : 0);
    return {
        stack: head.stack,
        environment: head.environment,
        base: labels.base,
        head: labels.head,
        accessChanged: gains.length + losses.length + expiryChanges.length > 0 || permissionSets.some((p) => p.grantsUsing > 0),
        gains,
        losses,
        expiryChanges,
        moves: moves.sort((a, b) => a.accountId.localeCompare(b.accountId)),
        permissionSets,
        verdictsAppeared,
        verdictsResolved,
        unmanaged,
        ...(massLoss !== undefined ? { massLoss } : {}),
        summary: {
            gains: gains.length,
            losses: losses.length,
            highRisk,
            permissionSetsChanged: permissionSets.length,
            verdictsAppeared: verdictsAppeared.length,
            verdictsResolved: verdictsResolved.length,
        },
    };
}
