/**
 * What the `idfed:guardrails` section parsers share: the parser context, patterns and small field readers,
 * and the alert subscriptions. Pure, no Pulumi.
 */
import type { AlertSubscription } from "../model/guardrails";
import { IAM_NAME_RE, POLICY_ARN_RE, ROLE_ARN_RE, ROLE_NAME_RE } from "../input/iam-names";
import { checkConfigKey } from "./groups";

export { IAM_NAME_RE, POLICY_ARN_RE, ROLE_ARN_RE, ROLE_NAME_RE };
import {
    at,
    checkAccountId,
    checkKeys,
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

export function int(
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

export function policyArns(o: Record<string, unknown>, key: string, path: string, issues: Issues): string[] {
    return stringList(o, key, path, issues, (v, p) =>
        checkString(v, p, issues, {
            pattern: POLICY_ARN_RE,
            expected: "a managed policy ARN (arn:aws:iam::aws:policy/Name or arn:aws:iam::<account>:policy/Name)",
        }),
    );
}

export function accounts(o: Record<string, unknown>, key: string, path: string, issues: Issues): string[] {
    return stringList(o, key, path, issues, (v, p) => checkAccountId(v, p, issues));
}

export function guids(o: Record<string, unknown>, key: string, path: string, issues: Issues): string[] {
    return stringList(o, key, path, issues, (v, p) => {
        const s = checkString(v, p, issues, { pattern: GUID_RE, expected: "an Entra object id (GUID)" });
        return s?.toLowerCase();
    });
}

/** Session length as ISO-8601 (PT1H–PT12H), in seconds (default 3600). */
export function sessionSeconds(o: Record<string, unknown>, path: string, issues: Issues): number {
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
export function keyed<T>(
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

export function keyedKeys(v: unknown): string[] {
    return v !== null && typeof v === "object" && !Array.isArray(v) ? Object.keys(v) : [];
}
