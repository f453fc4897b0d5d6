/**
 * A view of the stack for the stack policies, built from `args.resources` with the contract documented in
 * policy-pack/README.md: permission-set children parented to an `idfed:aws:PermissionSet` component (outputs
 * `{ key, name, arn }`), grants published by the `idfed:aws:AccountAssignments` component, the SCIM token
 * expiry published by `idfed:entra:IdentityCenterApp`. Everything degrades to matching by ARN and
 * property dependencies when a piece of that contract is missing.
 */
import { PolicyResource } from "@pulumi/policy";
import { isUnknownValue } from "../analysis/document";
import { plain, prop, str } from "./common";

/** Type tokens the stack policies read. */
export const TYPES = {
    permissionSetComponent: "idfed:aws:PermissionSet",
    assignmentsComponent: "idfed:aws:AccountAssignments",
    identityCenterApp: "idfed:entra:IdentityCenterApp",
    permissionSet: "aws:ssoadmin/permissionSet:PermissionSet",
    inlinePolicy: "aws:ssoadmin/permissionSetInlinePolicy:PermissionSetInlinePolicy",
    managedAttachment: "aws:ssoadmin/managedPolicyAttachment:ManagedPolicyAttachment",
    customerAttachment: "aws:ssoadmin/customerManagedPolicyAttachment:CustomerManagedPolicyAttachment",
    boundary: "aws:ssoadmin/permissionsBoundaryAttachment:PermissionsBoundaryAttachment",
    assignment: "aws:ssoadmin/accountAssignment:AccountAssignment",
    iamPolicy: "aws:iam/policy:Policy",
} as const;

const CHILD_TYPES: ReadonlySet<string> = new Set([TYPES.inlinePolicy, TYPES.managedAttachment, TYPES.customerAttachment, TYPES.boundary]);

/** A grant as the AccountAssignments component publishes it. */
export interface GrantData {
    readonly accountId: string;
    readonly groupKey: string;
    readonly permissionSetKey: string;
    readonly expiresAt?: string;
}

/** One permission set and the resources that give it permissions. */
export interface PermissionSetView {
    /** Config key (component output `key`, else tag `idfed:permission-set-key`, else the name). */
    readonly key: string;
    /** The `aws:ssoadmin/permissionSet:PermissionSet` resource, when present. */
    readonly resource?: PolicyResource;
    /** URN used in violations: the permission set, else its component, else its first child. */
    readonly urn: string;
    readonly inline: PolicyResource[];
    readonly managed: PolicyResource[];
    readonly customer: PolicyResource[];
    readonly boundaries: PolicyResource[];
    /**
     * Published by the shared stack and read in an assignments shard (AccountAssignments output
     * `sharedPermissionSets`): judged with this shard's grants, but its own documents are the shared stack's to judge.
     */
    readonly fromSharedStack?: boolean;
}

/** The stack as the stack policies need it. */
export interface StackView {
    readonly permissionSets: PermissionSetView[];
    readonly assignments: PolicyResource[];
    /** Permission-set key of an assignment, when it can be told. */
    readonly assignmentPermissionSet: Map<PolicyResource, PermissionSetView>;
    /** Grants metadata; undefined when no AccountAssignments component published it. */
    readonly grants?: GrantData[];
    readonly expiredGrants: GrantData[];
    readonly managementAccountId?: string;
    readonly environment?: string;
    /** URN of the AccountAssignments component (for grant-level violations). */
    readonly metadataUrn?: string;
    /** Group key per identity-store group id, when published (`groupIds` output). */
    readonly groupKeyById: Map<string, string>;
    readonly iamPolicies: PolicyResource[];
    readonly identityCenterApps: PolicyResource[];
    /** Values unknown at preview that the view could not read. */
    readonly unknowns: string[];
}

function grantsOf(v: unknown, unknowns: string[], what: string): GrantData[] {
    if (isUnknownValue(v)) {
        unknowns.push(what);
        return [];
    }
    const list = plain(v);
    if (!Array.isArray(list)) return [];
    const out: GrantData[] = [];
    for (const g of list) {
        const accountId = str(g, "accountId"),
            groupKey = str(g, "groupKey"),
            permissionSetKey = str(g, "permissionSetKey");
        if (accountId === undefined || groupKey === undefined || permissionSetKey === undefined) continue;
        const expiresAt = str(g, "expiresAt");
        out.push(
            expiresAt === undefined ? { accountId, groupKey, permissionSetKey } : { accountId, groupKey, permissionSetKey, expiresAt },
        );
    }
    return out;
}

function knownString(props: unknown, key: string): string | undefined {
    const v = str(props, key);
    return v === undefined || isUnknownValue(v) ? undefined : v;
}

/** A stand-in resource for a child the shared stack owns (only `type`, `urn`, `name` and `props` are read). */
function standIn(type: string, urn: string, name: string, props: Record<string, unknown>): PolicyResource {
    return {
        type,
        urn,
        name,
        props,
        dependencies: [],
        propertyDependencies: {},
        opts: {
            protect: false,
            ignoreChanges: [],
            aliases: [],
            customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
            additionalSecretOutputs: [],
        },
        isType: () => false,
        asType: () => undefined,
    } as unknown as PolicyResource;
}

/**
 * Views of the permission sets an assignments shard reads from its shared stack (AccountAssignments output
 * `sharedPermissionSets`: key → `{ arn, inlinePolicy?, managedPolicyArns, customerManagedPolicies,
 * permissionsBoundary? }`), each with stand-in children carrying the inputs the shared stack gave its own.
 */
function sharedViews(
    meta: PolicyResource | undefined,
    have: ReadonlySet<string>,
    unknowns: string[],
): { view: PermissionSetView; arn?: string }[] {
    const raw = prop(meta?.props, "sharedPermissionSets");
    if (meta === undefined || raw === undefined) return [];
    if (isUnknownValue(raw)) {
        unknowns.push("the shared stack's permission sets (AccountAssignments output `sharedPermissionSets`)");
        return [];
    }
    const data = plain(raw);
    if (!data || typeof data !== "object" || Array.isArray(data)) return [];
    const out: { view: PermissionSetView; arn?: string }[] = [];
    for (const [key, v] of Object.entries(data as Record<string, unknown>)) {
        if (have.has(key) || !v || typeof v !== "object") continue;
        const urn = meta.urn;
        const arn = knownString(v, "arn");
        const inline = prop(v, "inlinePolicy");
        const managed = plain(prop(v, "managedPolicyArns"));
        const customer = plain(prop(v, "customerManagedPolicies"));
        const boundary = prop(v, "permissionsBoundary");
        out.push({
            arn,
            view: {
                key,
                urn,
                fromSharedStack: true,
                inline:
                    inline === undefined
                        ? []
                        : [standIn(TYPES.inlinePolicy, urn, `${key}-inline`, { inlinePolicy: inline, permissionSetArn: arn })],
                managed: (Array.isArray(managed) ? managed : []).map((m) =>
                    standIn(TYPES.managedAttachment, urn, `${key}-managed`, { managedPolicyArn: m, permissionSetArn: arn }),
                ),
                customer: (Array.isArray(customer) ? customer : []).map((c) =>
                    standIn(TYPES.customerAttachment, urn, `${key}-customer`, { customerManagedPolicyReference: c, permissionSetArn: arn }),
                ),
                boundaries:
                    boundary === undefined
                        ? []
                        : [standIn(TYPES.boundary, urn, `${key}-boundary`, { permissionsBoundary: boundary, permissionSetArn: arn })],
            },
        });
    }
    return out;
}

/** Builds the {@link StackView} from the resources handed to `validateStack`. */
export function buildStackView(resources: readonly PolicyResource[]): StackView {
    const unknowns: string[] = [];
    const byUrn = new Map(resources.map((r) => [r.urn, r]));
    const groups = new Map<
        string,
        {
            key?: string;
            resource?: PolicyResource;
            urn?: string;
            inline: PolicyResource[];
            managed: PolicyResource[];
            customer: PolicyResource[];
            boundaries: PolicyResource[];
        }
    >();
    const group = (id: string) => {
        let g = groups.get(id);
        if (!g) {
            g = { inline: [], managed: [], customer: [], boundaries: [] };
            groups.set(id, g);
        }
        return g;
    };
    const parentUrn = (r: PolicyResource): string | undefined => r.parent?.urn ?? r.opts.parent;
    const isPsComponent = (urn: string | undefined) => urn !== undefined && byUrn.get(urn)?.type === TYPES.permissionSetComponent;
    const arnToGroup = new Map<string, string>();
    const psUrnToGroup = new Map<string, string>();

    for (const r of resources) {
        if (r.type !== TYPES.permissionSet) continue;
        const p = parentUrn(r);
        const id = isPsComponent(p) ? p! : r.urn;
        const g = group(id);
        g.resource = r;
        const comp = isPsComponent(p) ? byUrn.get(p!) : undefined;
        const tags = plain(prop(r.props, "tags"));
        const tagKey = tags && typeof tags === "object" ? (tags as Record<string, unknown>)["idfed:permission-set-key"] : undefined;
        g.key =
            knownString(comp?.props, "key") ??
            (typeof tagKey === "string" && !isUnknownValue(tagKey) ? tagKey : undefined) ??
            knownString(r.props, "name") ??
            r.name;
        for (const arn of [knownString(r.props, "arn"), knownString(comp?.props, "arn")]) if (arn) arnToGroup.set(arn, id);
        psUrnToGroup.set(r.urn, id);
    }
    const groupOfChild = (r: PolicyResource): string => {
        const p = parentUrn(r);
        if (isPsComponent(p) && groups.has(p!)) return p!;
        const arn = knownString(r.props, "permissionSetArn");
        if (arn && arnToGroup.has(arn)) return arnToGroup.get(arn)!;
        for (const dep of r.propertyDependencies?.["permissionSetArn"] ?? []) {
            const id = psUrnToGroup.get(dep.urn);
            if (id) return id;
        }
        if (isPsComponent(p)) return p!;
        return `arn:${arn ?? r.urn}`;
    };
    for (const r of resources) {
        if (!CHILD_TYPES.has(r.type)) continue;
        const g = group(groupOfChild(r));
        if (r.type === TYPES.inlinePolicy) g.inline.push(r);
        else if (r.type === TYPES.managedAttachment) g.managed.push(r);
        else if (r.type === TYPES.customerAttachment) g.customer.push(r);
        else g.boundaries.push(r);
    }
    const permissionSets: PermissionSetView[] = [];
    const viewById = new Map<string, PermissionSetView>();
    for (const [id, g] of groups) {
        const first = g.resource ?? g.inline[0] ?? g.managed[0] ?? g.customer[0] ?? g.boundaries[0];
        const comp = byUrn.get(id);
        const key = g.key ?? knownString(comp?.props, "key") ?? comp?.name ?? first?.name ?? id;
        const view: PermissionSetView = {
            key,
            resource: g.resource,
            urn: g.resource?.urn ?? (comp ? comp.urn : (first?.urn ?? id)),
            inline: g.inline,
            managed: g.managed,
            customer: g.customer,
            boundaries: g.boundaries,
        };
        permissionSets.push(view);
        viewById.set(id, view);
    }

    const meta = resources.find((r) => r.type === TYPES.assignmentsComponent);
    for (const v of sharedViews(meta, new Set(permissionSets.map((p) => p.key)), unknowns)) {
        permissionSets.push(v.view);
        viewById.set(v.view.urn + "#" + v.view.key, v.view);
        if (v.arn) arnToGroup.set(v.arn, v.view.urn + "#" + v.view.key);
    }

    const assignments = resources.filter((r) => r.type === TYPES.assignment);
    const assignmentPermissionSet = new Map<PolicyResource, PermissionSetView>();
    for (const a of assignments) {
        const arn = knownString(a.props, "permissionSetArn");
        let id = arn ? arnToGroup.get(arn) : undefined;
        for (const dep of a.propertyDependencies?.["permissionSetArn"] ?? []) id = id ?? psUrnToGroup.get(dep.urn);
        const v = id ? viewById.get(id) : undefined;
        if (v) assignmentPermissionSet.set(a, v);
    }

    const groupKeyById = new Map<string, string>();
    const ids = plain(prop(meta?.props, "groupIds"));
    if (ids && typeof ids === "object" && !Array.isArray(ids)) {
        for (const [k, v] of Object.entries(ids as Record<string, unknown>))
            if (typeof v === "string" && !isUnknownValue(v)) groupKeyById.set(v, k);
    }
    const env = prop(meta?.props, "environment");
    const mgmt = prop(meta?.props, "managementAccountId");
    if (meta && isUnknownValue(env)) unknowns.push("the stack environment (AccountAssignments output `environment`)");
    if (meta && isUnknownValue(mgmt)) unknowns.push("the management account id (AccountAssignments output `managementAccountId`)");
    return {
        permissionSets,
        assignments,
        assignmentPermissionSet,
        grants: meta ? grantsOf(prop(meta.props, "grants"), unknowns, "the grants (AccountAssignments output `grants`)") : undefined,
        expiredGrants: meta ? grantsOf(prop(meta.props, "expiredGrants"), unknowns, "the expired grants") : [],
        managementAccountId: typeof mgmt === "string" && !isUnknownValue(mgmt) ? mgmt : undefined,
        environment: typeof env === "string" && !isUnknownValue(env) ? env : undefined,
        metadataUrn: meta?.urn,
        groupKeyById,
        iamPolicies: resources.filter((r) => r.type === TYPES.iamPolicy),
        identityCenterApps: resources.filter((r) => r.type === TYPES.identityCenterApp),
        unknowns,
    };
}

const views = new WeakMap<readonly PolicyResource[], StackView>();

/** {@link buildStackView}, cached per resources array (every stack policy of one AnalyzeStack shares it). */
export function stackView(resources: readonly PolicyResource[]): StackView {
    let v = views.get(resources);
    if (!v) {
        v = buildStackView(resources);
        views.set(resources, v);
    }
    return v;
}
