/**
 * Permission sets judged as a whole (inline policy + AWS-managed + customer-managed policies + boundary)
 * together with who they are granted to: broad documents are blocked, admin-level sets go only to
 * allow-listed groups, and in prod every set that writes on `*` carries a permissions boundary.
 */
import { PolicyResource, StackValidationArgs, StackValidationPolicy, ReportViolation } from "@pulumi/policy";
import { analyzeIdentityPolicy } from "../analysis/identity";
import { judgeManagedPolicy } from "../analysis/managed-policies";
import { ADMIN_KINDS, Finding } from "../analysis/types";
import { Unknowns, config, plain, prop, str, stringList } from "./common";
import { withoutKnownActions } from "./documents";
import { ENVIRONMENT_DEFAULTS, ENVIRONMENT_SCHEMA, EnvironmentConfig, resolveEnvironment } from "./environment";
import { PermissionSetView, StackView, stackView } from "./stack-model";
import { isUnknownValue } from "../analysis/document";

/** A finding on one of a permission set's policies, with the resource that carries it. */
export interface SourcedFinding {
    readonly finding: Finding;
    /** e.g. "inline policy", "AWS-managed `arn:...`". */
    readonly source: string;
    readonly urn: string;
}

/** What a permission set grants, judged. */
export interface PermissionSetJudgement {
    readonly view: PermissionSetView;
    readonly adminLevel: boolean;
    /** Why it is admin-level (first admin finding), for messages. */
    readonly adminReason?: string;
    readonly writeOnStar: boolean;
    readonly findings: SourcedFinding[];
}

function customerPolicyDocument(ref: unknown, view: StackView): { doc?: unknown; name: string } {
    const name = str(ref, "name") ?? "?";
    const path = str(ref, "path") ?? "/";
    const match = view.iamPolicies.find((p) => str(p.props, "name") === name && (str(p.props, "path") ?? "/") === path);
    return { doc: match ? prop(match.props, "policy") : undefined, name: `${path}${name}` };
}

/** Judges every policy of a permission set. Unknown values are recorded in `unknowns`. */
export function judgePermissionSet(ps: PermissionSetView, view: StackView, unknowns: Unknowns): PermissionSetJudgement {
    const findings: SourcedFinding[] = [];
    let writeOnStar = false;
    const add = (source: string, urn: string, fs: readonly Finding[]) => {
        for (const f of fs) findings.push({ finding: f, source, urn });
    };
    for (const r of ps.inline) {
        const doc = prop(r.props, "inlinePolicy");
        if (unknowns.check(doc, `the inline policy of permission set \`${ps.key}\``)) continue;
        const rep = analyzeIdentityPolicy(doc, "inline policy");
        if (rep.status === "unknown") unknowns.add(`the inline policy of permission set \`${ps.key}\``);
        writeOnStar ||= rep.writeOnStar;
        add("inline policy", r.urn, rep.findings);
    }
    for (const r of ps.managed) {
        const arn = prop(r.props, "managedPolicyArn");
        if (unknowns.check(arn, `a managed policy ARN of permission set \`${ps.key}\``) || typeof arn !== "string") continue;
        const rep = judgeManagedPolicy(arn);
        writeOnStar ||= rep.writeOnStar;
        add(`managed policy \`${arn}\``, r.urn, rep.findings);
    }
    for (const r of ps.customer) {
        const ref = plain(prop(r.props, "customerManagedPolicyReference"));
        if (unknowns.check(ref, `a customer-managed policy reference of permission set \`${ps.key}\``)) continue;
        const { doc, name } = customerPolicyDocument(ref, view);
        if (doc === undefined) {
            add(`customer-managed policy \`${name}\``, r.urn, [
                {
                    kind: "managed-policy-unknown",
                    level: "advisory",
                    message:
                        "cannot judge it: the policy is not defined in this stack (it lives in each target account). Check it with `npm run policy:check`.",
                },
            ]);
            continue;
        }
        if (unknowns.check(doc, `customer-managed policy \`${name}\``)) continue;
        const rep = analyzeIdentityPolicy(doc, `customer-managed policy ${name}`);
        writeOnStar ||= rep.writeOnStar;
        add(`customer-managed policy \`${name}\``, r.urn, rep.findings);
    }
    const admin = findings.find((f) => ADMIN_KINDS.has(f.finding.kind));
    return {
        view: ps,
        adminLevel: admin !== undefined,
        writeOnStar,
        findings,
        adminReason: admin ? `${admin.source}: ${admin.finding.message}` : undefined,
    };
}

/** Settings of `permission-set-documents`. */
export interface PermissionSetDocumentsConfig {
    /** Permission-set keys whose documents were reviewed and are accepted as they are. Default none. */
    exemptPermissionSets: string[];
    /** Actions newer than the bundled catalog, accepted as known. Default none. */
    knownActions: string[];
}

const DOC_DEFAULTS: PermissionSetDocumentsConfig = { exemptPermissionSets: [], knownActions: [] };
const DOC_SCHEMA = {
    properties: {
        exemptPermissionSets: stringList("Permission-set keys whose documents were reviewed and are accepted as they are."),
        knownActions: stringList("IAM actions newer than the bundled catalog, accepted as known."),
    },
};

function documentsValidator(level: "mandatory" | "advisory") {
    return (args: StackValidationArgs, report: ReportViolation): void => {
        const cfg = config(args, DOC_DEFAULTS);
        const view = stackView(args.resources);
        const unknowns = new Unknowns();
        for (const ps of view.permissionSets) {
            // A shard's copy of a shared permission set is judged (documents) in the shared stack.
            if (cfg.exemptPermissionSets.includes(ps.key) || ps.fromSharedStack) continue;
            const j = judgePermissionSet(ps, view, unknowns);
            const fs = j.findings.filter(
                (f) => f.finding.level === level && !ADMIN_KINDS.has(f.finding.kind) && f.finding.kind !== "cannot-judge",
            );
            const kept = new Set(
                withoutKnownActions(
                    fs.map((f) => f.finding),
                    cfg.knownActions,
                ),
            );
            for (const f of fs) {
                if (kept.has(f.finding)) report(`permission set \`${ps.key}\`, ${f.source}: ${f.finding.message}`, f.urn);
            }
        }
        if (level === "mandatory") unknowns.finish();
    };
}

/** Blocks broad permission-set documents (admin-level ones are judged with their groups below). */
export const permissionSetDocuments: StackValidationPolicy = {
    name: "permission-set-documents",
    description:
        "Permission-set policies (inline, AWS-managed, customer-managed) grant no broad or misspelled access; admin-level sets are judged by admin-permission-sets.",
    configSchema: DOC_SCHEMA,
    validateStack: documentsValidator("mandatory"),
};

/** Advisory notes on permission-set documents (policies the pack cannot judge, broad reads). */
export const permissionSetDocumentsAdvisories: StackValidationPolicy = {
    name: "permission-set-documents-advisories",
    description: "Advisory notes on permission-set policies: managed policies the pack cannot judge, broad read access.",
    enforcementLevel: "advisory",
    configSchema: DOC_SCHEMA,
    validateStack: documentsValidator("advisory"),
};

/** Settings of `admin-permission-sets`. */
export interface AdminConfig {
    /** Group keys allowed to hold admin-level permission sets. Default none. */
    adminGroupKeys: string[];
    /** Permission-set keys reviewed and accepted for any group although they look admin-level. Default none. */
    reviewedPermissionSets: string[];
}

/** Group keys an assignment resource may stand for (from the grants metadata). */
export function candidateGroups(a: PolicyResource, view: StackView, psKey: string | undefined): string[] | undefined {
    const principal = str(a.props, "principalId");
    if (principal && view.groupKeyById.has(principal)) return [view.groupKeyById.get(principal)!];
    if (!view.grants) return undefined;
    const account = str(a.props, "targetId");
    const keys = view.grants
        .filter((g) => g.accountId === account && (psKey === undefined || g.permissionSetKey === psKey))
        .map((g) => g.groupKey);
    return keys.length > 0 ? [...new Set(keys)] : undefined;
}

/** Admin-level permission sets only for allow-listed groups. */
export const adminPermissionSets: StackValidationPolicy = {
    name: "admin-permission-sets",
    description:
        "Admin-level permission sets (full admin, privilege escalation, Identity Center takeover) are granted only to allow-listed groups.",
    configSchema: {
        properties: {
            adminGroupKeys: stringList("Group keys allowed to hold admin-level permission sets."),
            reviewedPermissionSets: stringList(
                "Permission-set keys reviewed and accepted for any group although they look admin-level (e.g. PowerUserAccess in dev).",
            ),
        },
    },
    validateStack: (args, report) => {
        const cfg = config<AdminConfig>(args, { adminGroupKeys: [], reviewedPermissionSets: [] });
        const view = stackView(args.resources);
        const unknowns = new Unknowns();
        for (const u of view.unknowns) unknowns.add(u);
        const allowed = new Set(cfg.adminGroupKeys);
        // Sharding must not switch the rule off: a grant whose permission set this stack cannot see (a shard
        // whose shared stack publishes no `permissionSetPolicies`) is refused, not passed.
        const judged = new Set(view.permissionSets.map((p) => p.key));
        const blind = [
            ...new Set(
                (view.grants ?? [])
                    .filter((g) => !judged.has(g.permissionSetKey) && !allowed.has(g.groupKey))
                    .map((g) => g.permissionSetKey),
            ),
        ];
        for (const key of blind) {
            report(
                `permission set \`${key}\` is granted here but its policies are not in this stack (an assignments shard whose ` +
                    "shared stack publishes no `permissionSetPolicies`): it cannot be judged admin-level or not. Run `pulumi up` on the " +
                    "shared stack first so it publishes them.",
                view.metadataUrn,
            );
        }
        for (const ps of view.permissionSets) {
            if (cfg.reviewedPermissionSets.includes(ps.key)) continue;
            const j = judgePermissionSet(ps, view, unknowns);
            if (!j.adminLevel) continue;
            const grants = (view.grants ?? []).filter((g) => g.permissionSetKey === ps.key && !allowed.has(g.groupKey));
            const byGroup = new Map<string, string[]>();
            for (const g of grants) byGroup.set(g.groupKey, [...(byGroup.get(g.groupKey) ?? []), g.accountId]);
            for (const [groupKey, accounts] of byGroup) {
                report(
                    `permission set \`${ps.key}\` is admin-level (${j.adminReason}) and is granted to group \`${groupKey}\` in ` +
                        `${accounts.length} account(s) (${accounts.slice(0, 3).join(", ")}${accounts.length > 3 ? ", ..." : ""}); only ` +
                        `adminGroupKeys [${cfg.adminGroupKeys.join(", ")}] may hold it. Grant that group a narrower permission set, or ` +
                        "add it to `adminGroupKeys` in the policy config after review.",
                    ps.urn,
                );
            }
            for (const a of view.assignments) {
                if (view.assignmentPermissionSet.get(a) !== ps) continue;
                const type = prop(a.props, "principalType");
                if (unknowns.check(type, `the principal type of ${a.name}`)) continue;
                const groups = type === "USER" ? undefined : candidateGroups(a, view, ps.key);
                if (groups === undefined || groups.some((g) => !allowed.has(g))) {
                    if (groups && byGroup.size > 0) continue; // already reported through the grants
                    report(
                        `assignment \`${a.name}\` gives admin-level permission set \`${ps.key}\` to ` +
                            `${type === "USER" ? "a user" : "a principal that maps to no allow-listed group"}; only groups in ` +
                            "`adminGroupKeys` may hold admin-level sets.",
                        a.urn,
                    );
                }
            }
        }
        unknowns.finish();
    },
};

/** Settings of `prod-permission-boundaries`. */
export interface BoundaryConfig extends EnvironmentConfig {
    /** Permission-set keys exempt from the boundary rule (e.g. admin, billing). Default none. */
    boundaryExemptPermissionSets: string[];
}

/** In prod, every permission set with write access on `*` carries a permissions boundary or is allow-listed. */
export const prodPermissionBoundaries: StackValidationPolicy = {
    name: "prod-permission-boundaries",
    description: "In prod, every permission set that can write on `*` carries a permissions boundary or is allow-listed.",
    configSchema: {
        properties: {
            boundaryExemptPermissionSets: stringList("Permission-set keys that may write on `*` without a permissions boundary."),
            ...ENVIRONMENT_SCHEMA,
        },
    },
    validateStack: (args, report) => {
        const cfg = config<BoundaryConfig>(args, { ...ENVIRONMENT_DEFAULTS, boundaryExemptPermissionSets: [] });
        const view = stackView(args.resources);
        const env = resolveEnvironment(cfg, view, args.stackTags);
        if (!env.prod) return;
        const unknowns = new Unknowns();
        for (const ps of view.permissionSets) {
            if (cfg.boundaryExemptPermissionSets.includes(ps.key) || ps.boundaries.length > 0 || ps.fromSharedStack) continue;
            const j = judgePermissionSet(ps, view, unknowns);
            if (!j.writeOnStar) continue;
            const why = j.findings.find((f) => f.finding.kind === "managed-policy-unknown") ? " (or cannot be judged)" : "";
            report(
                `permission set \`${ps.key}\` can write on \`*\`${why} in ${env.name} (${env.source}) and has no permissions ` +
                    "boundary. Attach one (`permissionsBoundary` in its config), or list it in `boundaryExemptPermissionSets` after review.",
                ps.urn,
            );
        }
        for (const ps of view.permissionSets) {
            for (const b of ps.boundaries) {
                const pb = prop(b.props, "permissionsBoundary");
                if (isUnknownValue(pb)) unknowns.add(`the permissions boundary of \`${ps.key}\``);
            }
        }
        unknowns.finish();
    },
};
