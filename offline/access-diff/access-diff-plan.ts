/**
 * The offline plan's `--format json` object as the access diff reads it, and a parser that turns
 * `unknown` JSON into that shape (or a list of problems naming the JSON path). Pure: no I/O.
 */
import type { AccessRow, PlanJson, PlanPermissionSet, PlanViolation, UnmanagedAssignment } from "../types";

export type { PlanJson, PlanPermissionSet, PlanViolation };
/** @deprecated name: one grant of a saved plan is an {@link AccessRow}. */
export type PlanAccessEntry = AccessRow;

/** Thrown when a plan JSON does not have the expected shape; `problems` name the JSON paths. */
export class PlanShapeError extends Error {
    constructor(
        readonly source: string,
        readonly problems: readonly string[],
    ) {
        super(
            `${source} is not an idfed plan JSON (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n` +
                problems
                    .slice(0, 20)
                    .map((p) => `  - ${p}`)
                    .join("\n") +
                (problems.length > 20 ? `\n  - … and ${problems.length - 20} more` : ""),
        );
        this.name = "PlanShapeError";
    }
}

type Obj = { readonly [key: string]: unknown };

function isObj(v: unknown): v is Obj {
    return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Collects problems while reading fields of an unknown JSON value. */
class Reader {
    readonly problems: string[] = [];

    str(o: Obj, key: string, path: string, optional = false): string {
        const v = o[key];
        if (v === undefined && optional) return "";
        if (typeof v !== "string") {
            this.problems.push(`\`${path}.${key}\`: expected a string, got ${JSON.stringify(v) ?? "undefined"}`);
            return "";
        }
        return v;
    }

    arr(o: Obj, key: string, path: string, optional = false): readonly unknown[] {
        const v = o[key];
        if (v === undefined && optional) return [];
        if (!Array.isArray(v)) {
            this.problems.push(`\`${path}.${key}\`: expected an array, got ${typeof v === "object" ? JSON.stringify(v) : String(v)}`);
            return [];
        }
        return v;
    }

    objects(o: Obj, key: string, path: string, optional = false): Array<[Obj, string]> {
        return this.arr(o, key, path, optional).flatMap((v, i): Array<[Obj, string]> => {
            if (isObj(v)) return [[v, `${path}.${key}[${i}]`]];
            this.problems.push(`\`${path}.${key}[${i}]\`: expected an object`);
            return [];
        });
    }
}

function readAccess(r: Reader, o: Obj, p: string): AccessRow {
    const expiresAt = o.expiresAt;
    if (expiresAt !== undefined && typeof expiresAt !== "string") r.problems.push(`\`${p}.expiresAt\`: expected an ISO date string`);
    const group = r.str(o, "group", p);
    const permissionSet = r.str(o, "permissionSet", p);
    const accountId = r.str(o, "accountId", p);
    return {
        group,
        accountId,
        permissionSet,
        groupDisplayName: r.str(o, "groupDisplayName", p, true) || group,
        accountName: r.str(o, "accountName", p, true) || accountId,
        ouPath: r.str(o, "ouPath", p, true),
        permissionSetName: r.str(o, "permissionSetName", p, true) || permissionSet,
        ...(typeof expiresAt === "string" ? { expiresAt } : {}),
    };
}

function readPermissionSet(r: Reader, o: Obj, p: string): PlanPermissionSet {
    const arns = r.arr(o, "managedPolicyArns", p, true);
    const managedPolicyArns = arns.filter((a): a is string => typeof a === "string");
    if (managedPolicyArns.length !== arns.length) r.problems.push(`\`${p}.managedPolicyArns\`: expected an array of ARN strings`);
    const customerManagedPolicies = r
        .objects(o, "customerManagedPolicies", p, true)
        .map(([c, cp]) => ({ name: r.str(c, "name", cp), path: r.str(c, "path", cp, true) || "/" }));
    return {
        key: r.str(o, "key", p),
        name: r.str(o, "name", p, true) || r.str(o, "key", p),
        sessionDuration: r.str(o, "sessionDuration", p, true) || "PT1H",
        managedPolicyArns,
        customerManagedPolicies,
        ...(o.inlinePolicy !== undefined ? { inlinePolicy: o.inlinePolicy } : {}),
        ...(o.permissionsBoundary !== undefined ? { permissionsBoundary: o.permissionsBoundary } : {}),
    };
}

const LEVELS = ["advisory", "mandatory", "remediate"] as const;

function readLevel(r: Reader, o: Obj, p: string): (typeof LEVELS)[number] {
    const level = r.str(o, "level", p);
    const known = LEVELS.find((l) => l === level);
    if (known === undefined) r.problems.push(`\`${p}.level\`: expected one of ${LEVELS.join(", ")}, got ${JSON.stringify(level)}`);
    return known ?? "advisory";
}

function readUnmanaged(r: Reader, o: Obj, p: string): UnmanagedAssignment {
    const type = r.str(o, "principalType", p);
    if (type !== "GROUP" && type !== "USER") r.problems.push(`\`${p}.principalType\`: expected GROUP or USER`);
    const reasons = Array.isArray(o.adminReasons) ? o.adminReasons.filter((x): x is string => typeof x === "string") : [];
    return {
        accountId: r.str(o, "accountId", p),
        accountName: r.str(o, "accountName", p, true),
        ouPath: r.str(o, "ouPath", p, true),
        permissionSetArn: r.str(o, "permissionSetArn", p, true),
        permissionSetName: r.str(o, "permissionSetName", p),
        principalType: type === "USER" ? "USER" : "GROUP",
        principalId: r.str(o, "principalId", p, true),
        principalDisplayName: r.str(o, "principalDisplayName", p),
        adminReasons: reasons,
    };
}

/**
 * Reads a plan JSON value (already `JSON.parse`d). `source` names it in messages (a file or a git ref).
 * Throws {@link PlanShapeError} listing every problem at once.
 */
export function parsePlanJson(value: unknown, source: string): PlanJson {
    if (!isObj(value)) throw new PlanShapeError(source, ["the top level must be a JSON object"]);
    const r = new Reader();
    const stack = r.str(value, "stack", "$");
    const plan: PlanJson = {
        stack,
        environment: r.str(value, "environment", "$", true) || stack,
        access: r.objects(value, "access", "$").map(([o, p]) => readAccess(r, o, p)),
        expired: r.objects(value, "expired", "$", true).map(([o, p]) => readAccess(r, o, p)),
        permissionSets: r.objects(value, "permissionSets", "$", true).map(([o, p]) => readPermissionSet(r, o, p)),
        unmanaged: (isObj(value.unmanaged) ? r.objects(value.unmanaged, "assignments", "$.unmanaged", true) : []).map(([o, p]) =>
            readUnmanaged(r, o, p),
        ),
        violations: r.objects(value, "violations", "$", true).map(([o, p]) => {
            const urn = o.urn;
            return {
                policy: r.str(o, "policy", p),
                level: readLevel(r, o, p),
                message: r.str(o, "message", p),
                ...(typeof urn === "string" ? { urn } : {}),
            };
        }),
    };
    if (r.problems.length > 0) throw new PlanShapeError(source, r.problems);
    return plan;
}

/** Parses plan JSON text; a syntax error becomes a {@link PlanShapeError} naming `source`. */
export function parsePlanText(text: string, source: string): PlanJson {
    let value: unknown;
    try {
        value = JSON.parse(text);
    } catch (e) {
        throw new PlanShapeError(source, [`not valid JSON: ${(e as Error).message}`]);
    }
    return parsePlanJson(value, source);
}
