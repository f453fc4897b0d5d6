/**
 * Parser of the org fixture's snapshot sections (`exportedAt`, `scps`, `identityCenter`): bounded and
 * validated like the tree (every problem names the key path, the value and the fix; all collected).
 * Shapes follow the Organizations `ListPolicies`/`DescribePolicy`/`ListTargetsForPolicy` and SSO Admin
 * `DescribePermissionSet`/`ListManagedPoliciesInPermissionSet`/`ListAccountAssignments` responses, flattened
 * as the export writes them (see README "Org fixture format").
 */
import {
    at,
    checkAccountId,
    checkKeys,
    checkString,
    expectArray,
    expectObject,
    idx,
    isPlainObject,
    Issues,
    own,
    OU_ID_RE,
    parseIsoDuration,
    parseIsoInstant,
    ROOT_ID_RE,
    show,
    str,
    typeName,
} from "../input/validate";
import { IAM_PATH_RE, MANAGED_POLICY_ARN_RE, PERMISSION_SET_NAME_RE, POLICY_NAME_RE } from "../input/iam-names";
import {
    OrgSnapshot,
    PolicyDocumentJson,
    SnapshotAssignment,
    SnapshotBoundary,
    SnapshotPermissionSet,
    SnapshotPolicyRef,
    SnapshotScp,
} from "../model/snapshot";

/** Top-level keys the snapshot adds to the org fixture. */
export const SNAPSHOT_KEYS = ["exportedAt", "scps", "identityCenter"] as const;
/** Most SCPs read (Organizations allows 1,000 policies of a type per organization). */
export const MAX_SCPS = 1000;
/** Most permission sets read (Identity Center's hard quota is 2,000 per instance). */
export const MAX_PERMISSION_SETS = 2000;
/** Most account assignments read (1,000 accounts × 200 groups plus users, with headroom). */
export const MAX_ASSIGNMENTS = 500_000;
/** Largest policy document accepted, JSON characters (inline policies are at most 32,768; SCPs 5,120). */
export const MAX_DOCUMENT_CHARS = 65_536;

/** `p-` then 8–128 letters, digits or `_` (AWS's pattern; `p-FullAWSAccess` is the AWS-managed default). */
export const SCP_ID_RE = /^p-[0-9a-zA-Z_]{8,128}$/;
/** A permission set ARN. */
export const PERMISSION_SET_ARN_RE = /^arn:aws:sso:::permissionSet\/(ssoins-[a-f0-9]{16})\/ps-[a-f0-9]{16}$/;
/** An identity store user or group id (a GUID, optionally prefixed by 10 hex digits and `-`). */
export const PRINCIPAL_ID_RE = /^(?:[0-9a-f]{10}-)?[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

const SCP_KEYS = ["id", "name", "document", "targets"] as const;
const IC_KEYS = ["permissionSets", "assignments"] as const;
const PS_KEYS = [
    "arn",
    "name",
    "description",
    "sessionDuration",
    "managedPolicies",
    "customerManagedPolicies",
    "inlinePolicy",
    "permissionsBoundary",
] as const;
const ASSIGNMENT_KEYS = ["accountId", "permissionSetArn", "principalType", "principalId", "principalDisplayName"] as const;

/** Where snapshot targets can point: the tree's root, OU and account ids. */
export interface SnapshotTreeIds {
    readonly root: string;
    readonly instanceArn: string;
    readonly ous: ReadonlySet<string>;
    readonly accounts: ReadonlySet<string>;
}

function boundedList(o: Record<string, unknown>, key: string, path: string, max: number, what: string, issues: Issues): readonly unknown[] {
    const v = own(o, key);
    if (v === undefined || v === null) return [];
    const p = at(path, key);
    const list = expectArray(v, p, issues) ?? [];
    if (list.length > max) {
        issues.add(
            p,
            `has ${list.length} ${what}; at most ${max} are read (split the export or raise the bound in stacks/org/snapshot.ts)`,
        );
        return [];
    }
    return list;
}

function documentAt(v: unknown, p: string, issues: Issues): PolicyDocumentJson | undefined {
    if (!isPlainObject(v)) {
        issues.add(p, `expected a policy document object ({ Version, Statement }), got ${typeName(v)} ${show(v)}`);
        return undefined;
    }
    let size: number;
    try {
        size = JSON.stringify(v).length;
    } catch {
        issues.add(p, "is not plain JSON data (a cycle?); write the policy document as parsed JSON");
        return undefined;
    }
    if (size > MAX_DOCUMENT_CHARS) {
        issues.add(p, `is ${size} JSON characters; at most ${MAX_DOCUMENT_CHARS} are read (IAM inline policies are at most 32,768)`);
        return undefined;
    }
    if (own(v, "Statement") === undefined) {
        issues.add(p, "has no `Statement`; write the policy content as the API returns it ({ Version, Statement: [...] })");
        return undefined;
    }
    return v;
}

function parseScps(list: readonly unknown[], ids: SnapshotTreeIds, issues: Issues): SnapshotScp[] {
    const out: SnapshotScp[] = [];
    const seen = new Map<string, string>();
    list.forEach((item, i) => {
        const p = idx("scps", i);
        const o = expectObject(item, p, issues);
        if (!o) return;
        checkKeys(o, SCP_KEYS, p, issues);
        const id = str(o, "id", p, issues, {
            required: true,
            pattern: SCP_ID_RE,
            max: 130,
            expected: "an SCP id (p-xxxxxxxx, or p-FullAWSAccess)",
        });
        const name = str(o, "name", p, issues, { required: true, max: 128, expected: "the policy name" });
        const rawDoc = own(o, "document");
        const document =
            rawDoc === undefined
                ? (issues.add(at(p, "document"), "is required (the policy content, parsed JSON)"), undefined)
                : documentAt(rawDoc, at(p, "document"), issues);
        const targets: string[] = [];
        boundedList(o, "targets", p, 10_000, "targets", issues).forEach((t, j) => {
            const tp = idx(at(p, "targets"), j);
            if (typeof t === "number") {
                issues.add(tp, `${show(t)} is a number; quote account ids ("${String(t).padStart(12, "0")}") so YAML keeps leading zeros`);
                return;
            }
            const s = checkString(t, tp, issues, { max: 70, expected: "a root, OU or account id" });
            if (s === undefined) return;
            const known = s === ids.root || ids.ous.has(s) || ids.accounts.has(s);
            if (!known) {
                const kind = ROOT_ID_RE.test(s) ? "root" : OU_ID_RE.test(s) ? "OU" : /^\d{12}$/.test(s) ? "account" : undefined;
                issues.add(
                    tp,
                    kind
                        ? `${kind} ${show(s)} is not in the tree; list it or drop the target`
                        : `${show(s)} is not a root (r-…), OU (ou-…) or 12-digit account id`,
                );
                return;
            }
            targets.push(s);
        });
        if (id !== undefined) {
            const first = seen.get(id);
            if (first !== undefined)
                issues.add(at(p, "id"), `SCP ${show(id)} is already listed at \`${first}\`; list each policy once with all its targets`);
            seen.set(id, p);
        }
        if (id !== undefined && name !== undefined && document !== undefined) out.push({ id, name, document, targets });
    });
    return out;
}

function policyRef(v: unknown, p: string, issues: Issues): SnapshotPolicyRef | undefined {
    const o = expectObject(v, p, issues);
    if (!o) return undefined;
    checkKeys(o, ["name", "path"], p, issues);
    const name = str(o, "name", p, issues, { required: true, max: 128, pattern: POLICY_NAME_RE, expected: "an IAM policy name" });
    const path =
        own(o, "path") === undefined
            ? "/"
            : str(o, "path", p, issues, { max: 512, pattern: IAM_PATH_RE, expected: "an IAM path (/ or /a/b/)" });
    return name !== undefined && path !== undefined ? { name, path } : undefined;
}

function boundary(v: unknown, p: string, issues: Issues): SnapshotBoundary | undefined {
    const o = expectObject(v, p, issues);
    if (!o) return undefined;
    checkKeys(o, ["managedPolicyArn", "customerManagedPolicy"], p, issues);
    const arn = own(o, "managedPolicyArn");
    const cm = own(o, "customerManagedPolicy");
    if ((arn === undefined) === (cm === undefined)) {
        issues.add(p, "needs exactly one of `managedPolicyArn` or `customerManagedPolicy` ({ name, path })");
        return undefined;
    }
    if (arn !== undefined) {
        const s = checkString(arn, at(p, "managedPolicyArn"), issues, {
            pattern: MANAGED_POLICY_ARN_RE,
            expected: "an AWS-managed policy ARN",
        });
        return s === undefined ? undefined : { managedPolicyArn: s };
    }
    const ref = policyRef(cm, at(p, "customerManagedPolicy"), issues);
    return ref ? { customerManagedPolicy: ref } : undefined;
}

function parsePermissionSet(item: unknown, p: string, ids: SnapshotTreeIds, issues: Issues): SnapshotPermissionSet | undefined {
    const o = expectObject(item, p, issues);
    if (!o) return undefined;
    checkKeys(o, PS_KEYS, p, issues);
    const arn = str(o, "arn", p, issues, {
        required: true,
        pattern: PERMISSION_SET_ARN_RE,
        expected: "a permission set ARN (arn:aws:sso:::permissionSet/ssoins-<16 hex>/ps-<16 hex>)",
    });
    if (arn !== undefined && !ids.instanceArn.endsWith(`/${PERMISSION_SET_ARN_RE.exec(arn)![1]}`)) {
        issues.add(at(p, "arn"), `${show(arn)} belongs to another Identity Center instance than \`instanceArn\` ${show(ids.instanceArn)}`);
    }
    const name = str(o, "name", p, issues, {
        required: true,
        max: 32,
        pattern: PERMISSION_SET_NAME_RE,
        expected: "a permission set name (1–32 of letters, digits, +=,.@_-)",
    });
    const description = str(o, "description", p, issues, { max: 700, allowEmpty: true });
    const sessionDuration = str(o, "sessionDuration", p, issues, { max: 40, expected: "an ISO-8601 duration (PT1H … PT12H)" });
    if (sessionDuration !== undefined && parseIsoDuration(sessionDuration) === undefined) {
        issues.add(at(p, "sessionDuration"), `${show(sessionDuration)} is not an ISO-8601 duration (e.g. PT1H)`);
    }
    const managedPolicies: string[] = [];
    boundedList(o, "managedPolicies", p, 50, "managed policies", issues).forEach((x, j) => {
        const s = checkString(x, idx(at(p, "managedPolicies"), j), issues, {
            pattern: MANAGED_POLICY_ARN_RE,
            expected: "an AWS-managed policy ARN (arn:aws:iam::aws:policy/Name)",
        });
        if (s !== undefined) managedPolicies.push(s);
    });
    const customerManagedPolicies: SnapshotPolicyRef[] = [];
    boundedList(o, "customerManagedPolicies", p, 50, "customer-managed policies", issues).forEach((x, j) => {
        const r = policyRef(x, idx(at(p, "customerManagedPolicies"), j), issues);
        if (r) customerManagedPolicies.push(r);
    });
    const inlineRaw = own(o, "inlinePolicy");
    const inlinePolicy = inlineRaw === undefined || inlineRaw === null ? undefined : documentAt(inlineRaw, at(p, "inlinePolicy"), issues);
    const bRaw = own(o, "permissionsBoundary");
    const permissionsBoundary = bRaw === undefined || bRaw === null ? undefined : boundary(bRaw, at(p, "permissionsBoundary"), issues);
    if (arn === undefined || name === undefined) return undefined;
    return {
        arn,
        name,
        managedPolicies,
        customerManagedPolicies,
        ...(description !== undefined ? { description } : {}),
        ...(sessionDuration !== undefined ? { sessionDuration } : {}),
        ...(inlinePolicy !== undefined ? { inlinePolicy } : {}),
        ...(permissionsBoundary !== undefined ? { permissionsBoundary } : {}),
    };
}

function parseAssignment(
    item: unknown,
    p: string,
    ids: SnapshotTreeIds,
    sets: ReadonlySet<string>,
    issues: Issues,
): SnapshotAssignment | undefined {
    const o = expectObject(item, p, issues);
    if (!o) return undefined;
    checkKeys(o, ASSIGNMENT_KEYS, p, issues);
    const rawAcct = own(o, "accountId");
    const accountId =
        rawAcct === undefined
            ? (issues.add(at(p, "accountId"), "is required (a 12-digit account id)"), undefined)
            : checkAccountId(rawAcct, at(p, "accountId"), issues);
    if (accountId !== undefined && !ids.accounts.has(accountId)) {
        issues.add(at(p, "accountId"), `account ${show(accountId)} is not in the tree; list it under its OU or drop the assignment`);
    }
    const permissionSetArn = str(o, "permissionSetArn", p, issues, {
        required: true,
        pattern: PERMISSION_SET_ARN_RE,
        expected: "a permission set ARN",
    });
    if (permissionSetArn !== undefined && !sets.has(permissionSetArn)) {
        issues.add(
            at(p, "permissionSetArn"),
            `${show(permissionSetArn)} is not in \`identityCenter.permissionSets\`; export the permission set too`,
        );
    }
    const principalType = str(o, "principalType", p, issues, { required: true, expected: "GROUP or USER" });
    if (principalType !== undefined && principalType !== "GROUP" && principalType !== "USER") {
        issues.add(at(p, "principalType"), `${show(principalType)} is not allowed (expected GROUP or USER)`);
    }
    const principalId = str(o, "principalId", p, issues, {
        required: true,
        pattern: PRINCIPAL_ID_RE,
        max: 47,
        expected: "an identity store user or group id",
    });
    const principalDisplayName = str(o, "principalDisplayName", p, issues, { max: 1024 });
    if (
        accountId === undefined ||
        permissionSetArn === undefined ||
        principalId === undefined ||
        (principalType !== "GROUP" && principalType !== "USER")
    )
        return undefined;
    return {
        accountId,
        permissionSetArn,
        principalType,
        principalId,
        ...(principalDisplayName !== undefined ? { principalDisplayName } : {}),
    };
}

/**
 * Reads the snapshot sections of a parsed org fixture `o` (undefined when it has none). Problems go to
 * `issues` with their key paths; nothing throws.
 */
export function parseOrgSnapshot(o: Record<string, unknown>, ids: SnapshotTreeIds, issues: Issues): OrgSnapshot | undefined {
    const hasAny = SNAPSHOT_KEYS.some((k) => own(o, k) !== undefined && own(o, k) !== null);
    if (!hasAny) return undefined;
    let exportedAt: string | undefined;
    const ex = own(o, "exportedAt");
    if (ex instanceof Date) exportedAt = ex.toISOString();
    else if (ex !== undefined && ex !== null) {
        exportedAt = checkString(ex, "exportedAt", issues, { max: 40, expected: "an ISO-8601 instant (2026-11-29T00:00:00Z)" });
        if (exportedAt !== undefined && parseIsoInstant(exportedAt) === undefined) {
            issues.add("exportedAt", `${show(exportedAt)} is not an ISO-8601 instant (e.g. 2026-11-29T00:00:00Z)`);
        }
    }
    const scpsRaw = own(o, "scps");
    const scps =
        scpsRaw === undefined || scpsRaw === null
            ? undefined
            : parseScps(boundedList(o, "scps", "", MAX_SCPS, "SCPs", issues), ids, issues);
    const icRaw = own(o, "identityCenter");
    let identityCenter: OrgSnapshot["identityCenter"];
    if (icRaw !== undefined && icRaw !== null) {
        const ic = expectObject(icRaw, "identityCenter", issues);
        if (ic) {
            checkKeys(ic, IC_KEYS, "identityCenter", issues);
            const permissionSets: SnapshotPermissionSet[] = [];
            const byArn = new Map<string, string>();
            const byName = new Map<string, string>();
            boundedList(ic, "permissionSets", "identityCenter", MAX_PERMISSION_SETS, "permission sets", issues).forEach((x, i) => {
                const p = idx("identityCenter.permissionSets", i);
                const ps = parsePermissionSet(x, p, ids, issues);
                if (!ps) return;
                const dupArn = byArn.get(ps.arn);
                const dupName = byName.get(ps.name.toLowerCase());
                if (dupArn !== undefined)
                    issues.add(at(p, "arn"), `${show(ps.arn)} is already listed at \`${dupArn}\`; list each permission set once`);
                else if (dupName !== undefined)
                    issues.add(at(p, "name"), `${show(ps.name)} is already the name of \`${dupName}\`; Identity Center names are unique`);
                else permissionSets.push(ps);
                byArn.set(ps.arn, p);
                byName.set(ps.name.toLowerCase(), p);
            });
            const arns = new Set(byArn.keys());
            const assignments: SnapshotAssignment[] = [];
            const seen = new Set<string>();
            boundedList(ic, "assignments", "identityCenter", MAX_ASSIGNMENTS, "assignments", issues).forEach((x, i) => {
                const p = idx("identityCenter.assignments", i);
                const a = parseAssignment(x, p, ids, arns, issues);
                if (!a) return;
                const key = `${a.accountId}|${a.permissionSetArn}|${a.principalType}|${a.principalId}`;
                if (seen.has(key))
                    issues.add(p, "repeats an assignment listed earlier (same account, permission set and principal); list it once");
                else assignments.push(a);
                seen.add(key);
            });
            identityCenter = { permissionSets, assignments };
        }
    }
    return {
        ...(exportedAt !== undefined ? { exportedAt } : {}),
        ...(scps !== undefined ? { scps } : {}),
        ...(identityCenter !== undefined ? { identityCenter } : {}),
    };
}
