/**
 * Parsers of the `idfed:guardrails` sections. Each records problems (key path, bad value, fix) in `issues`
 * and returns the section's model, or undefined when the section is not a mapping. Pure, no Pulumi.
 */
import type {
    AlertSubscription,
    AuditModel,
    BreakGlassModel,
    CrossAccountRoleModel,
    CrossAccountRolesModel,
    IamGroupModel,
    IamUserModel,
    IamUsersModel,
    JitModel,
    PimGroupModel,
    RootLockdownModel,
    SamlRoleModel,
    SamlStackSetsModel,
} from "../model/guardrails";
import { IAM_NAME_RE, POLICY_ARN_RE, ROLE_ARN_RE, ROLE_NAME_RE } from "../input/iam-names";
import { checkConfigKey } from "./groups";

export { IAM_NAME_RE, POLICY_ARN_RE, ROLE_ARN_RE, ROLE_NAME_RE };
import { checkPolicyDocument } from "./permission-sets";
import { readRepoFile } from "../input/repo-file";
import {
    at,
    bool,
    checkAccountId,
    checkKeys,
    checkOuId,
    checkString,
    compareStrings,
    EMAIL_RE,
    expectArray,
    expectObject,
    GUID_RE,
    checkDuration,
    hint,
    idx,
    isHttpsUrl,
    Issues,
    own,
    show,
    str,
    stringList,
    typeName,
} from "../input/validate";

/** What the guardrails parser needs from the rest of the config. */
export interface GuardrailsContext {
    /** Valid keys of `idfed:groups` (for `jit.pim`); unchecked when absent. */
    readonly groupKeys?: ReadonlySet<string>;
    /** Repository root for `samlStackSets.metadataFile` (default the current directory). */
    readonly projectRoot?: string;
    /** Reads a file as UTF-8 text (default `fs.readFileSync`). */
    readonly readFile?: (absPath: string) => string;
}

/** S3 bucket name (DNS-compatible). */
export const BUCKET_RE = /^(?!xn--)(?!.*\.\.)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
/** CloudTrail / StackSet names. */
export const RESOURCE_NAME_RE = /^[A-Za-z][A-Za-z0-9_-]{0,127}$/;
/** Eligibility durations Entra PIM accepts, days. */
export const PIM_ELIGIBILITY_DAYS = [15, 30, 90, 180, 365] as const;
/** AdministratorAccess, the default of break-glass. */
export const ADMINISTRATOR_ACCESS = "arn:aws:iam::aws:policy/AdministratorAccess";

const PROTOCOLS = ["email", "https", "sqs", "lambda"] as const;

function int(
    o: Record<string, unknown>,
    key: string,
    path: string,
    issues: Issues,
    min: number,
    max: number,
    dflt: number,
    why = "",
): number {
    const v = own(o, key);
    if (v === undefined || v === null) return dflt;
    if (typeof v !== "number" || !Number.isInteger(v) || v < min || v > max) {
        issues.add(at(path, key), `${show(v)} is not allowed (expected a whole number ${min}–${max}${why})`);
        return dflt;
    }
    return v;
}

function policyArns(o: Record<string, unknown>, key: string, path: string, issues: Issues): string[] {
    return stringList(o, key, path, issues, (v, p) =>
        checkString(v, p, issues, {
            pattern: POLICY_ARN_RE,
            expected: "a managed policy ARN (arn:aws:iam::aws:policy/Name or arn:aws:iam::<account>:policy/Name)",
        }),
    );
}

function accounts(o: Record<string, unknown>, key: string, path: string, issues: Issues): string[] {
    return stringList(o, key, path, issues, (v, p) => checkAccountId(v, p, issues));
}

function guids(o: Record<string, unknown>, key: string, path: string, issues: Issues): string[] {
    return stringList(o, key, path, issues, (v, p) => {
        const s = checkString(v, p, issues, { pattern: GUID_RE, expected: "an Entra object id (GUID)" });
        return s?.toLowerCase();
    });
}

/** Session length as ISO-8601 (PT1H–PT12H), in seconds (default 3600). */
function sessionSeconds(o: Record<string, unknown>, path: string, issues: Issues): number {
    const v = str(o, "maxSessionDuration", path, issues, { max: 40, expected: "an ISO-8601 duration PT1H–PT12H" });
    if (v === undefined) return 3600;
    return (
        checkDuration(v, at(path, "maxSessionDuration"), issues, {
            min: 3600,
            max: 43200,
            range: "PT1H–PT12H, 1 to 12 hours",
            by: "an IAM role",
        }) ?? 3600
    );
}

/** Reads `alertEmails` and `alertSubscriptions` into SNS subscriptions (sorted, unique). */
export function parseAlerts(o: Record<string, unknown>, path: string, issues: Issues): AlertSubscription[] {
    const out = new Map<string, AlertSubscription>();
    for (const e of stringList(o, "alertEmails", path, issues, (v, p) =>
        checkString(v, p, issues, { pattern: EMAIL_RE, expected: "an e-mail address", max: 254 }),
    )) {
        out.set(`email ${e}`, { protocol: "email", endpoint: e });
    }
    const raw = own(o, "alertSubscriptions");
    const list = raw === undefined || raw === null ? [] : (expectArray(raw, at(path, "alertSubscriptions"), issues) ?? []);
    list.forEach((item, i) => {
        const p = idx(at(path, "alertSubscriptions"), i);
        const s = expectObject(item, p, issues);
        if (!s) return;
        checkKeys(s, ["protocol", "endpoint"], p, issues);
        const protocol = str(s, "protocol", p, issues, { required: true, expected: PROTOCOLS.join(", ") });
        const endpoint = str(s, "endpoint", p, issues, { required: true, expected: "the subscription endpoint" });
        if (protocol === undefined || endpoint === undefined) return;
        const proto = PROTOCOLS.find((x) => x === protocol);
        if (proto === undefined) {
            issues.add(
                at(p, "protocol"),
                `${show(protocol)} is not allowed (expected one of ${PROTOCOLS.join(", ")})${hint(protocol, PROTOCOLS)}`,
            );
            return;
        }
        const ok =
            proto === "email"
                ? EMAIL_RE.test(endpoint)
                : proto === "https"
                  ? isHttpsUrl(endpoint)
                  : new RegExp(`^arn:aws[a-z-]*:${proto}:[a-z0-9-]+:\\d{12}:[\\w.:-]+$`).test(endpoint);
        if (!ok) issues.add(at(p, "endpoint"), `${show(endpoint)} is not a valid ${proto} endpoint`);
        else out.set(`${proto} ${endpoint}`, { protocol: proto, endpoint });
    });
    return [...out.keys()].sort(compareStrings).map((k) => out.get(k)!);
}

/** Calls `each` for every entry of a keyed mapping whose key is a valid config key; returns the results in key order. */
function keyed<T>(
    o: Record<string, unknown>,
    key: string,
    path: string,
    issues: Issues,
    each: (k: string, v: Record<string, unknown>, p: string) => T | undefined,
): T[] {
    const raw = own(o, key);
    if (raw === undefined || raw === null) return [];
    const map = expectObject(raw, at(path, key), issues);
    if (!map) return [];
    const out: T[] = [];
    for (const k of Object.keys(map).sort(compareStrings)) {
        const p = at(at(path, key), k);
        if (!checkConfigKey(k, p, issues)) continue;
        const v = expectObject(map[k], p, issues);
        if (!v) continue;
        const r = each(k, v, p);
        if (r !== undefined) out.push(r);
    }
    return out;
}

/** Parses `rootLockdown`. */
export function parseRootLockdown(v: unknown, path: string, issues: Issues): RootLockdownModel | undefined {
    const o = expectObject(v, path, issues);
    if (!o) return undefined;
    checkKeys(o, ["enabled", "targets", "exemptAccounts", "alertEmails", "alertSubscriptions"], path, issues);
    return {
        enabled: bool(o, "enabled", path, issues, false),
        targets: stringList(o, "targets", path, issues, (x, p) => checkOuId(x, p, issues, true)),
        exemptAccounts: accounts(o, "exemptAccounts", path, issues),
        alerts: parseAlerts(o, path, issues),
    };
}

/** Parses `iamUsers`. */
export function parseIamUsers(v: unknown, path: string, issues: Issues, ctx: GuardrailsContext): IamUsersModel | undefined {
    void ctx;
    const o = expectObject(v, path, issues);
    if (!o) return undefined;
    checkKeys(o, ["enabled", "accountId", "passwordPolicy", "accessKeyMaxAgeDays", "groups", "users"], path, issues);
    const pp = own(o, "passwordPolicy");
    const ppPath = at(path, "passwordPolicy");
    const ppo = pp === undefined || pp === null ? {} : (expectObject(pp, ppPath, issues) ?? {});
    checkKeys(ppo, ["minimumLength", "reusePrevention", "maxAgeDays"], ppPath, issues);
    const passwordPolicy = {
        minimumLength: int(ppo, "minimumLength", ppPath, issues, 14, 128, 14, "; at least 14 characters"),
        reusePrevention: int(ppo, "reusePrevention", ppPath, issues, 1, 24, 24),
        maxAgeDays: int(ppo, "maxAgeDays", ppPath, issues, 1, 1095, 90),
    };
    const groups = keyed<IamGroupModel>(o, "groups", path, issues, (key, g, p) => {
        checkKeys(g, ["policies", "inlinePolicy"], p, issues);
        const policies = policyArns(g, "policies", p, issues);
        const inline = own(g, "inlinePolicy");
        if (inline !== undefined && inline !== null && !checkPolicyDocument(inline, at(p, "inlinePolicy"), issues)) return undefined;
        return inline === undefined || inline === null
            ? { key, policyArns: policies }
            : { key, policyArns: policies, inlinePolicy: inline as IamGroupModel["inlinePolicy"] & object };
    });
    const groupKeys = new Set(keyedKeys(own(o, "groups")));
    const users = keyed<IamUserModel>(o, "users", path, issues, (key, u, p) => {
        checkKeys(u, ["groups"], p, issues);
        const gs = stringList(u, "groups", p, issues, (x, gp) => {
            if (typeof x === "string" && groupKeys.has(x)) return x;
            issues.add(
                gp,
                `${show(x)} is not a group of \`${at(path, "groups")}\`${typeof x === "string" ? hint(x, groupKeys) : ""}` +
                    "; users get permissions only through groups",
            );
            return undefined;
        });
        return { key, groups: gs };
    });
    const accountId =
        own(o, "accountId") === undefined || own(o, "accountId") === null
            ? undefined
            : checkAccountId(own(o, "accountId"), at(path, "accountId"), issues);
    return {
        enabled: bool(o, "enabled", path, issues, false),
        ...(accountId !== undefined ? { accountId } : {}),
        passwordPolicy,
        accessKeyMaxAgeDays: int(o, "accessKeyMaxAgeDays", path, issues, 1, 365, 90),
        groups,
        users,
    };
}

function keyedKeys(v: unknown): string[] {
    return v !== null && typeof v === "object" && !Array.isArray(v) ? Object.keys(v) : [];
}

/** Parses `crossAccountRoles`. */
export function parseCrossAccountRoles(v: unknown, path: string, issues: Issues): CrossAccountRolesModel | undefined {
    const o = expectObject(v, path, issues);
    if (!o) return undefined;
    checkKeys(o, ["enabled", "roles"], path, issues);
    const roles = keyed<CrossAccountRoleModel>(o, "roles", path, issues, (key, r, p) => {
        checkKeys(
            r,
            [
                "roleName",
                "targetAccountId",
                "sourceAccounts",
                "sourceRoleArns",
                "policies",
                "requireMfa",
                "externalId",
                "maxSessionDuration",
                "sourcePolicy",
            ],
            p,
            issues,
        );
        const target = own(r, "targetAccountId");
        const targetAccountId =
            target === undefined || target === null
                ? (issues.add(at(p, "targetAccountId"), "is required (the 12-digit account the role lives in)"), undefined)
                : checkAccountId(target, at(p, "targetAccountId"), issues);
        const sourceAccounts = accounts(r, "sourceAccounts", p, issues);
        const sourceRoleArns = stringList(r, "sourceRoleArns", p, issues, (x, rp) =>
            checkString(x, rp, issues, { pattern: ROLE_ARN_RE, expected: "an IAM role ARN (arn:aws:iam::<account>:role/<name>)" }),
        );
        if (
            sourceAccounts.length + sourceRoleArns.length === 0 &&
            own(r, "sourceAccounts") === undefined &&
            own(r, "sourceRoleArns") === undefined
        ) {
            issues.add(p, "names no principal: set `sourceAccounts` (account ids) or `sourceRoleArns` (role ARNs)");
        }
        if (targetAccountId !== undefined && sourceAccounts.includes(targetAccountId)) {
            issues.add(
                at(p, "sourceAccounts"),
                `${show(targetAccountId)} is the target account itself; a cross-account role trusts other accounts`,
            );
        }
        let externalId: string | undefined;
        const ext = own(r, "externalId");
        if (ext !== undefined && ext !== null) {
            // Never echo the value: it is a shared secret.
            if (typeof ext !== "string" || !/^[\w+=,.@:/-]{2,1224}$/.test(ext)) {
                issues.add(
                    at(p, "externalId"),
                    "is not a valid external id (2–1224 characters of letters, digits and +=,.@:/-); value not shown",
                );
            } else externalId = ext;
        }
        const requireMfa = bool(r, "requireMfa", p, issues, true);
        if (!requireMfa && externalId === undefined) {
            issues.add(
                p,
                "has neither `requireMfa: true` nor an `externalId`: anyone in the source accounts with sts:AssumeRole " +
                    "could switch in; keep MFA or set an external id",
            );
        }
        const roleName = str(r, "roleName", p, issues, { pattern: ROLE_NAME_RE, expected: "an IAM role name" }) ?? `idfed-${key}`;
        if (targetAccountId === undefined) return undefined;
        return {
            key,
            roleName,
            targetAccountId,
            sourceAccounts,
            sourceRoleArns,
            policyArns: policyArns(r, "policies", p, issues),
            requireMfa,
            ...(externalId !== undefined ? { externalId } : {}),
            maxSessionDurationSeconds: sessionSeconds(r, p, issues),
            sourcePolicy: bool(r, "sourcePolicy", p, issues, true),
        };
    });
    return { enabled: bool(o, "enabled", path, issues, false), roles };
}

function readMetadata(
    o: Record<string, unknown>,
    path: string,
    issues: Issues,
    ctx: GuardrailsContext,
): { xml: string; source: string } | undefined {
    const inline = str(o, "metadataXml", path, issues, { max: 100_000, expected: "the federation metadata XML", multiline: true });
    const file = str(o, "metadataFile", path, issues, { max: 1024, expected: "a repo-relative .xml path" });
    if ((inline === undefined) === (file === undefined)) {
        issues.add(
            path,
            "needs exactly one of `metadataFile` (repo-relative path to the Entra app's federation metadata XML) " +
                "or `metadataXml`; a StackSet template cannot fetch the metadata URL",
        );
        return undefined;
    }
    let xml = inline ?? "";
    let source = "inline";
    if (file !== undefined) {
        const fp = at(path, "metadataFile");
        const read = readRepoFile(
            file,
            fp,
            { projectRoot: ctx.projectRoot ?? ".", ext: ".xml", what: "SAML metadata file", readFile: ctx.readFile },
            issues,
        );
        if (read === undefined) return undefined;
        xml = read.text;
        source = file;
    }
    if (!/<(?:\w+:)?EntityDescriptor[\s>]/.test(xml) || !/<(?:\w+:)?X509Certificate>/.test(xml)) {
        issues.add(
            at(path, file !== undefined ? "metadataFile" : "metadataXml"),
            `${source === "inline" ? "the XML" : show(source)} is not SAML ` +
                "federation metadata (no EntityDescriptor with an X509Certificate)",
        );
        return undefined;
    }
    if (xml.length > 40_000) {
        issues.add(path, `the metadata is ${xml.length} characters; with the roles it must fit a 51,200-byte StackSet template`);
        return undefined;
    }
    return { xml, source };
}

/** Parses `samlStackSets`. */
export function parseSamlStackSets(v: unknown, path: string, issues: Issues, ctx: GuardrailsContext): SamlStackSetsModel | undefined {
    const o = expectObject(v, path, issues);
    if (!o) return undefined;
    checkKeys(o, ["enabled", "targets", "providerName", "metadataFile", "metadataXml", "callAs", "stackSetName", "roles"], path, issues);
    const enabled = bool(o, "enabled", path, issues, false);
    const targets = stringList(o, "targets", path, issues, (x, p) => checkOuId(x, p, issues, true));
    if (enabled && targets.length === 0)
        issues.add(at(path, "targets"), "is required when enabled (OU ids such as ou-ab12-workload, or the root r-xxxx)");
    const callAs = str(o, "callAs", path, issues, { expected: "SELF or DELEGATED_ADMIN" }) ?? "SELF";
    if (callAs !== "SELF" && callAs !== "DELEGATED_ADMIN")
        issues.add(at(path, "callAs"), `${show(callAs)} is not allowed (expected SELF or DELEGATED_ADMIN)`);
    const roles = keyed<SamlRoleModel>(o, "roles", path, issues, (key, r, p) => {
        checkKeys(r, ["roleName", "policies", "maxSessionDuration"], p, issues);
        const policies = policyArns(r, "policies", p, issues);
        if (policies.length === 0) issues.add(at(p, "policies"), "is required (at least one managed policy ARN)");
        return {
            key,
            roleName: str(r, "roleName", p, issues, { pattern: ROLE_NAME_RE, expected: "an IAM role name" }) ?? `Entra-${key}`,
            policyArns: policies,
            maxSessionDurationSeconds: sessionSeconds(r, p, issues),
        };
    });
    if (enabled && roles.length === 0 && own(o, "roles") === undefined)
        issues.add(at(path, "roles"), "is required when enabled (at least one role)");
    const metadata = readMetadata(o, path, issues, ctx);
    if (!metadata) return undefined;
    return {
        enabled,
        targets,
        providerName:
            str(o, "providerName", path, issues, { pattern: /^[\w.-]{1,128}$/, expected: "a SAML provider name ([\\w.-], ≤ 128)" }) ??
            "EntraID",
        metadataXml: metadata.xml,
        metadataSource: metadata.source,
        callAs: callAs === "DELEGATED_ADMIN" ? "DELEGATED_ADMIN" : "SELF",
        stackSetName:
            str(o, "stackSetName", path, issues, { pattern: RESOURCE_NAME_RE, expected: "a StackSet name" }) ?? "idfed-saml-federation",
        roles,
    };
}

/** Parses `jit`. */
export function parseJit(v: unknown, path: string, issues: Issues, ctx: GuardrailsContext): JitModel | undefined {
    const o = expectObject(v, path, issues);
    if (!o) return undefined;
    checkKeys(o, ["enabled", "pim"], path, issues);
    const pim = keyed<PimGroupModel>(o, "pim", path, issues, (groupKey, g, p) => {
        if (ctx.groupKeys !== undefined && !ctx.groupKeys.has(groupKey)) {
            issues.add(p, `${show(groupKey)} is not a key of \`idfed:groups\`${hint(groupKey, ctx.groupKeys)}`);
        }
        checkKeys(
            g,
            [
                "eligibleMembers",
                "maxActivationHours",
                "requireApproval",
                "approvers",
                "requireMfa",
                "requireJustification",
                "requireTicketInfo",
                "eligibilityDays",
            ],
            p,
            issues,
        );
        const eligibleMembers = guids(g, "eligibleMembers", p, issues);
        if (eligibleMembers.length === 0 && own(g, "eligibleMembers") === undefined)
            issues.add(at(p, "eligibleMembers"), "is required (Entra object ids of the people eligible to activate)");
        const requireApproval = bool(g, "requireApproval", p, issues, false);
        const approvers = guids(g, "approvers", p, issues);
        if (requireApproval && approvers.length === 0)
            issues.add(at(p, "approvers"), "is required when `requireApproval` is true (Entra user object ids)");
        const days = int(g, "eligibilityDays", p, issues, 15, 365, 180);
        if (!(PIM_ELIGIBILITY_DAYS as readonly number[]).includes(days)) {
            issues.add(at(p, "eligibilityDays"), `${show(days)} is not allowed; Entra PIM accepts ${PIM_ELIGIBILITY_DAYS.join(", ")}`);
        }
        return {
            groupKey,
            eligibleMembers,
            requireApproval,
            approvers,
            maxActivationHours: int(g, "maxActivationHours", p, issues, 1, 23, 8, " hours; Entra allows at most PT23H30M"),
            requireMfa: bool(g, "requireMfa", p, issues, true),
            requireJustification: bool(g, "requireJustification", p, issues, true),
            requireTicketInfo: bool(g, "requireTicketInfo", p, issues, false),
            eligibilityDays: days,
        };
    });
    return { enabled: bool(o, "enabled", path, issues, false), pim };
}

/** Parses `audit`. */
export function parseAudit(v: unknown, path: string, issues: Issues): AuditModel | undefined {
    const o = expectObject(v, path, issues);
    if (!o) return undefined;
    checkKeys(
        o,
        ["enabled", "trailName", "bucketName", "archiveAfterDays", "retentionDays", "alertEmails", "alertSubscriptions"],
        path,
        issues,
    );
    const bucketName = str(o, "bucketName", path, issues, {
        pattern: BUCKET_RE,
        expected: "an S3 bucket name (3–63 lowercase letters, digits, dots, dashes)",
    });
    const archiveAfterDays = int(o, "archiveAfterDays", path, issues, 30, 3650, 90);
    const retentionDays = int(o, "retentionDays", path, issues, 90, 36500, 2555);
    if (retentionDays <= archiveAfterDays) {
        issues.add(at(path, "retentionDays"), `${show(retentionDays)} must be greater than \`archiveAfterDays\` (${archiveAfterDays})`);
    }
    return {
        enabled: bool(o, "enabled", path, issues, false),
        trailName:
            str(o, "trailName", path, issues, { pattern: RESOURCE_NAME_RE, expected: "a trail name (letters, digits, _ and -)" }) ??
            "idfed-org-trail",
        ...(bucketName !== undefined ? { bucketName } : {}),
        archiveAfterDays,
        retentionDays,
        alerts: parseAlerts(o, path, issues),
    };
}

/** Parses `breakGlass`. */
export function parseBreakGlass(v: unknown, path: string, issues: Issues): BreakGlassModel | undefined {
    const o = expectObject(v, path, issues);
    if (!o) return undefined;
    checkKeys(o, ["enabled", "accountId", "users", "policies", "alertEmails", "alertSubscriptions"], path, issues);
    const enabled = bool(o, "enabled", path, issues, false);
    const acct = own(o, "accountId");
    const accountId =
        acct === undefined || acct === null
            ? (issues.add(at(path, "accountId"), "is required (the management or security account the break-glass users live in)"),
              undefined)
            : checkAccountId(acct, at(path, "accountId"), issues);
    const users = stringList(o, "users", path, issues, (x, p) =>
        checkString(x, p, issues, { pattern: IAM_NAME_RE, expected: "an IAM user name" }),
    );
    if (enabled && users.length === 0)
        issues.add(at(path, "users"), `${show(own(o, "users") ?? [])} names no user; list the break-glass IAM user names (usually two)`);
    const alerts = parseAlerts(o, path, issues);
    if (enabled && alerts.length === 0) issues.add(at(path, "alertEmails"), "is required: every break-glass use must alert someone");
    const policies = policyArns(o, "policies", path, issues);
    if (accountId === undefined) return undefined;
    if (typeName(own(o, "policies")) === "a list" && policies.length === 0)
        issues.add(at(path, "policies"), "is empty; omit it for AdministratorAccess");
    return { enabled, accountId, users, policyArns: policies.length > 0 ? policies : [ADMINISTRATOR_ACCESS], alerts };
}
