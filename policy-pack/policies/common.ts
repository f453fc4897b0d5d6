/**
 * Helpers shared by the policies: plain values out of @pulumi/policy's unknown-checking proxies, the
 * "cannot judge until apply" path (handed to @pulumi/policy's own unknown handling, which reports it as
 * advisory), and config read with the schema's defaults (the engine fills them in; direct calls do not).
 */
import * as policy from "@pulumi/policy";
import { PolicyConfigSchema, ReportViolation, ResourceValidation, ResourceValidationArgs } from "@pulumi/policy";
import { isUnknownValue } from "../analysis/document";
import { Finding } from "../analysis/types";

type UnknownValueErrorCtor = new (sentinel: string, props: string[]) => Error;

/** @pulumi/policy's UnknownValueError (exported at runtime, untyped in its .d.ts). */
const UnknownValueError = (policy as unknown as { UnknownValueError: UnknownValueErrorCtor }).UnknownValueError;

const UNKNOWN_STRING = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** True when an error is @pulumi/policy's "value unknown during preview". */
export function isUnknownValueError(e: unknown): boolean {
    return e instanceof UnknownValueError;
}

/**
 * The plain object behind @pulumi/policy's unknown-checking proxy (or the value itself). Unknowns stay as
 * their sentinel strings, which the analysis recognizes, so reading never throws half-way through.
 */
export function plain<T = unknown>(v: T): T {
    if (v !== null && typeof v === "object") {
        const o = v as unknown as Record<string, unknown>;
        if (o["__isSpecialProxy"] === true) return o["__getSpecialProxyTarget"] as T;
    }
    return v;
}

/** A property of a plain props object, or undefined. */
export function prop(props: unknown, key: string): unknown {
    const p = plain(props);
    return p !== null && typeof p === "object" ? (p as Record<string, unknown>)[key] : undefined;
}

/** A string property, or undefined (unknowns included: check {@link isUnknownValue} first where it matters). */
export function str(props: unknown, key: string): string | undefined {
    const v = prop(props, key);
    return typeof v === "string" ? v : undefined;
}

/** Collects what could not be judged during preview, then hands it to @pulumi/policy in one throw. */
export class Unknowns {
    private notes: string[] = [];

    /** Records that `what` is unknown until apply. */
    add(what: string): void {
        if (!this.notes.includes(what)) this.notes.push(what);
    }

    /** True (and recorded) when `value` is a preview unknown. */
    check(value: unknown, what: string): boolean {
        if (isUnknownValue(value)) {
            this.add(what);
            return true;
        }
        return false;
    }

    /**
     * Throws @pulumi/policy's UnknownValueError when anything was unknown, after the caller has reported
     * everything it could judge. The server turns it into an advisory "can't run policy ... during preview".
     */
    finish(): void {
        if (this.notes.length === 0) return;
        const e = new UnknownValueError(UNKNOWN_STRING, []);
        e.message = `cannot judge until apply: ${this.notes.join("; ")}`;
        throw e;
    }
}

/** Reports the findings of one level (each policy reports one level; its `-advisories` twin the other). */
export function reportFindings(
    findings: readonly Finding[],
    level: "mandatory" | "advisory",
    report: (m: string, urn?: string) => void,
    prefix: string,
    urn?: string,
): void {
    for (const f of findings) {
        if (f.kind === "cannot-judge" || f.level !== level) continue;
        report(`${prefix}${f.message}`, urn);
    }
}

/** Reads a policy's config over its defaults (the engine passes defaults; direct calls may not). */
export function config<T extends object>(args: { getConfig<C extends object>(): C }, defaults: T): T {
    const given = args.getConfig<Partial<T>>() ?? {};
    const out = { ...defaults } as T;
    for (const [k, v] of Object.entries(given)) {
        if (v !== undefined && v !== null) (out as Record<string, unknown>)[k] = v;
    }
    return out;
}

/** One JSON-schema property of a policy config. */
export type JsonSchema = PolicyConfigSchema["properties"][string];

/** JSON-schema fragment for a list of strings with a default. */
export function stringList(description: string, def: string[] = []): JsonSchema {
    return { type: "array", items: { type: "string" }, default: def, description };
}

/** "Today" for expiry rules: `IDFED_POLICY_TODAY` (YYYY-MM-DD, for tests and reproducible plans) or the clock. */
export function today(): Date {
    const fixed = process.env.IDFED_POLICY_TODAY;
    if (fixed && /^\d{4}-\d{2}-\d{2}/.test(fixed)) return new Date(`${fixed.slice(0, 10)}T00:00:00Z`);
    return new Date();
}

/** A resource class as `validateResourceOfType` takes it (only its Pulumi type token is used). */
export type ResourceClass = { __pulumiType?: string; isInstance(o: unknown): boolean };

/**
 * `validateResourceOfType` for several classes in ONE validation function. @pulumi/policy's server
 * deserializes the resource's properties and builds its args once per validation function, and a
 * non-matching `validateResourceOfType` throws a not-applicable Error; a policy listing 9 of them did that
 * 9 times for every resource of the stack. This one checks the type first (with `args.isType`, as
 * `validateResourceOfType` does), calls `validate` for the matching class, and reports not-applicable once.
 */
export function validateResourceOfTypes(
    classes: readonly ResourceClass[],
    validate: (props: unknown, args: ResourceValidationArgs, report: ReportViolation) => Promise<void> | void,
): ResourceValidation {
    const names = classes.map((c) => c.__pulumiType).filter((t): t is string => typeof t === "string");
    const reason = `Policy only applies to resources of types ${names.map((t) => `'${t}'`).join(", ")}`;
    const fn: ResourceValidation & { __pulumiTypes?: readonly string[] } = (args, report) => {
        for (const c of classes) if (args.isType(c as never)) return validate(args.props, args, report);
        return args.notApplicable(reason);
    };
    // Like `validateResourceOfType`'s `__pulumiType`: lets the in-process runner skip other types uncalled.
    if (names.length === classes.length) fn.__pulumiTypes = names;
    return fn;
}
