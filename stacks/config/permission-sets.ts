/**
 * Parser of `idfed:permissionSets`, with the Identity Center limits checked before any API call: name ≤ 32
 * characters, session 1–12 h, inline policy ≤ 10,240 characters without whitespace, ≤ 20 attached policies.
 */
import { CustomerManagedPolicyRef, PermissionsBoundary, PermissionSetModel, PolicyDocument } from "../model";
import { IAM_PATH_RE, MANAGED_POLICY_ARN_RE, PERMISSION_SET_NAME_RE, POLICY_NAME_RE } from "../input/iam-names";
import { checkConfigKey } from "./groups";
import { readRepoFile } from "../input/repo-file";
import { managedArnProblem } from "idfed-policy-pack/analysis/managed-names";
import { duplicateKeyProblem } from "idfed-policy-pack/analysis/duplicate-keys";
import {
    at,
    checkKeys,
    compareStrings,
    expectArray,
    expectObject,
    has,
    idx,
    isPlainObject,
    Issues,
    own,
    checkDuration,
    show,
    str,
    stringMap,
    typeName,
} from "../input/validate";

/** Identity Center limit: permission set name length. */
export const MAX_NAME_LENGTH = 32;
/** Identity Center limit: inline policy size, characters after all whitespace is removed. */
export const MAX_INLINE_POLICY_CHARS = 10_240;
/** Identity Center limit: AWS-managed plus customer-managed policies attached to one permission set. */
export const MAX_ATTACHED_POLICIES = 20;
/** AWS limit: tags per resource. */
export const MAX_TAGS = 50;

/** AWS tag key/value characters. */
export const TAG_CHARS_RE = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

const PS_KEYS = [
    "name",
    "description",
    "sessionDuration",
    "relayState",
    "managedPolicies",
    "customerManagedPolicies",
    "inlinePolicy",
    "permissionsBoundary",
    "tags",
] as const;
const REF_KEYS = ["name", "path"] as const;
const BOUNDARY_KEYS = ["managedPolicyArn", "customerManagedPolicy"] as const;

/** Options of {@link parsePermissionSets}. */
export interface PermissionSetOptions {
    /** Repository root that relative inline policy files are resolved against. */
    readonly projectRoot: string;
    /** Reads a file as UTF-8 text (default `fs.readFileSync`). */
    readonly readFile?: (absPath: string) => string;
}

/** Size of a policy document as Identity Center counts it: JSON without any whitespace. */
export function policySize(doc: unknown): number {
    return JSON.stringify(doc).replace(/\s/g, "").length;
}

/**
 * Checks that `doc` is an IAM policy document: a mapping with `Version: "2012-10-17"` and a `Statement`
 * (a statement mapping or a non-empty list of them, each with `Effect` Allow or Deny). Records issues.
 */
export function checkPolicyDocument(doc: unknown, path: string, issues: Issues): doc is PolicyDocument {
    if (!isPlainObject(doc)) {
        issues.add(path, `expected an IAM policy document (a mapping with Version and Statement), got ${typeName(doc)} ${show(doc)}`);
        return false;
    }
    const before = issues.count;
    if (own(doc, "Version") !== "2012-10-17") {
        issues.add(at(path, "Version"), `${show(own(doc, "Version"))} is not allowed; use "2012-10-17"`);
    }
    const st = own(doc, "Statement");
    const list = Array.isArray(st) ? st : isPlainObject(st) ? [st] : undefined;
    if (!list || list.length === 0) {
        issues.add(at(path, "Statement"), `${show(st)} is not a statement or a non-empty list of statements`);
    } else {
        list.forEach((s, i) => {
            const sp = Array.isArray(st) ? idx(at(path, "Statement"), i) : at(path, "Statement");
            if (!isPlainObject(s)) issues.add(sp, `expected a statement mapping, got ${typeName(s)} ${show(s)}`);
            else if (own(s, "Effect") !== "Allow" && own(s, "Effect") !== "Deny") {
                issues.add(at(sp, "Effect"), `${show(own(s, "Effect"))} is not allowed; use "Allow" or "Deny"`);
            }
        });
    }
    return issues.count === before;
}

/**
 * A policy document given inline or as a repository-relative `.json` path; at most `maxChars` characters without
 * whitespace (`limitWhat` names the limit in the message). Records issues and returns undefined when invalid.
 */
export function parsePolicyDocumentValue(
    v: unknown,
    path: string,
    opts: PermissionSetOptions,
    issues: Issues,
    maxChars = MAX_INLINE_POLICY_CHARS,
    limitWhat = "Identity Center allows at most",
): { doc: PolicyDocument; source: string } | undefined {
    return parseInline(v, path, opts, issues, maxChars, limitWhat);
}

function parseInline(
    v: unknown,
    path: string,
    opts: PermissionSetOptions,
    issues: Issues,
    maxChars = MAX_INLINE_POLICY_CHARS,
    limitWhat = "Identity Center allows at most",
): { doc: PolicyDocument; source: string } | undefined {
    let doc: unknown = v;
    let source = "inline";
    if (typeof v === "string") {
        const file = readRepoFile(
            v,
            path,
            { projectRoot: opts.projectRoot, ext: ".json", what: "inline policy file", readFile: opts.readFile },
            issues,
        );
        if (file === undefined) return undefined;
        source = file.rel;
        // Nothing of the file's content is quoted unless it is a policy document: a path can point anywhere.
        try {
            doc = JSON.parse(file.text);
        } catch (e) {
            const at = /position (\d+)/.exec((e as Error)?.message ?? "")?.[1];
            issues.add(
                path,
                `inline policy file ${show(v)} is not valid JSON${at === undefined ? "" : ` (at character ${at})`}; its content is not shown`,
            );
            return undefined;
        }
        const dup = duplicateKeyProblem(file.text);
        if (dup !== undefined) {
            issues.add(path, `inline policy file ${show(v)}: ${dup}`);
            return undefined;
        }
        const probe = new Issues();
        if (!checkPolicyDocument(doc, path, probe)) {
            issues.add(
                path,
                `inline policy file ${show(v)} is not an IAM policy document (problems at ` +
                    `${probe.list
                        .slice(0, 5)
                        .map((i) => `\`${i.path.slice(path.length).replace(/^\./, "") || "(top)"}\``)
                        .join(", ")}: ` +
                    'it needs `Version: "2012-10-17"` and statements with `Effect` Allow or Deny); its content is not shown',
            );
            return undefined;
        }
    }
    if (!checkPolicyDocument(doc, source === "inline" ? path : `${path} (${source})`, issues)) return undefined;
    const size = policySize(doc);
    if (size > maxChars) {
        issues.add(
            path,
            `policy ${source === "inline" ? "" : `${show(source)} `}is ${size} characters without ` +
                `whitespace; ${limitWhat} ${maxChars}: move statements into managed ` +
                "or customer-managed policies",
        );
        return undefined;
    }
    return { doc, source };
}

function parseRef(v: unknown, path: string, issues: Issues): CustomerManagedPolicyRef | undefined {
    const o = expectObject(v, path, issues);
    if (!o) return undefined;
    checkKeys(o, REF_KEYS, path, issues);
    const name = str(o, "name", path, issues, {
        required: true,
        pattern: POLICY_NAME_RE,
        expected: "an IAM policy name ([\\w+=,.@-], ≤ 128)",
    });
    const p = str(o, "path", path, issues, {
        pattern: IAM_PATH_RE,
        expected: "an IAM path that starts and ends with / (e.g. /idfed/)",
        max: 512,
    });
    return name === undefined ? undefined : { name, path: p ?? "/" };
}

function parseBoundary(v: unknown, path: string, issues: Issues): PermissionsBoundary | undefined {
    const o = expectObject(v, path, issues);
    if (!o) return undefined;
    checkKeys(o, BOUNDARY_KEYS, path, issues);
    if (has(o, "managedPolicyArn") === has(o, "customerManagedPolicy")) {
        issues.add(path, `${show(o)} must have exactly one of \`managedPolicyArn\` or \`customerManagedPolicy\``);
        return undefined;
    }
    if (has(o, "managedPolicyArn")) {
        const arn = str(o, "managedPolicyArn", path, issues, {
            pattern: MANAGED_POLICY_ARN_RE,
            expected: "an AWS-managed policy ARN (arn:aws:iam::aws:policy/Name)",
        });
        if (arn === undefined) return undefined;
        const problem = managedArnProblem(arn);
        if (problem) {
            issues.add(at(path, "managedPolicyArn"), problem);
            return undefined;
        }
        return { kind: "managed", managedPolicyArn: arn };
    }
    const ref = parseRef(own(o, "customerManagedPolicy"), at(path, "customerManagedPolicy"), issues);
    return ref === undefined ? undefined : { kind: "customerManaged", policy: ref };
}

/** Parses AWS resource tags (≤ 50; key 1–128, value ≤ 256 characters; no `aws:` prefix). */
export function parseTags(o: Record<string, unknown>, key: string, path: string, issues: Issues): Record<string, string> {
    const tags =
        stringMap(
            o,
            key,
            path,
            issues,
            (k, p) => {
                if (k.length < 1 || k.length > 128 || !TAG_CHARS_RE.test(k) || k.toLowerCase().startsWith("aws:")) {
                    issues.add(p, `${show(k)} is not a valid tag key (1–128 letters, digits, spaces or _.:/=+-@; not starting with aws:)`);
                    return false;
                }
                return true;
            },
            (v, p) => {
                if (typeof v !== "string") {
                    issues.add(p, `expected a string tag value, got ${typeName(v)} ${show(v)}; quote it`);
                    return undefined;
                }
                if (v.length > 256 || !TAG_CHARS_RE.test(v)) {
                    issues.add(p, `${show(v)} is not a valid tag value (≤ 256 letters, digits, spaces or _.:/=+-@)`);
                    return undefined;
                }
                return v;
            },
        ) ?? {};
    const n = Object.keys(tags).length;
    if (n > MAX_TAGS) issues.add(at(path, key), `has ${n} tags; AWS allows at most ${MAX_TAGS}`);
    return tags;
}

function parsePermissionSet(
    key: string,
    v: unknown,
    path: string,
    opts: PermissionSetOptions,
    issues: Issues,
): PermissionSetModel | undefined {
    const o = expectObject(v, path, issues);
    if (!o) return undefined;
    checkKeys(o, PS_KEYS, path, issues);
    const before = issues.count;
    const name = str(o, "name", path, issues, {
        required: true,
        max: MAX_NAME_LENGTH,
        pattern: PERMISSION_SET_NAME_RE,
        expected: `a permission set name (1–${MAX_NAME_LENGTH} characters of letters, digits and _+=,.@-)`,
    });
    const description = str(o, "description", path, issues, {
        max: 700,
        pattern: /^[\t\n\r\u0020-\u007E\u00A1-\u00FF]*$/,
        multiline: true,
        expected: "a description of printable Latin-1 characters",
    });
    let sessionDuration = "PT1H";
    const sd = str(o, "sessionDuration", path, issues, { max: 40, expected: "an ISO-8601 duration PT1H–PT12H" });
    if (sd !== undefined) {
        const secs = checkDuration(sd, at(path, "sessionDuration"), issues, {
            min: 3600,
            max: 43200,
            range: "PT1H–PT12H, 1 to 12 hours",
            by: "Identity Center",
        });
        if (secs !== undefined) sessionDuration = sd;
    }
    const relayState = str(o, "relayState", path, issues, { max: 240 });
    const managed = new Set<string>();
    const mp = at(path, "managedPolicies");
    const mlist = has(o, "managedPolicies") ? (expectArray(own(o, "managedPolicies"), mp, issues) ?? []) : [];
    mlist.forEach((a, i) => {
        const p = idx(mp, i);
        if (typeof a !== "string" || !MANAGED_POLICY_ARN_RE.test(a)) {
            issues.add(
                p,
                `${show(a)} is not an AWS-managed policy ARN (expected arn:aws:iam::aws:policy/[path/]Name; ` +
                    "customer-managed policies go in `customerManagedPolicies`)",
            );
        } else if (managed.has(a)) issues.add(p, `${show(a)} is listed twice; remove the duplicate`);
        else {
            const problem = managedArnProblem(a);
            if (problem) issues.add(p, problem);
            else managed.add(a);
        }
    });
    const refs = new Map<string, CustomerManagedPolicyRef>();
    const cp = at(path, "customerManagedPolicies");
    const clist = has(o, "customerManagedPolicies") ? (expectArray(own(o, "customerManagedPolicies"), cp, issues) ?? []) : [];
    clist.forEach((r, i) => {
        const ref = parseRef(r, idx(cp, i), issues);
        if (!ref) return;
        const id = `${ref.path}${ref.name}`;
        if (refs.has(id)) issues.add(idx(cp, i), `${show(id)} is listed twice; remove the duplicate`);
        else refs.set(id, ref);
    });
    const total = mlist.length + clist.length;
    if (total > MAX_ATTACHED_POLICIES) {
        issues.add(
            path,
            `attaches ${total} policies (${mlist.length} managed + ${clist.length} customer-managed); ` +
                `Identity Center allows at most ${MAX_ATTACHED_POLICIES}: merge some into the inline policy or a customer-managed policy`,
        );
    }
    const inline = has(o, "inlinePolicy") ? parseInline(own(o, "inlinePolicy"), at(path, "inlinePolicy"), opts, issues) : undefined;
    const boundary = has(o, "permissionsBoundary")
        ? parseBoundary(own(o, "permissionsBoundary"), at(path, "permissionsBoundary"), issues)
        : undefined;
    const tags = parseTags(o, "tags", path, issues);
    if (issues.count !== before || name === undefined) return undefined;
    return {
        key,
        name,
        sessionDuration,
        tags,
        ...(description !== undefined ? { description } : {}),
        ...(relayState !== undefined ? { relayState } : {}),
        managedPolicyArns: [...managed].sort(compareStrings),
        customerManagedPolicies: [...refs.entries()].sort((a, b) => compareStrings(a[0], b[0])).map((e) => e[1]),
        ...(inline ? { inlinePolicy: inline.doc, inlinePolicySource: inline.source } : {}),
        ...(boundary ? { permissionsBoundary: boundary } : {}),
    };
}

/** Parses `idfed:permissionSets` into permission sets sorted by key; duplicate names are errors. */
export function parsePermissionSets(value: unknown, opts: PermissionSetOptions, issues: Issues): PermissionSetModel[] {
    const path = "idfed:permissionSets";
    if (value === undefined || value === null) return [];
    const o = expectObject(value, path, issues);
    if (!o) return [];
    const out: PermissionSetModel[] = [];
    const byName = new Map<string, string>();
    for (const key of Object.keys(o).sort(compareStrings)) {
        const p = at(path, key);
        if (!checkConfigKey(key, p, issues)) continue;
        const ps = parsePermissionSet(key, o[key], p, opts, issues);
        if (!ps) continue;
        const other = byName.get(ps.name);
        if (other !== undefined) {
            issues.add(
                at(p, "name"),
                `${show(ps.name)} is also the name of permission set \`${other}\`; ` +
                    "names are unique per Identity Center instance, so rename one",
            );
            continue;
        }
        byName.set(ps.name, key);
        out.push(ps);
    }
    return out;
}
