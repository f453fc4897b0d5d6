/**
 * The same pack evaluated in the caller's process: the policy objects of `policies/` with the enforcement
 * levels and config the runner reconciles for `Configure`, and ResourceValidationArgs / StackValidationArgs
 * built the way @pulumi/policy's server builds them (node_modules/@pulumi/policy/server.js, v1.21):
 *
 * - props: the JSON the runner would put in the request's Struct (`jsonSafe`), through @pulumi/policy's own
 *   `deserializeProperties` and `unknownCheckingProxy`, fresh for every validation function (as the server);
 * - `isType`/`asType` compare the class's Pulumi type (else `isInstance`), `getConfig` returns the policy's
 *   properties without `enforcementLevel`, `notApplicable` throws; `stackTags` a read-only map;
 * - levels: config level, else the policy's, else the pack's; `disabled` skipped; `remediate` reported as
 *   mandatory; a single typed validation function is skipped for other types without being called;
 * - AnalyzeStack: every resource (outputs, else inputs) with `parent`, `dependencies` and
 *   `propertyDependencies` linked to resource objects; built once and shared (frozen) by the stack policies,
 *   where the server builds one copy per policy: the one deliberate difference, see below;
 * - `UnknownValueError` → advisory `can't run policy '<name>' from policy pack '<pack>@v<version>' during
 *   preview: ...`; any other throw fails the run, as it fails the CLI.
 *
 * The result is the runner's `Violation[]` (same message stripping, dedupe and order), and the equivalence
 * is tested on the prod example (test/policy-inprocess.test.ts). Why it exists: see policy-pack/README.md.
 */
import * as fs from "fs";
import * as path from "path";
import { Policies, PolicyResource, ReportViolation, ResourceValidation, ResourceValidationArgs, StackValidationArgs } from "@pulumi/policy";
import { PACK_ENFORCEMENT_LEVEL, PACK_NAME } from "../pack";
import { policies as packPolicies } from "../policies";
import { EnforcementLevel, PolicyInfoLite, reconcilePolicyConfig } from "./config";
import { CapturedResource, RunOptions, Violation, dedupeAndSort, loadPolicyConfigFile } from "./index";
import { jsonSafe } from "./proto";
import { freezeMap, NotApplicable, resourceValidationArgs, sdkPolicy, sdkProxy, stackResources, stackValidationArgs } from "./args";

/** Options of {@link evaluatePolicyPackInProcess}: those of `runPolicyPackProcess` that mean something here. */
export type InProcessOptions = Pick<RunOptions, "stack" | "project" | "organization" | "config" | "tags" | "dryRun" | "today"> & {
    /** Pack directory (for `config/<stack>.json` and `package.json`). Default: this pack. */
    packDir?: string;
    /** The policies to run. Default: the pack's (`policies/index.ts`). For tests. */
    policies?: Policies;
};

/** Figures of one in-process evaluation. */
export interface InProcessTimings {
    /** Reconciling config, ms. */
    configureMs: number;
    /** Every custom resource through the resource policies, ms. */
    analyzeMs: number;
    /** The stack policies over every resource, ms. */
    analyzeStackMs: number;
    totalMs: number;
}

/** What {@link evaluatePolicyPackInProcessDetailed} returns. */
export interface InProcessResult {
    violations: Violation[];
    policies: PolicyInfoLite[];
    packName: string;
    packVersion: string;
    timings: InProcessTimings;
}

/** A fresh copy through JSON, as a Struct round trip gives (config and schemas are never shared with the policies). */
const jsonCopy = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

/** The pack's version, as `PolicyPack` reads it (package.json of the pack directory). */
function packVersion(dir: string): string {
    const v = (JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")) as { version?: string }).version;
    if (!v) throw new Error("Version must be defined in the package.json file.");
    return v;
}

/** Sets the environment the runner gives the pack process (policies read the stack name), restoring it after. */
async function withPackEnv<T>(opts: InProcessOptions, fn: () => Promise<T>): Promise<T> {
    const flag = opts.dryRun ? "true" : "false";
    const set: Record<string, string | undefined> = {
        PULUMI_NODEJS_PROJECT: opts.project,
        PULUMI_NODEJS_STACK: opts.stack,
        PULUMI_NODEJS_DRY_RUN: flag,
        PULUMI_PROJECT: opts.project,
        PULUMI_STACK: opts.stack,
        PULUMI_DRY_RUN: flag,
    };
    if (opts.organization) set.PULUMI_NODEJS_ORGANIZATION = set.PULUMI_ORGANIZATION = opts.organization;
    if (opts.today !== undefined) set.IDFED_POLICY_TODAY = opts.today;
    const saved = Object.fromEntries(Object.keys(set).map((k) => [k, process.env[k]]));
    for (const [k, v] of Object.entries(set)) process.env[k] = v;
    try {
        return await fn();
    } finally {
        for (const [k, v] of Object.entries(saved)) {
            if (v === undefined) delete process.env[k];
            else process.env[k] = v;
        }
    }
}

interface Diagnostic {
    policy: string;
    level: Violation["level"];
    urn?: string;
    message: string;
    description: string;
}

/** The server's `makeReportViolationFun` (string and object forms). */
function reporter(name: string, description: string, level: EnforcementLevel, out: Diagnostic[]): ReportViolation {
    return ((message: unknown, urn?: string) => {
        if (message !== null && typeof message === "object") {
            const info = message as {
                name?: string;
                message?: string;
                description?: string;
                urn?: string;
                enforcementLevel?: EnforcementLevel;
            };
            out.push({
                policy: info.name || name,
                level: (info.enforcementLevel || level) as Violation["level"],
                urn: info.urn,
                message: info.message || info.description || description,
                description: info.description || description,
            });
        } else {
            out.push({
                policy: name,
                level: level as Violation["level"],
                urn,
                message: message ? `${description}\n${message}` : description,
                description,
            });
        }
    }) as ReportViolation;
}

/** The runner's `toViolations`: the description prefix stripped, the request's URN when the policy gave none. */
function toViolation(d: Diagnostic, fallbackUrn: string | undefined): Violation {
    let message = d.message;
    if (d.description && message.startsWith(`${d.description}\n`)) message = message.slice(d.description.length + 1);
    const urn = d.urn || fallbackUrn;
    const v: Violation = { policy: d.policy, level: d.level === "remediate" || d.level === "mandatory" ? d.level : "advisory", message };
    if (urn) v.urn = urn;
    return v;
}

/**
 * Evaluates the pack over captured resources in this process, exactly as {@link runPolicyPackProcess} would
 * through the pack process (see the module comment), and returns its violations. Throws `PolicyConfigError`
 * for invalid policy config and `Error` when a policy crashes.
 */
export async function evaluatePolicyPackInProcess(resources: readonly CapturedResource[], opts: InProcessOptions): Promise<Violation[]> {
    return (await evaluatePolicyPackInProcessDetailed(resources, opts)).violations;
}

/** {@link evaluatePolicyPackInProcess} with the policy list and timings. */
export async function evaluatePolicyPackInProcessDetailed(
    resources: readonly CapturedResource[],
    opts: InProcessOptions,
): Promise<InProcessResult> {
    const t0 = Date.now();
    const dir = path.resolve(opts.packDir ?? path.join(__dirname, ".."));
    const policies = opts.policies ?? packPolicies;
    const version = packVersion(dir);
    const packFrom = `policy pack '${PACK_NAME}@v${version}'`;

    // GetAnalyzerInfo + the runner's reconciliation + Configure.
    const infos: PolicyInfoLite[] = policies.map((p) => ({
        name: p.name,
        enforcementLevel: (p.enforcementLevel || PACK_ENFORCEMENT_LEVEL) as EnforcementLevel,
        // The schema as it comes back from GetAnalyzerInfo: a Struct (JSON) round trip.
        schema: p.configSchema
            ? {
                  properties: jsonCopy(p.configSchema.properties) as Record<string, Record<string, unknown>>,
                  required: p.configSchema.required ?? [],
              }
            : undefined,
    }));
    const stackConfig = path.join(dir, "config", `${opts.stack}.json`);
    const userConfig = opts.config ?? (fs.existsSync(stackConfig) ? loadPolicyConfigFile(stackConfig) : undefined);
    const reconciled = reconcilePolicyConfig(infos, {}, userConfig);
    const configured: Record<string, Record<string, unknown>> = {};
    for (const [name, c] of Object.entries(reconciled)) {
        configured[name] = { ...jsonCopy(c.properties ?? {}), enforcementLevel: c.enforcementLevel ?? "advisory" };
    }
    const getConfigFor = (name: string) =>
        (() => {
            const c = configured[name];
            if (!c) return {};
            // eslint-disable-next-line @typescript-eslint/no-unused-vars
            const { enforcementLevel, ...properties } = c;
            return properties;
        }) as ResourceValidationArgs["getConfig"];
    const levelOf = (p: Policies[number]): EnforcementLevel =>
        ((configured[p.name]?.enforcementLevel as EnforcementLevel | undefined) ||
            p.enforcementLevel ||
            PACK_ENFORCEMENT_LEVEL) as EnforcementLevel;
    const stackTags = freezeMap(new Map(Object.entries(opts.tags ?? {})));
    const configureMs = Date.now() - t0;

    const unknownDiag = (p: Policies[number], e: Error, out: Diagnostic[]) => {
        out.push({
            policy: p.name,
            level: "advisory",
            message: `can't run policy '${p.name}' from ${packFrom} during preview: ${e.message}`,
            description: p.description,
        });
    };
    const crash = (rpc: string, what: string, p: Policies[number], e: unknown): Error =>
        new Error(
            `${rpc}: Error ${what} with policy '${p.name}' from ${packFrom}:\n${e instanceof Error ? (e.stack ?? e.message) : String(e)}`,
        );

    return withPackEnv(opts, async () => {
        const violations: Violation[] = [];
        const tA = Date.now();
        const resourcePolicies = policies.filter((p) => sdkPolicy.isResourcePolicy(p));
        for (const r of resources) {
            if (!r.custom) continue;
            const wire = jsonSafe(r.props);
            const type = r.type;
            const ds: Diagnostic[] = [];
            for (const p of resourcePolicies) {
                let level = levelOf(p);
                if (level === "disabled") continue;
                const vr = (p as { validateResource?: ResourceValidation | ResourceValidation[] }).validateResource;
                if (!vr) continue;
                if (level === "remediate") level = "mandatory";
                if (!Array.isArray(vr)) {
                    const t = sdkPolicy.getPulumiType(vr);
                    if (t && type !== t) continue;
                }
                const report = reporter(p.name, p.description, level, ds);
                for (const validation of Array.isArray(vr) ? vr : [vr]) {
                    // A `validateResourceOfTypes` function for other types would only call notApplicable: skip it
                    // (the server's own fast check, for a function that lists several types).
                    const types = (validation as { __pulumiTypes?: readonly string[] }).__pulumiTypes;
                    if (types && !types.includes(type)) continue;
                    try {
                        const args = resourceValidationArgs(r, wire, { getConfig: getConfigFor(p.name), stackTags });
                        const res = validation(args, report);
                        if (res && typeof (res as Promise<void>).then === "function") await res;
                    } catch (e) {
                        if (e instanceof sdkProxy.UnknownValueError) unknownDiag(p, e, ds);
                        else if (!(e instanceof NotApplicable)) throw crash("analyze", "validating resource", p, e);
                    }
                }
            }
            for (const d of ds) violations.push(toViolation(d, r.urn));
        }
        const analyzeMs = Date.now() - tA;

        const tS = Date.now();
        // The one deliberate difference from the server: it builds these resources afresh for each stack policy
        // (same content every time); here they are built once and shared, so `stackView`'s cache per
        // `args.resources` serves every stack policy. The policies only read them; the array and the resource
        // objects are frozen so that a policy writing to them would fail loudly instead of diverging.
        let shared: readonly PolicyResource[] | undefined;
        const stackResourcesOnce = () =>
            (shared ??= stackResources(
                resources,
                resources.map((r) => jsonSafe(r.outputs ?? r.props)),
            ));
        const ds: Diagnostic[] = [];
        for (const p of policies) {
            let level = levelOf(p);
            if (level === "disabled" || !sdkPolicy.isStackPolicy(p)) continue;
            if (level === "remediate") level = "mandatory";
            const validateStack = (p as { validateStack: (a: StackValidationArgs, r: ReportViolation) => Promise<void> | void })
                .validateStack;
            const t = sdkPolicy.getPulumiType(validateStack);
            if (t && !resources.some((r) => r.type === t)) continue;
            const report = reporter(p.name, p.description, level, ds);
            try {
                const args = stackValidationArgs(resources, { getConfig: getConfigFor(p.name), stackTags }, stackResourcesOnce());
                const res = validateStack(args, report);
                if (res && typeof (res as Promise<void>).then === "function") await res;
            } catch (e) {
                if (e instanceof sdkProxy.UnknownValueError) unknownDiag(p, e, ds);
                else if (!(e instanceof NotApplicable)) throw crash("analyzeStack", "validating resource", p, e);
            }
        }
        for (const d of ds) violations.push(toViolation(d, undefined));
        const analyzeStackMs = Date.now() - tS;

        return {
            violations: dedupeAndSort(violations, resources),
            policies: infos,
            packName: PACK_NAME,
            packVersion: version,
            timings: { configureMs, analyzeMs, analyzeStackMs, totalMs: Date.now() - t0 },
        };
    });
}
