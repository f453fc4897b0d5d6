/**
 * Policy config the way the Pulumi CLI prepares it for `Configure`: schema defaults, then the pack's
 * initial config, then the user's config (`--policy-pack-config` JSON: `{ "all": "advisory", "<policy>":
 * "mandatory" | { "enforcementLevel"?: ..., ...properties } }`), then validation against each policy's schema.
 * Mirrors pulumi/pkg/resource/analyzer/config.go (ReconcilePolicyPackConfig).
 */

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

function typeOk(t: string, v: unknown): boolean {
    switch (t) {
        case "string": return typeof v === "string";
        case "boolean": return typeof v === "boolean";
        case "integer": return typeof v === "number" && Number.isInteger(v);
        case "number": return typeof v === "number";
        case "array": return Array.isArray(v);
        case "object": return v !== null && typeof v === "object" && !Array.isArray(v);
        case "null": return v === null;
        default: return true;
    }
}

/** Validates a value against the JSON-schema keywords policy configs use (type, enum, items, bounds, pattern). */
export function validateValue(schema: Record<string, unknown>, v: unknown, path: string, errors: string[]): void {
    const t = schema.type;
    const types = Array.isArray(t) ? t as string[] : typeof t === "string" ? [t] : [];
    if (types.length && !types.some(x => typeOk(x, v))) {
        errors.push(`${path}: Invalid type. Expected: ${types.join(" or ")}, given: ${Array.isArray(v) ? "array" : v === null ? "null" : typeof v}`);
        return;
    }
    if (Array.isArray(schema.enum) && !schema.enum.some(e => JSON.stringify(e) === JSON.stringify(v))) {
        errors.push(`${path}: must be one of ${schema.enum.map(e => JSON.stringify(e)).join(", ")}`);
    }
    if (typeof v === "number") {
        if (typeof schema.minimum === "number" && v < schema.minimum) errors.push(`${path}: must be greater than or equal to ${schema.minimum}`);
        if (typeof schema.maximum === "number" && v > schema.maximum) errors.push(`${path}: must be less than or equal to ${schema.maximum}`);
    }
    if (typeof v === "string" && typeof schema.pattern === "string" && !new RegExp(schema.pattern).test(v)) {
        errors.push(`${path}: does not match pattern '${schema.pattern}'`);
    }
    if (Array.isArray(v) && schema.items && typeof schema.items === "object") {
        v.forEach((e, i) => validateValue(schema.items as Record<string, unknown>, e, `${path}.${i}`, errors));
    }
}

/**
 * Defaults from each policy's schema and level, then `initial`, then `user` ("all" first), validated.
 * Throws {@link PolicyConfigError} listing every problem.
 */
export function reconcilePolicyConfig(policies: readonly PolicyInfoLite[], initial: Record<string, PolicyConfigEntry>,
    userRaw: Record<string, unknown> | undefined): Record<string, PolicyConfigEntry> {
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
        if (all?.enforcementLevel) for (const k of Object.keys(result)) result[k] = { ...result[k], enforcementLevel: all.enforcementLevel };
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
        const props = result[p.name]?.properties ?? {};
        for (const req of p.schema.required ?? []) if (!(req in props)) errors.push(`${p.name}: ${req} is required`);
        for (const [k, v] of Object.entries(props)) {
            const s = p.schema.properties?.[k];
            if (s) validateValue(s, v, `${p.name}: ${k}`, errors);
        }
    }
    if (errors.length) throw new PolicyConfigError(errors);
    return result;
}
