/**
 * Whether a condition key can ever be in the request context of an action, from the iam-data catalog: the
 * action's own condition keys plus those of its resource types. A key that never applies cannot scope the
 * request: under a positive operator the condition is always false (the statement grants nothing), under a
 * negated or `...IfExists` operator it is always true (it restricts nothing).
 */
import * as fs from "fs";
import * as path from "path";
import { CatalogAction, iamDataDir, serviceExists } from "./catalog";

type RawAction = { name: string; resourceTypes?: Array<{ name: string }>; conditionKeys?: string[] };

/** Per service: lower-case action name → patterns of the keys that apply to it. */
const byService = new Map<string, Map<string, RegExp[]>>();

const esc = (x: string): string => x.replace(/[.*+?^${}()|[\]\\/-]/g, "\\$&");

/** A catalog key like `aws:ResourceTag/${TagKey}` or `s3:ExistingObjectTag/<key>` as a pattern (placeholders match any text). */
function keyPattern(k: string): RegExp {
    const low = k.toLowerCase();
    // `.../ResourceTag/tag-key`, `.../ResourceTag/`: any tag key.
    const tag = /^(.*tag\/)/.exec(low);
    if (tag && !/\$\{|</.test(low)) return new RegExp(`^${esc(tag[1])}.+$`);
    return new RegExp(
        `^${low
            .split(/\$\{[^}]*\}|<[^>]*>/)
            .map(esc)
            .join(".+")}$`,
    );
}

function service(svc: string): Map<string, RegExp[]> {
    let m = byService.get(svc);
    if (m) return m;
    m = new Map();
    const dir = iamDataDir();
    const read = (sub: string) => JSON.parse(fs.readFileSync(path.join(dir, sub, `${svc}.json`), "utf8")) as Record<string, unknown>;
    const actions = read("actions") as Record<string, RawAction>;
    let types: Record<string, { conditionKeys?: string[] }> = {};
    try {
        types = read("resourceTypes") as Record<string, { conditionKeys?: string[] }>;
    } catch {
        // a service without resource types
    }
    for (const a of Object.values(actions)) {
        const keys = [...(a.conditionKeys ?? [])];
        for (const rt of a.resourceTypes ?? [])
            keys.push(...(types[rt.name]?.conditionKeys ?? types[rt.name.toLowerCase()]?.conditionKeys ?? []));
        m.set(a.name.toLowerCase(), [...new Set(keys)].map(keyPattern));
    }
    byService.set(svc, m);
    return m;
}

/**
 * Service keys that describe the caller's session, so they are in the context of requests to any service:
 * credentials of an instance role, a function's role, a Glue role (AWS service authorization reference for
 * EC2, Lambda, Glue, SSM).
 */
const SESSION_KEYS: ReadonlySet<string> = new Set([
    "ec2:sourceinstancearn",
    "ec2:sourceinstanceprivateipv4",
    "ec2:roledelivery",
    "lambda:sourcefunctionarn",
    "glue:roleassumedby",
    "glue:credentialissuingservice",
    "ssm:sourceinstancearn",
]);

/**
 * False when `conditionKey` (lower-case) can never be in the request context of `action`: a key of another
 * service (e.g. `iam:ResourceTag/team` on `s3:GetObject`) that the catalog does not list for the action or its
 * resource types. Global `aws:` keys and keys of the action's own service count as applicable (the catalog
 * misses some of them, e.g. `aws:ResourceTag` on `sso:` actions that AWS's own policies use). Undefined when
 * the catalog does not know the key's service.
 */
export function conditionKeyApplies(action: CatalogAction, conditionKey: string): boolean | undefined {
    const k = conditionKey.toLowerCase();
    if (SESSION_KEYS.has(k)) return true;
    const i = k.indexOf(":");
    const svc = i > 0 ? k.slice(0, i) : "";
    if (svc === "aws" || svc === action.service) return true;
    if (!serviceExists(svc)) return undefined;
    const patterns = service(action.service).get(action.key.slice(action.service.length + 1));
    if (!patterns) return undefined;
    return patterns.some((p) => p.test(k));
}

/** Operators under which a missing key makes the condition true (negated, `...IfExists`, `Null: true`). */
export function passesWhenKeyMissing(operator: string, values: readonly string[]): boolean {
    const op = operator.replace(/^for(?:anyvalue|allvalues):/i, "");
    if (/^null$/i.test(op)) return values.some((v) => v.toLowerCase() === "true");
    // ForAllValues over a missing (empty) set is true; negated operators (all and only those with "Not") and
    // IfExists pass on a missing key.
    return /ifexists$/i.test(op) || /not/i.test(op) || /^forallvalues:/i.test(operator);
}
