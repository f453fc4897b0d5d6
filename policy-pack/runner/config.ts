/**
 * Policy config the way the Pulumi CLI prepares it for `Configure`: schema defaults, then the pack's
 * initial config, then the user's config (`--policy-pack-config` JSON: `{ "all": "advisory", "<policy>":
 * "mandatory" | { "enforcementLevel"?: ..., ...properties } }`), then validation against each policy's schema.
 * Mirrors pulumi/pkg/resource/analyzer/config.go (ReconcilePolicyPackConfig), which validates with a JSON
 * Schema library (gojsonschema); here Ajv (JSON Schema draft-07) does the same.
 */
import Ajv, { ValidateFunction } from "ajv";

/** An enforcement level as the CLI accepts it. */
export type EnforcementLevel = "advisory" | "mandatory" | "remediate" | "disabled";

const LEVELS: ReadonlySet<string> = new Set(["advisory", "mandatory", "remediate", "disabled"]);

/** One policy's config: its level and properties. */
export interface PolicyConfigEntry {
    enforcementLevel?: EnforcementLevel;
    properties?: Record<string, unknown>;
}

/** What GetAnalyzerInfo says about one policy. */
export interface PolicyInfoLite {
    name: string;
    enforcementLevel: EnforcementLevel;
    schema?: { properties?: Record<string, Record<string, unknown>>; required?: string[] };
}

/** Raised for invalid policy config (the CLI refuses to run); `errors` lists every problem. */
export class PolicyConfigError extends Error {
    constructor(readonly errors: string[]) {
        super(`invalid policy pack config:\n  ${errors.join("\n  ")}`);
        this.name = "PolicyConfigError";
    }
}

/** Parses the user's policy config JSON object (as `--policy-pack-config` would), collecting errors. */
export function parseUserConfig(raw: Record<string, unknown>, errors: string[]): Record<string, PolicyConfigEntry> {
    const out: Record<string, PolicyConfigEntry> = {};
    for (const [k, v] of Object.entries(raw)) {
        if (typeof v === "string") {
            if (!LEVELS.has(v)) errors.push(`${k}: "${v}" is not a valid enforcement level (advisory, mandatory, remediate, disabled)`);
            else out[k] = { enforcementLevel: v as EnforcementLevel };
        } else if (v !== null && typeof v === "object" && !Array.isArray(v)) {
            const props = { ...(v as Record<string, unknown>) };
            const el = props.enforcementLevel;
            delete props.enforcementLevel;
            if (el !== undefined && (typeof el !== "string" || !LEVELS.has(el))) {
                errors.push(`${k}: enforcementLevel ${JSON.stringify(el)} is not one of advisory, mandatory, remediate, disabled`);
                continue;
            }
            out[k] = { enforcementLevel: el as EnforcementLevel | undefined, properties: Object.keys(props).length ? props : undefined };
        } else {
            errors.push(`${k}: ${JSON.stringify(v)} is not a valid value; must be a string or object`);
        }
    }
    return out;
}

/** One JSON Schema validator for every policy's config schema (compiled once per schema). */
const ajv = new Ajv({ allErrors: true, strict: false });
const compiled = new Map<string, ValidateFunction>();

/**
 * Validates one policy's properties against its config schema with a JSON Schema validator (as the CLI
 * does), collecting every problem as `<policy>: <property path>: <what is wrong>`.
 */
export function validatePolicyProperties(
    policy: string,
    schema: NonNullable<PolicyInfoLite["schema"]>,
    props: Record<string, unknown>,
    errors: string[],
): void {
    const full = { type: "object", properties: schema.properties ?? {}, required: schema.required ?? [] };
    const key = JSON.stringify(full);
    let validate = compiled.get(key);
    if (validate === undefined) {
        validate = ajv.compile(full);
        compiled.set(key, validate);
    }
    if (validate(props)) return;
    for (const e of validate.errors ?? []) {
        const at = e.instancePath.replace(/^\//, "").replace(/\//g, ".");
        const where = e.keyword === "required" ? String((e.params as { missingProperty?: string }).missingProperty) : at;
        const what =
            e.keyword === "required"
                ? "is required"
                : e.keyword === "enum"
                  ? `must be one of ${((e.params as { allowedValues?: unknown[] }).allowedValues ?? []).map((v) => JSON.stringify(v)).join(", ")}`
                  : (e.message ?? "is invalid");
        errors.push(`${policy}: ${where} ${what}`);
    }
}

/**
 * Defaults from each policy's schema and level, then `initial`, then `user` ("all" first), validated.
 * Throws {@link PolicyConfigError} listing every problem.
 */
export function reconcilePolicyConfig(
    policies: readonly PolicyInfoLite[],
    initial: Record<string, PolicyConfigEntry>,
    userRaw: Record<string, unknown> | undefined,
): Record<string, PolicyConfigEntry> {
    const errors: string[] = [];
    const result: Record<string, PolicyConfigEntry> = {};
    for (const p of policies) {
        let props: Record<string, unknown> | undefined;
        for (const [k, s] of Object.entries(p.schema?.properties ?? {})) {
            if ("default" in s) (props ??= {})[k] = s.default;
        }
        result[p.name] = { enforcementLevel: p.enforcementLevel, properties: props };
    }
    const apply = (cfg: Record<string, PolicyConfigEntry>) => {
        const all = cfg.all;
        if (all?.enforcementLevel)
            for (const k of Object.keys(result)) result[k] = { ...result[k], enforcementLevel: all.enforcementLevel };
        for (const [name, given] of Object.entries(cfg)) {
            const cur = result[name] ?? {};
            const properties = given.properties ? { ...(cur.properties ?? {}), ...given.properties } : cur.properties;
            result[name] = { enforcementLevel: given.enforcementLevel ?? cur.enforcementLevel, properties };
        }
    };
    apply(initial);
    if (userRaw) apply(parseUserConfig(userRaw, errors));
    for (const p of policies) {
        if (!p.schema) continue;
        validatePolicyProperties(p.name, p.schema, result[p.name]?.properties ?? {}, errors);
    }
    if (errors.length) throw new PolicyConfigError(errors);
    return result;
}
