/**
 * The offline plan as a function: load a stack's config file and an org fixture, validate both, run the
 * program under mocks, run the policy pack over what was registered, and return the plan data.
 */
import * as fs from "fs";
import * as path from "path";
import { loadStackConfigFile, parseStackConfig, SECRET_PLACEHOLDER } from "../../stacks/config/stack-config";
import { ConfigError, OrgTree, StackModel } from "../../stacks/model";
import { parseOrgFixture } from "../../stacks/org/fixture";
import { resolveStack } from "../../stacks/org/resolve";
import { RolloutStage } from "../../stacks/config/rollout";
import { accountIndex, buildPlan, PlanResult, PlanViolation } from "./plan-model";
import { findUnmanaged, unmanagedViolations } from "./unmanaged";
import { CapturedResource, ProgramRun, runProgram } from "./run-program";
import { mockIdentityStoreGroupId, mockPermissionSetArn, InvokeHandler } from "./mocks";

/** Repository root (where Pulumi.yaml is). */
export const PROJECT_ROOT = path.resolve(__dirname, "..", "..");
/** The prod stack's org fixture; the fallback for a stack that has no `stacks/orgs/<stack>.yaml`. */
export const DEFAULT_ORG = path.join(PROJECT_ROOT, "stacks", "orgs", "prod.yaml");

/** The org fixture a stack is planned against by default: `stacks/orgs/<stack>.yaml`, else {@link DEFAULT_ORG}. */
export function defaultOrgFile(stack: string): string {
    const own = path.join(PROJECT_ROOT, "stacks", "orgs", `${stack}.yaml`);
    return /^[\w.-]{1,100}$/.test(stack) && fs.existsSync(own) ? own : DEFAULT_ORG;
}

/** Options of {@link runPlan}. */
export interface PlanOptions {
    stack: string;
    /** Stack config file (default `Pulumi.<stack>.yaml` in the project root). */
    configFile?: string;
    /** Org fixture (default `stacks/orgs/<stack>.yaml`, else the prod fixture). */
    orgFile?: string;
    /** Clock for expiry decisions. */
    now?: Date;
    /** Run the policy pack (default true). */
    policies?: boolean;
    /** Invoke answers layered over the fixture's (tests). */
    invokes?: ReadonlyMap<string, InvokeHandler>;
    /**
     * How the pack is evaluated: `in-process` (default: the same policy objects, arguments built as
     * @pulumi/policy's server builds them, proven equal by the conformance test) or `process` (a pack process
     * over the analyzer gRPC protocol, exactly as `pulumi preview --policy-pack` runs it).
     */
    packMode?: PackMode;
}

/** How the plan evaluates the policy pack. */
export type PackMode = "in-process" | "process";

/** Everything a plan produced. */
export interface PlanOutcome {
    plan: PlanResult;
    model: StackModel;
    org: OrgTree;
    run: ProgramRun;
    configFile: string;
    orgFile: string;
    /** Wall time of each phase, ms. */
    timings: { validate: number; program: number; policies: number };
}

/** Turns a config map into what the Pulumi runtime holds: strings, structured values as JSON. */
export function toRuntimeConfig(raw: Record<string, unknown>): Record<string, string> {
    const out: Record<string, string> = {};
    for (const k of Object.keys(raw)) {
        const v = raw[k];
        Object.defineProperty(out, k, { value: typeof v === "string" ? v : JSON.stringify(v), enumerable: true, writable: true, configurable: true });
    }
    return out;
}

/** Reads and validates the org fixture (ConfigError on any problem). */
export function loadOrg(file: string): OrgTree {
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch (e) {
        throw new ConfigError([{ path: file, message: `${file}: cannot read the org fixture (${(e as { code?: string }).code ?? String(e)}); pass an existing file with --org` }], "org fixture");
    }
    return parseOrgFixture(text, file);
}

/** The policy pack's runners (the pack is its own package, loaded lazily: a plan without policies never loads it). */
interface PackRunners {
    runPolicyPackProcess(dir: string, r: CapturedResource[], o: PackRunOptions & { started?: Promise<unknown> }): Promise<PlanViolation[]>;
    prestartPolicyPack(dir: string, o: PackRunOptions): Promise<{ child: { kill(): void } }>;
    evaluatePolicyPackInProcess(r: CapturedResource[], o: PackRunOptions & { packDir: string }): Promise<PlanViolation[]>;
}

/** What both runners take: the stack, the project, preview or update, and the one clock. */
interface PackRunOptions {
    stack: string;
    project: string;
    dryRun: boolean;
    today: string;
}

/** The policy pack's directory (its `config/<stack>.json` is the stack's policy config). */
const PACK_DIR = path.join(PROJECT_ROOT, "policy-pack");

function loadPackRunners(mode: PackMode): PackRunners | string {
    try {
        require.resolve("@pulumi/policy", { paths: [PACK_DIR] });
    } catch {
        return "policy pack not installed (run `npm ci`): no policy verdicts";
    }
    const runner = mode === "process" ? require("idfed-policy-pack/runner") : {};
    const inProcess = mode === "in-process" ? require("idfed-policy-pack/runner/in-process") : {};
    return { ...runner, ...inProcess } as PackRunners;
}

/**
 * What an assignments shard reads from its shared stack, as the shared stack's program would export it
 * offline (the same deterministic ids the mocks give when the shared stack itself is planned).
 */
export function sharedStackOutputs(model: StackModel, org: OrgTree): Map<string, Record<string, unknown>> {
    if (model.shard.role !== "assignments") return new Map();
    return new Map([[model.shard.sharedStack, {
        groupIds: Object.fromEntries(model.groups.map((g) => [g.key, mockIdentityStoreGroupId(g.displayName)])),
        permissionSetArns: Object.fromEntries(model.permissionSets.map((p) => [p.key, mockPermissionSetArn(org.instanceArn, `ps-${p.key}`)])),
    }]]);
}

/** Runs the offline plan. Throws {@link ConfigError} for bad config or fixture (before any resource). */
export async function runPlan(opts: PlanOptions): Promise<PlanOutcome> {
    const configFile = path.resolve(opts.configFile ?? path.join(PROJECT_ROOT, `Pulumi.${opts.stack}.yaml`));
    const orgFile = path.resolve(opts.orgFile ?? defaultOrgFile(opts.stack));
    const now = opts.now ?? new Date();
    const notes: string[] = [];

    const t0 = Date.now();
    const loaded = loadStackConfigFile(configFile);
    const issues: ConfigError["issues"][number][] = [];
    let model: StackModel | undefined;
    let org: OrgTree | undefined;
    try {
        model = parseStackConfig(loaded.raw, { stackName: opts.stack, projectRoot: PROJECT_ROOT, now });
    } catch (e) {
        if (!(e instanceof ConfigError)) throw e;
        issues.push(...e.issues);
    }
    try {
        org = loadOrg(orgFile);
    } catch (e) {
        if (!(e instanceof ConfigError)) throw e;
        issues.push(...e.issues);
    }
    if (issues.length > 0 || model === undefined || org === undefined) throw new ConfigError(issues, `stack ${opts.stack}`);
    const expansion = resolveStack(model, org, now);
    const validateMs = Date.now() - t0;
    for (const k of loaded.secureKeys) {
        notes.push(`\`${k}\` is a Pulumi secure value the offline plan cannot decrypt: a placeholder ("${SECRET_PLACEHOLDER}") stands in for it`);
    }
    if (opts.orgFile === undefined && orgFile === DEFAULT_ORG && opts.stack !== "prod") {
        notes.push(`no \`stacks/orgs/${opts.stack}.yaml\`: planned against the prod fixture \`stacks/orgs/prod.yaml\` (pass --org)`);
    }
    notes.push(...expansion.notes);

    const mode = opts.packMode ?? "in-process";
    const runners = opts.policies === false ? undefined : loadPackRunners(mode);
    // One clock for the program (expired grants) and the pack (SCIM token expiry, expired grants).
    const packOpts = { stack: opts.stack, project: "idfed", dryRun: true, today: now.toISOString().slice(0, 10) };
    // A pack process starts now: its start overlaps the program run.
    const started = typeof runners === "object" && mode === "process" ? runners.prestartPolicyPack(PACK_DIR, packOpts) : undefined;

    const t1 = Date.now();
    let run: ProgramRun;
    try {
        run = await runProgram({
            stack: opts.stack, config: toRuntimeConfig(loaded.raw), secretKeys: loaded.secureKeys, org, now, invokes: opts.invokes, quiet: true,
            stackOutputs: sharedStackOutputs(model, org),
        });
    } catch (err) {
        started?.then((p) => p.child.kill(), () => undefined);
        throw err;
    }
    const programMs = Date.now() - t1;

    const t2 = Date.now();
    let violations: PlanViolation[] = [];
    if (typeof runners === "string") notes.push(runners);
    else if (runners !== undefined && mode === "process") violations = await runners.runPolicyPackProcess(PACK_DIR, run.resources, { ...packOpts, started });
    else if (runners !== undefined) violations = await runners.evaluatePolicyPackInProcess(run.resources, { ...packOpts, packDir: PACK_DIR });
    const policiesMs = Date.now() - t2;

    const rollout = run.outputs.rollout as RolloutStage | undefined;
    // Stage 1 creates no assignments: the access matrix is empty until SCIM is configured.
    const grants = rollout?.stage === 1 ? [] : expansion.grants;
    // Unmanaged access (org snapshot vs declarations): a plan-level check feeding the same verdict list.
    const declared = buildPlan(opts.stack, model, org, grants, expansion.expired, [], [], []);
    const unmanaged = findUnmanaged(declared, org, accountIndex(org));
    violations = [...violations, ...unmanagedViolations(unmanaged, model.environment)];
    const plan = buildPlan(opts.stack, model, org, grants, expansion.expired, run.resources, violations, notes, rollout, unmanaged);
    return { plan, model, org, run, configFile, orgFile, timings: { validate: validateMs, program: programMs, policies: policiesMs } };
}
