/**
 * The organization tree: parser of the YAML org fixture (the offline stand-in for the Organizations
 * invokes). Lookups over a tree, whichever way it was built, are in `org-index.ts`.
 */
import { Document, isAlias, isMap, isPair, isScalar, isSeq, Node } from "yaml";
import { ConfigError, OrgAccount, OrgTree, OrgUnit } from "../model";
import { readYaml } from "../input/yaml-read";
import { parseOrgSnapshot, SNAPSHOT_KEYS } from "./snapshot";
import {
    at,
    checkAccountId,
    checkKeys,
    checkString,
    expectArray,
    expectObject,
    IDENTITY_STORE_ID_RE,
    idx,
    INSTANCE_ARN_RE,
    Issues,
    own,
    OU_ID_RE,
    ROOT_ID_RE,
    show,
    str,
    stringMap,
    typeName,
} from "../input/validate";

const TOP_KEYS = [
    "managementAccountId",
    "identityStoreId",
    "instanceArn",
    "root",
    "accounts",
    "ous",
    "trustedAccess",
    "rootPolicyTypes",
    ...SNAPSHOT_KEYS,
] as const;
const SERVICE_PRINCIPAL_RE = /^[a-z0-9.-]{1,128}\.amazonaws\.com$/;
const POLICY_TYPES = [
    "SERVICE_CONTROL_POLICY",
    "RESOURCE_CONTROL_POLICY",
    "DECLARATIVE_POLICY_EC2",
    "BACKUP_POLICY",
    "TAG_POLICY",
    "AISERVICES_OPT_OUT_POLICY",
    "CHATBOT_POLICY",
    "SECURITYHUB_POLICY",
] as const;
const OU_KEYS = ["id", "name", "accounts", "ous"] as const;
const ACCOUNT_KEYS = ["id", "name", "tags", "state", "status"] as const;
/** Account states the Organizations API reports (`State`, which replaced `Status` on 2026-09-09). */
export const ACCOUNT_STATES = ["ACTIVE", "SUSPENDED", "PENDING_ACTIVATION", "PENDING_CLOSURE", "CLOSED"] as const;
/** Values of the retired `Status` field, still read from older fixtures (same meaning as `state`). */
export const ACCOUNT_STATUSES = ["ACTIVE", "SUSPENDED", "PENDING_CLOSURE"] as const;
/** Deepest OU nesting accepted (Organizations allows 5 levels). */
export const MAX_OU_DEPTH = 5;

/** Problems `[line, message]` for YAML aliases used as an OU, an OU list, an account or an account list (they can form cycles). */
function structuralAliases(doc: Document, lineOf: (n: Node) => number | undefined): [number | undefined, string][] {
    const out: [number | undefined, string][] = [];
    const structural = new Set(["ous", "accounts"]);
    const walk = (n: unknown, depth: number): void => {
        if (depth > 200) return;
        if (isMap(n)) {
            for (const pair of n.items) {
                if (!isPair(pair)) continue;
                const key = isScalar(pair.key) ? String(pair.key.value) : "";
                const val = pair.value;
                if (structural.has(key) && isAlias(val)) {
                    out.push([
                        lineOf(val),
                        `\`${key}\` is the YAML alias \`*${val.source}\`; write each OU and account ` +
                            "once (an alias reused in the tree repeats or cycles it)",
                    ]);
                    continue;
                }
                if (structural.has(key) && isSeq(val)) {
                    for (const item of val.items) {
                        if (isAlias(item)) {
                            out.push([
                                lineOf(item),
                                `an item of \`${key}\` is the YAML alias \`*${item.source}\`; ` +
                                    "write each OU and account once (an alias reused in the tree repeats or cycles it)",
                            ]);
                        } else walk(item, depth + 1);
                    }
                    continue;
                }
                walk(val, depth + 1);
            }
        } else if (isSeq(n)) {
            for (const item of n.items) walk(item, depth + 1);
        }
    };
    walk(doc.contents, 0);
    return out;
}

interface Seen {
    readonly accounts: Map<string, string>;
    readonly ous: Map<string, string>;
    readonly objects: Set<object>;
}

function parseAccount(v: unknown, path: string, seen: Seen, issues: Issues): OrgAccount | undefined {
    const o = expectObject(v, path, issues);
    if (!o) return undefined;
    checkKeys(o, ACCOUNT_KEYS, path, issues);
    const idRaw = own(o, "id");
    const id =
        idRaw === undefined
            ? (issues.add(at(path, "id"), "is required (a 12-digit account id)"), undefined)
            : checkAccountId(idRaw, at(path, "id"), issues);
    const name = str(o, "name", path, issues, { required: true, max: 50, expected: "the account name" });
    const tags =
        stringMap(
            o,
            "tags",
            path,
            issues,
            (k, p) => checkString(k, p, issues, { max: 128 }) !== undefined,
            (t, p) => {
                if (typeof t === "string") return checkString(t, p, issues, { max: 256, allowEmpty: true });
                if (typeof t === "number" || typeof t === "boolean") return String(t);
                issues.add(p, `expected a tag value string, got ${typeName(t)} ${show(t)}`);
                return undefined;
            },
        ) ?? {};
    let state = str(o, "state", path, issues, { expected: `one of ${ACCOUNT_STATES.join(", ")}` });
    if (state !== undefined && !(ACCOUNT_STATES as readonly string[]).includes(state)) {
        issues.add(at(path, "state"), `${show(state)} is not allowed (expected one of ${ACCOUNT_STATES.join(", ")})`);
    }
    const status = str(o, "status", path, issues, { expected: `one of ${ACCOUNT_STATUSES.join(", ")}` });
    if (status !== undefined && !(ACCOUNT_STATUSES as readonly string[]).includes(status)) {
        issues.add(
            at(path, "status"),
            `${show(status)} is not allowed (expected one of ${ACCOUNT_STATUSES.join(", ")}); ` +
                "AWS retired `Status` on 2026-09-09: write `state`",
        );
    } else if (status !== undefined && state !== undefined && status !== state) {
        issues.add(at(path, "status"), `${show(status)} contradicts \`state\` ${show(state)}; keep only \`state\``);
    }
    state ??= status;
    if (id !== undefined) {
        const first = seen.accounts.get(id);
        if (first !== undefined) {
            issues.add(at(path, "id"), `account ${show(id)} is already listed at \`${first}\`; an account has exactly one parent`);
            return undefined;
        }
        seen.accounts.set(id, path);
    }
    if (id === undefined || name === undefined) return undefined;
    return { id, name, tags, ...(state !== undefined ? { state } : {}) };
}

function parseAccounts(o: Record<string, unknown>, path: string, seen: Seen, issues: Issues): OrgAccount[] {
    const v = own(o, "accounts");
    if (v === undefined || v === null) return [];
    const list = expectArray(v, at(path, "accounts"), issues) ?? [];
    const out: OrgAccount[] = [];
    list.forEach((a, i) => {
        const acc = parseAccount(a, idx(at(path, "accounts"), i), seen, issues);
        if (acc) out.push(acc);
    });
    return out;
}

function parseOus(o: Record<string, unknown>, path: string, depth: number, seen: Seen, issues: Issues): OrgUnit[] {
    const v = own(o, "ous");
    if (v === undefined || v === null) return [];
    const p = at(path, "ous");
    const list = expectArray(v, p, issues) ?? [];
    if (depth > MAX_OU_DEPTH && list.length > 0) {
        issues.add(
            p,
            `OUs nest deeper than ${MAX_OU_DEPTH} levels (AWS Organizations allows at most ${MAX_OU_DEPTH}); move them up a level`,
        );
        return [];
    }
    const out: OrgUnit[] = [];
    list.forEach((item, i) => {
        const up = idx(p, i);
        const u = expectObject(item, up, issues);
        if (!u) return;
        if (seen.objects.has(u)) {
            issues.add(up, "repeats an OU already in the tree (a YAML alias or a cycle); write each OU once");
            return;
        }
        seen.objects.add(u);
        checkKeys(u, OU_KEYS, up, issues);
        const id = str(u, "id", up, issues, { required: true, pattern: OU_ID_RE, expected: "an OU id (ou-xxxx-xxxxxxxx)", max: 70 });
        const name = str(u, "name", up, issues, { required: true, max: 128, expected: "the OU name" });
        if (id !== undefined) {
            const first = seen.ous.get(id);
            if (first !== undefined) {
                issues.add(at(up, "id"), `OU ${show(id)} is already defined at \`${first}\`; OU ids are unique (a repeat can be a cycle)`);
                return;
            }
            seen.ous.set(id, up);
        }
        const accounts = parseAccounts(u, up, seen, issues);
        const ous = parseOus(u, up, depth + 1, seen, issues);
        if (id !== undefined && name !== undefined) out.push({ id, name, accounts, ous });
    });
    return out;
}

/**
 * Parses an org fixture (YAML: managementAccountId, identityStoreId, instanceArn, root, optional root
 * `accounts`, nested `ous`; optional snapshot sections `exportedAt`, `scps`, `identityCenter`, see
 * `snapshot.ts`). Throws one {@link ConfigError} (source `org fixture <file>`) listing every
 * problem: bad ids, duplicate accounts or OUs, YAML aliases used as OUs, a management account not in the tree.
 */
export function parseOrgFixture(text: string, file: string): OrgTree {
    const issues = new Issues();
    const source = `org fixture ${file}`;
    const js = readYaml(text, file, { source, inspectAliases: structuralAliases });
    const o = expectObject(js, file, issues);
    if (!o) throw new ConfigError(issues.list, source);
    checkKeys(o, TOP_KEYS, "", issues);
    const seen: Seen = { accounts: new Map(), ous: new Map(), objects: new Set() };
    const mgmtRaw = own(o, "managementAccountId");
    const managementAccountId =
        mgmtRaw === undefined
            ? (issues.add("managementAccountId", "is required (a 12-digit account id)"), undefined)
            : checkAccountId(mgmtRaw, "managementAccountId", issues);
    const fields = {
        identityStoreId: str(o, "identityStoreId", "", issues, {
            required: true,
            pattern: IDENTITY_STORE_ID_RE,
            expected: "an identity store id (d-xxxxxxxxxx)",
        }),
        instanceArn: str(o, "instanceArn", "", issues, {
            required: true,
            pattern: INSTANCE_ARN_RE,
            expected: "an Identity Center instance ARN (arn:aws:sso:::instance/ssoins-<16 hex>)",
        }),
        root: str(o, "root", "", issues, { required: true, pattern: ROOT_ID_RE, expected: "a root id (r-xxxx)" }),
    };
    const accounts = parseAccounts(o, "", seen, issues);
    const ous = parseOus(o, "", 1, seen, issues);
    const list = (key: string, ok: (v: string) => boolean, expected: string): string[] | undefined => {
        const v = own(o, key);
        if (v === undefined || v === null) return undefined;
        const arr = expectArray(v, key, issues) ?? [];
        const out: string[] = [];
        arr.forEach((x, i) => {
            if (typeof x === "string" && ok(x)) out.push(x);
            else issues.add(idx(key, i), `${show(x)} is not ${expected}`);
        });
        return [...new Set(out)].sort();
    };
    const trustedAccess = list("trustedAccess", (x) => SERVICE_PRINCIPAL_RE.test(x), "a service principal such as sso.amazonaws.com");
    const rootPolicyTypes = list(
        "rootPolicyTypes",
        (x) => (POLICY_TYPES as readonly string[]).includes(x),
        `one of ${POLICY_TYPES.join(", ")}`,
    );
    if (managementAccountId !== undefined && !seen.accounts.has(managementAccountId)) {
        issues.add(
            "managementAccountId",
            `${show(managementAccountId)} is not an account in the tree; list it ` + "(usually under the root `accounts:`)",
        );
    }
    const { identityStoreId, instanceArn, root } = fields;
    // The snapshot sections are checked against the tree only when the tree itself is sound.
    const snapshot =
        issues.count > 0 || !instanceArn || !root
            ? undefined
            : parseOrgSnapshot(o, { root, instanceArn, ous: new Set(seen.ous.keys()), accounts: new Set(seen.accounts.keys()) }, issues);
    if (issues.count > 0 || !managementAccountId || !identityStoreId || !instanceArn || !root) {
        throw new ConfigError(issues.list, source);
    }
    return {
        managementAccountId,
        identityStoreId,
        instanceArn,
        root,
        accounts,
        ous,
        ...(trustedAccess !== undefined ? { trustedAccess } : {}),
        ...(rootPolicyTypes !== undefined ? { rootPolicyTypes } : {}),
        ...(snapshot ? { snapshot } : {}),
    };
}
