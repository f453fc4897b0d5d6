/**
 * Normalizes an IAM policy document in any of the forms it reaches us: a JSON string or an object, a single
 * statement object or an array, Action/NotAction/Resource/NotResource as a string or an array, every
 * Principal form, and Pulumi preview unknowns (reported, never read as safe).
 */

/** The sentinel strings Pulumi uses for values unknown during preview (engine and @pulumi/policy). */
export const UNKNOWN_SENTINELS: ReadonlySet<string> = new Set([
    "04da6b54-80e4-46f7-96ec-b56ff0331ba9",
    "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7",
    "3eeb2bf0-c639-47a8-9e75-3b44932eb421",
    "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2",
    "030794c1-ac77-496b-92df-f27374a8bd58",
    "e48ece36-62e2-4504-bad9-02848725956a",
    "dd056dcd-154b-4c76-9bd3-c8f88648b5ff",
]);

/** True when a value is a Pulumi "unknown during preview" sentinel. */
export function isUnknownValue(v: unknown): boolean {
    return typeof v === "string" && UNKNOWN_SENTINELS.has(v);
}

/** A statement's principals, split by kind. `any` is `"*"` or `{"AWS": "*"}`. */
export interface Principals {
    readonly any: boolean;
    readonly aws: readonly string[];
    readonly service: readonly string[];
    readonly federated: readonly string[];
    readonly canonicalUser: readonly string[];
}

/** One condition entry: `{ "StringEquals": { "aws:PrincipalOrgID": ["o-1"] } }` becomes one entry per key. */
export interface ConditionEntry {
    /** Operator as written, e.g. `StringLike`, `ForAnyValue:StringEquals`. */
    readonly operator: string;
    /** Lower-case condition key. */
    readonly key: string;
    /** Values as strings. */
    readonly values: readonly string[];
}

/** A statement in one canonical shape. */
export interface Statement {
    /** 0-based position in the document. */
    readonly index: number;
    readonly sid?: string;
    /** How messages name it: `statement 2 ("AllowS3")` (1-based). */
    readonly label: string;
    readonly effect: "Allow" | "Deny";
    readonly actions?: readonly string[];
    readonly notActions?: readonly string[];
    readonly resources?: readonly string[];
    readonly notResources?: readonly string[];
    readonly principal?: Principals;
    readonly notPrincipal?: Principals;
    readonly conditions: readonly ConditionEntry[];
    /** Lower-case condition keys, for quick tests. */
    readonly conditionKeys: readonly string[];
}

/** A parsed document, or why it could not be parsed, or the path of a value unknown at preview. */
export type ParsedDocument =
    | { readonly kind: "ok"; readonly statements: readonly Statement[]; readonly size: number; readonly problems: readonly string[] }
    | { readonly kind: "invalid"; readonly error: string }
    | { readonly kind: "unknown"; readonly path: string };

class UnknownAt {
    constructor(readonly path: string) {}
}

function strings(v: unknown, path: string, problems: string[], what: string): string[] | undefined {
    if (v === undefined || v === null) return undefined;
    if (isUnknownValue(v)) throw new UnknownAt(path);
    const list = Array.isArray(v) ? v : [v];
    const out: string[] = [];
    for (let i = 0; i < list.length; i++) {
        const e: unknown = list[i];
        if (isUnknownValue(e)) throw new UnknownAt(`${path}[${i}]`);
        if (typeof e === "string") out.push(e);
        else if (typeof e === "number" || typeof e === "boolean") out.push(String(e));
        else problems.push(`${what} must be a string or a list of strings`);
    }
    return out;
}

function principals(v: unknown, path: string, problems: string[], label: string): Principals | undefined {
    if (v === undefined || v === null) return undefined;
    if (isUnknownValue(v)) throw new UnknownAt(path);
    if (v === "*") return { any: true, aws: ["*"], service: [], federated: [], canonicalUser: [] };
    if (typeof v !== "object" || Array.isArray(v)) {
        problems.push(`${label}: Principal must be "*" or an object like {"AWS": [...]}`);
        return { any: false, aws: [], service: [], federated: [], canonicalUser: [] };
    }
    const o = v as Record<string, unknown>;
    const pick = (k: string): string[] => {
        const key = Object.keys(o).find((x) => x.toLowerCase() === k.toLowerCase());
        return key === undefined ? [] : (strings(o[key], `${path}.${key}`, problems, `${label}: Principal.${key}`) ?? []);
    };
    const aws = pick("AWS");
    return {
        any: aws.includes("*"),
        aws,
        service: pick("Service"),
        federated: pick("Federated"),
        canonicalUser: pick("CanonicalUser"),
    };
}

function conditions(v: unknown, path: string, problems: string[], label: string): ConditionEntry[] {
    if (v === undefined || v === null) return [];
    if (isUnknownValue(v)) throw new UnknownAt(path);
    if (typeof v !== "object" || Array.isArray(v)) {
        problems.push(`${label}: Condition must be an object of operators`);
        return [];
    }
    const out: ConditionEntry[] = [];
    for (const [op, body] of Object.entries(v as Record<string, unknown>)) {
        if (isUnknownValue(body)) throw new UnknownAt(`${path}.${op}`);
        if (body === null || typeof body !== "object" || Array.isArray(body)) {
            problems.push(`${label}: Condition.${op} must be an object of keys`);
            continue;
        }
        for (const [key, val] of Object.entries(body as Record<string, unknown>)) {
            const values = strings(val, `${path}.${op}.${key}`, problems, `${label}: Condition.${op}.${key}`) ?? [];
            out.push({ operator: op, key: key.toLowerCase(), values });
        }
    }
    return out;
}

function field(o: Record<string, unknown>, name: string): unknown {
    if (name in o) return o[name];
    const k = Object.keys(o).find((x) => x.toLowerCase() === name.toLowerCase());
    return k === undefined ? undefined : o[k];
}

function statement(raw: unknown, index: number, problems: string[]): Statement | undefined {
    const path = `Statement[${index}]`;
    if (isUnknownValue(raw)) throw new UnknownAt(path);
    if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
        problems.push(`statement ${index + 1}: must be an object`);
        return undefined;
    }
    const o = raw as Record<string, unknown>;
    const sidRaw = field(o, "Sid");
    if (isUnknownValue(sidRaw)) throw new UnknownAt(`${path}.Sid`);
    const sid = typeof sidRaw === "string" && sidRaw !== "" ? sidRaw : undefined;
    const label = sid ? `statement ${index + 1} ("${sid}")` : `statement ${index + 1}`;
    const effRaw = field(o, "Effect");
    if (isUnknownValue(effRaw)) throw new UnknownAt(`${path}.Effect`);
    const eff = typeof effRaw === "string" ? effRaw : "";
    if (eff !== "Allow" && eff !== "Deny") {
        problems.push(`${label}: Effect must be "Allow" or "Deny" (got ${JSON.stringify(effRaw) ?? "nothing"})`);
        return undefined;
    }
    const actions = strings(field(o, "Action"), `${path}.Action`, problems, `${label}: Action`);
    const notActions = strings(field(o, "NotAction"), `${path}.NotAction`, problems, `${label}: NotAction`);
    const resources = strings(field(o, "Resource"), `${path}.Resource`, problems, `${label}: Resource`);
    const notResources = strings(field(o, "NotResource"), `${path}.NotResource`, problems, `${label}: NotResource`);
    if (actions === undefined && notActions === undefined) problems.push(`${label}: has neither Action nor NotAction`);
    if (actions !== undefined && notActions !== undefined) problems.push(`${label}: has both Action and NotAction`);
    const principal = principals(field(o, "Principal"), `${path}.Principal`, problems, label);
    const notPrincipal = principals(field(o, "NotPrincipal"), `${path}.NotPrincipal`, problems, label);
    const conds = conditions(field(o, "Condition"), `${path}.Condition`, problems, label);
    return {
        index,
        sid,
        label,
        effect: eff,
        actions,
        notActions,
        resources,
        notResources,
        principal,
        notPrincipal,
        conditions: conds,
        conditionKeys: conds.map((c) => c.key),
    };
}

/** IAM's size measure: characters of the JSON text, whitespace excluded. */
export function documentSize(text: string): number {
    let n = 0;
    for (let i = 0; i < text.length; i++) {
        const c = text.charCodeAt(i);
        if (c !== 32 && c !== 9 && c !== 10 && c !== 13) n++;
    }
    return n;
}

/**
 * Parses a policy document given as a JSON string or an object. Never throws: a malformed document is
 * `invalid` with a reason, a preview unknown is `unknown` with its path; structural problems that AWS would
 * reject are listed in `problems` while the well-formed statements are still returned.
 */
export function parseDocument(input: unknown): ParsedDocument {
    try {
        if (isUnknownValue(input)) return { kind: "unknown", path: "" };
        let doc: unknown = input;
        let text: string;
        if (typeof input === "string") {
            try {
                doc = JSON.parse(input);
            } catch (e) {
                return { kind: "invalid", error: `not valid JSON (${(e as Error).message})` };
            }
            text = input;
        } else {
            text = JSON.stringify(input) ?? "";
        }
        if (doc === null || typeof doc !== "object" || Array.isArray(doc)) {
            return { kind: "invalid", error: "a policy document must be a JSON object with a Statement" };
        }
        const st = field(doc as Record<string, unknown>, "Statement");
        if (isUnknownValue(st)) return { kind: "unknown", path: "Statement" };
        if (st === undefined || st === null) return { kind: "invalid", error: "the document has no Statement" };
        const list: unknown[] = Array.isArray(st) ? st : [st];
        const problems: string[] = [];
        const statements: Statement[] = [];
        list.forEach((raw, i) => {
            const s = statement(raw, i, problems);
            if (s) statements.push(s);
        });
        return { kind: "ok", statements, size: documentSize(text), problems };
    } catch (e) {
        if (e instanceof UnknownAt) return { kind: "unknown", path: e.path };
        return { kind: "invalid", error: `cannot read the document (${e instanceof Error ? e.message : "unexpected value"})` };
    }
}

/** True when any statement names a Principal or NotPrincipal (a trust or resource policy). */
export function isTrustPolicy(doc: ParsedDocument): boolean {
    return doc.kind === "ok" && doc.statements.some((s) => s.principal !== undefined || s.notPrincipal !== undefined);
}
