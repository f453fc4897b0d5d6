/**
 * Who can perform an action, where, and through what: every grant (declared by the stack, or unmanaged in the
 * org snapshot) evaluated as IAM would for a role of that permission set: the permission set's policies
 * (AWS-managed by their documents, inline; customer-managed unknown), its permissions boundary intersected,
 * then the SCPs on the account's path (root → OUs → account; the management account is exempt). Conditions
 * are not evaluated: such answers are "conditionally". Pure over the plan and the org tree.
 */
import type { OrgTree } from "../../stacks/model/index";
import { indexOrg } from "../../stacks/org/org-index";
import type { SnapshotScp } from "../../stacks/model/snapshot";
import type { PlanResult } from "../types";
import { DocEval, evaluateDocument, evaluateManagedPolicy, mergeEvals, Question, StatementRef, via } from "./policy-eval";

/** A permission set's content, declared or existing, in one shape. */
export interface PermissionSetContent {
    /** Config key (declared) or ARN (existing). */
    id: string;
    name: string;
    managedPolicyArns: readonly string[];
    customerManagedPolicies: readonly { name: string; path: string }[];
    inlinePolicy?: unknown;
    boundary?: { managedPolicyArn: string } | { customerManagedPolicy: { name: string; path: string } };
}

/** One principal holding one permission set in one account. */
export interface GrantRef {
    principalType: "GROUP" | "USER";
    /** Group display name or user name. */
    principal: string;
    /** The group's config key, for declared grants. */
    groupKey?: string;
    accountId: string;
    permissionSet: PermissionSetContent;
    /** False for access no stack declares (from the snapshot). */
    managed: boolean;
    expiresAt?: string;
}

/** One "can" answer. */
export interface WhoCanAnswer {
    principalType: "GROUP" | "USER";
    principal: string;
    groupKey?: string;
    accountId: string;
    accountName: string;
    ouPath: string;
    permissionSet: string;
    managed: boolean;
    answer: "allowed" | "conditionally" | "unknown";
    /** The statements that allow (and conditional denies, for "conditionally"). */
    via: StatementRef[];
    /** Documents that could not be read. */
    unknown: string[];
}

/** A grant whose policies allow the action but something above takes it away. */
export interface BlockedAnswer extends Omit<WhoCanAnswer, "answer" | "unknown"> {
    blockedBy: "deny" | "boundary" | "scp";
    /** The denying statements (or, for an SCP without an Allow, the level it lacks one at). */
    reason: string;
}

/** The result for one question. */
export interface WhoCanResult {
    action: string;
    resource?: string;
    accountFilter?: string;
    answers: WhoCanAnswer[];
    blocked: BlockedAnswer[];
    notes: string[];
}

/** Account id → its SCP path (root, OU ids, account id), name and OU path (from the one org index). */
export function accountPaths(org: OrgTree): Map<string, { path: string[]; name: string; ouPath: string }> {
    const ix = indexOrg(org);
    const out = new Map<string, { path: string[]; name: string; ouPath: string }>();
    for (const [id, a] of ix.accounts) {
        const parent = ix.parents.get(id) ?? org.root;
        out.set(id, { path: [...(ix.chains.get(parent) ?? [org.root]), id], name: a.name, ouPath: ix.accountPaths.get(id) ?? "?" });
    }
    return out;
}

/** Every grant of the plan (declared, live) and of its unmanaged report, with permission set contents. */
export function grantsOf(plan: PlanResult, org: OrgTree): GrantRef[] {
    const sets = new Map<string, PermissionSetContent>();
    for (const p of plan.permissionSets) {
        const b = p.permissionsBoundary as
            { kind?: string; managedPolicyArn?: string; policy?: { name: string; path: string } } | undefined;
        sets.set(p.key, {
            id: p.key,
            name: p.name,
            managedPolicyArns: p.managedPolicyArns,
            customerManagedPolicies: p.customerManagedPolicies,
            ...(p.inlinePolicy !== undefined ? { inlinePolicy: p.inlinePolicy } : {}),
            ...(b?.kind === "managed" && b.managedPolicyArn ? { boundary: { managedPolicyArn: b.managedPolicyArn } } : {}),
            ...(b?.kind === "customerManaged" && b.policy ? { boundary: { customerManagedPolicy: b.policy } } : {}),
        });
    }
    const out: GrantRef[] = plan.access
        .map((r) => ({
            principalType: "GROUP" as const,
            principal: r.groupDisplayName,
            groupKey: r.group,
            accountId: r.accountId,
            permissionSet: sets.get(r.permissionSet)!,
            managed: true,
            ...(r.expiresAt ? { expiresAt: r.expiresAt } : {}),
        }))
        .filter((g) => g.permissionSet !== undefined);
    const existing = new Map((org.snapshot?.identityCenter?.permissionSets ?? []).map((p) => [p.arn, p]));
    for (const u of plan.unmanaged.assignments) {
        const e = existing.get(u.permissionSetArn);
        if (!e) continue;
        out.push({
            principalType: u.principalType,
            principal: u.principalDisplayName,
            accountId: u.accountId,
            managed: false,
            ...(u.declaredGroup ? { groupKey: u.declaredGroup } : {}),
            permissionSet: {
                id: e.arn,
                name: e.name,
                managedPolicyArns: e.managedPolicies,
                customerManagedPolicies: e.customerManagedPolicies,
                ...(e.inlinePolicy !== undefined ? { inlinePolicy: e.inlinePolicy } : {}),
                ...(e.permissionsBoundary !== undefined ? { boundary: e.permissionsBoundary } : {}),
            },
        });
    }
    return out;
}

const refText = (v: StatementRef) => `${v.source} ${v.statement}`;

/** The SCPs' answer for one account. */
interface ScpAnswer {
    ok: boolean;
    conditional: boolean;
    reason: string;
    via: StatementRef[];
}

/** The evaluator with its caches (one per plan; ask it many questions). */
export class WhoCan {
    private readonly paths: ReturnType<typeof accountPaths>;
    private readonly scpsAt = new Map<string, SnapshotScp[]>();
    private readonly psCache = new Map<string, { identity: DocEval; boundary?: DocEval }>();
    /** Grants by permission set id: a set that cannot do the action skips all its grants at once. */
    private readonly byPermissionSet = new Map<string, GrantRef[]>();

    constructor(
        private readonly org: OrgTree,
        grants: readonly GrantRef[],
    ) {
        this.paths = accountPaths(org);
        for (const g of grants) {
            const list = this.byPermissionSet.get(g.permissionSet.id);
            if (list) list.push(g);
            else this.byPermissionSet.set(g.permissionSet.id, [g]);
        }
        for (const s of org.snapshot?.scps ?? []) {
            for (const t of s.targets) this.scpsAt.set(t, [...(this.scpsAt.get(t) ?? []), s]);
        }
    }

    private permissionSet(ps: PermissionSetContent, q: Question, qk: string) {
        const k = `${ps.id}\u0000${qk}`;
        let hit = this.psCache.get(k);
        if (!hit) {
            const evals = ps.managedPolicyArns.map((a) => evaluateManagedPolicy(a, q));
            if (ps.inlinePolicy !== undefined) evals.push(evaluateDocument(ps.inlinePolicy, "inline policy", q));
            for (const c of ps.customerManagedPolicies)
                evals.push({ effect: "unknown", allows: [], denies: [], unknown: [`customer-managed ${c.path}${c.name}`] });
            const identity = mergeEvals(evals);
            let boundary: DocEval | undefined;
            if (ps.boundary && "managedPolicyArn" in ps.boundary) boundary = evaluateManagedPolicy(ps.boundary.managedPolicyArn, q);
            else if (ps.boundary) {
                const c = ps.boundary.customerManagedPolicy;
                boundary = { effect: "unknown", allows: [], denies: [], unknown: [`boundary customer-managed ${c.path}${c.name}`] };
            }
            hit = { identity, ...(boundary ? { boundary } : {}) };
            this.psCache.set(k, hit);
        }
        return hit;
    }

    /** The SCPs on an account's path for a question: allowed at every level, or why not (caches are per question). */
    private scps(accountId: string, q: Question, byAccount: Map<string, ScpAnswer>, byLevel: Map<string, DocEval>): ScpAnswer {
        let hit = byAccount.get(accountId);
        if (hit) return hit;
        hit = { ok: true, conditional: false, reason: "", via: [] };
        const path = this.paths.get(accountId)?.path ?? [];
        if (this.org.snapshot?.scps && accountId !== this.org.managementAccountId) {
            for (const level of path) {
                const attached = this.scpsAt.get(level) ?? [];
                // ASSUMPTION: a level the snapshot attaches nothing to has the default FullAWSAccess.
                if (attached.length === 0) continue;
                let e = byLevel.get(level);
                if (!e) {
                    e = mergeEvals(attached.map((s) => evaluateDocument(s.document, `SCP ${s.name} (${s.id})`, q)));
                    byLevel.set(level, e);
                }
                if (e.effect === "deny") {
                    hit = { ok: false, conditional: false, reason: via(e).map(refText).join("; "), via: via(e) };
                    break;
                }
                if (e.effect === "none" || e.effect === "unknown") {
                    hit = { ok: false, conditional: false, reason: `no SCP attached to ${level} allows it`, via: [] };
                    break;
                }
                if (e.effect === "conditional")
                    hit = { ...hit, conditional: true, via: [...hit.via, ...e.denies, ...e.allows.filter((a) => a.conditional)] };
            }
        }
        byAccount.set(accountId, hit);
        return hit;
    }

    /** Answers "who can do `q.action` (on `q.resource`)", optionally in one account. */
    ask(q: Question, accountFilter?: string): WhoCanResult {
        const qk = `${q.action.key}\u0000${q.resource ?? ""}`;
        const answers: WhoCanAnswer[] = [];
        const blocked: BlockedAnswer[] = [];
        const byAccount = new Map<string, ScpAnswer>(),
            byLevel = new Map<string, DocEval>();
        for (const list of this.byPermissionSet.values()) {
            const ps = this.permissionSet(list[0].permissionSet, q, qk);
            const id = ps.identity,
                b = ps.boundary;
            if (id.effect === "none") continue;
            // Per permission set, once: what blocks it before the SCPs, and the statements and unknowns of an answer.
            let early: Pick<BlockedAnswer, "blockedBy" | "reason"> | "skip" | undefined;
            if (id.effect === "deny") early = id.allows.length ? { blockedBy: "deny", reason: via(id).map(refText).join("; ") } : "skip";
            else if (b && (b.effect === "none" || b.effect === "deny")) {
                early =
                    id.effect === "unknown"
                        ? "skip"
                        : {
                              blockedBy: "boundary",
                              reason: b.effect === "deny" ? via(b).map(refText).join("; ") : "the permissions boundary does not allow it",
                          };
            }
            if (early === "skip") continue;
            const unknownAnswer = id.effect === "unknown" || b?.effect === "unknown";
            const unknown = unknownAnswer ? [...id.unknown, ...(b?.effect === "unknown" ? b.unknown : [])] : [];
            const psVia = [
                ...id.allows,
                ...id.denies,
                ...(b && b.effect === "conditional" ? [...b.allows, ...b.denies].filter((x) => x.conditional) : []),
            ];
            const psConditional = id.effect === "conditional" || b?.effect === "conditional";
            for (const g of list) {
                if (accountFilter !== undefined && g.accountId !== accountFilter) continue;
                const acct = this.paths.get(g.accountId);
                // Who, where and through which permission set: the same for every row this grant gives.
                const row = {
                    principalType: g.principalType,
                    principal: g.principal,
                    ...(g.groupKey ? { groupKey: g.groupKey } : {}),
                    accountId: g.accountId,
                    accountName: acct?.name ?? g.accountId,
                    ouPath: acct?.ouPath ?? "?",
                    permissionSet: g.permissionSet.name,
                    managed: g.managed,
                };
                if (early !== undefined) {
                    blocked.push({
                        ...row,
                        via: id.allows,
                        ...early,
                    });
                    continue;
                }
                const scp = this.scps(g.accountId, q, byAccount, byLevel);
                if (!scp.ok) {
                    if (id.effect !== "unknown") {
                        blocked.push({
                            ...row,
                            via: id.allows,
                            blockedBy: "scp",
                            reason: scp.reason,
                        });
                    }
                    continue;
                }
                const answer: WhoCanAnswer["answer"] = unknownAnswer
                    ? "unknown"
                    : psConditional || scp.conditional
                      ? "conditionally"
                      : "allowed";
                answers.push({
                    ...row,
                    answer,
                    // Shared, read-only arrays: one per permission set (and per account only when an SCP adds statements).
                    via: scp.via.length ? [...psVia, ...scp.via] : psVia,
                    unknown,
                });
            }
        }
        const order = (x: { accountId: string; principal: string; permissionSet: string }, y: typeof x) =>
            (x.accountId < y.accountId ? -1 : x.accountId > y.accountId ? 1 : 0) ||
            (x.principal < y.principal ? -1 : x.principal > y.principal ? 1 : 0) ||
            (x.permissionSet < y.permissionSet ? -1 : x.permissionSet > y.permissionSet ? 1 : 0);
        const notes: string[] = [];
        if (!this.org.snapshot?.scps) notes.push("the org snapshot records no SCPs: SCPs not applied");
        return {
            action: q.action.name,
            ...(q.resource !== undefined ? { resource: q.resource } : {}),
            ...(accountFilter !== undefined ? { accountFilter } : {}),
            answers: answers.sort(order),
            blocked: blocked.sort(order),
            notes,
        };
    }
}
