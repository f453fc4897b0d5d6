/**
 * The offline plan as a function: load a stack's config file and an org fixture, validate both, run the
 * program under mocks, run the policy pack over what was registered, and return the plan data.
 */
import * as fs from "fs";
import * as path from "path";
import { loadStackConfigFile, parseStackConfig, plaintextSecretIssues, SECRET_PLACEHOLDER } from "../../stacks/config/stack-config";
import { ConfigError, OrgTree, StackModel } from "../../stacks/model";
import { parseOrgFixture } from "../../stacks/org/fixture";
import { readInputFile } from "../../stacks/input/yaml-read";
import { resolveStack } from "../../stacks/org/resolve";
import { PERMISSION_SET_POLICIES_OUTPUT, sharedPermissionSetPolicies } from "../../stacks/documents/shared-permission-sets";
import { RolloutStage } from "../../stacks/config/rollout";
import { accountIndex, buildPlan, PlanResult, PlanViolation } from "./plan-model";
import { findUnmanaged, unmanagedViolations } from "./unmanaged";
import { CapturedResource, ProgramRun, runProgram, selfStackName } from "./run-program";
import { parsePlanText } from "../access-diff/access-diff-plan";
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
    /** A saved JSON plan standing for the last deployment (`--previous`): the removal guard compares with its access. */
    previousPlan?: string;
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
        // ASSUMPTION: the Pulumi CLI passes a key with an empty YAML value (`idfed:assignments:`) as an empty string.
        Object.defineProperty(out, k, {
            value: typeof v === "string" ? v : v === null || v === undefined ? "" : JSON.stringify(v),
            enumerable: true,
            writable: true,
            configurable: true,
        });
    }
    return out;
}

/** Reads and validates the org fixture (ConfigError on any problem). */
export function loadOrg(file: string): OrgTree {
    let text: string;
    try {
        text = readInputFile(file, `org fixture ${file}`);
    } catch (e) {
        if (!(e instanceof ConfigError)) throw e;
        throw new ConfigError(
            e.issues.map((i) => ({ path: i.path, message: `${i.message}; pass an existing org fixture with --org` })),
            `org fixture ${file}`,
        );
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
    return new Map([
        [
            model.shard.sharedStack,
            {
                groupIds: Object.fromEntries(model.groups.map((g) => [g.key, mockIdentityStoreGroupId(g.displayName)])),
                permissionSetArns: Object.fromEntries(
                    model.permissionSets.map((p) => [p.key, mockPermissionSetArn(org.instanceArn, `ps-${p.key}`)]),
                ),
                // As the shared stack's program exports it (index.ts), from the same permission set definitions.
                [PERMISSION_SET_POLICIES_OUTPUT]: sharedPermissionSetPolicies(model),
            },
        ],
    ]);
}

/** Largest saved plan read with `--previous` (a plan of 20,000 assignments is ~10 MB). */
const MAX_PREVIOUS_PLAN_BYTES = 64 * 1024 * 1024;

/** The access rows of a saved plan (`--previous`), as the program's own `access` output would give them. */
export function readPreviousPlan(file: string): { accountId: string; group: string; permissionSet: string }[] {
    const fail = (message: string): never => {
        throw new ConfigError([{ path: file, message: `\`--previous ${file}\`: ${message}` }], "previous plan");
    };
    let text = "";
    try {
        if (fs.statSync(file).size > MAX_PREVIOUS_PLAN_BYTES) fail(`larger than ${MAX_PREVIOUS_PLAN_BYTES} bytes; is it a plan JSON?`);
        text = fs.readFileSync(file, "utf8");
    } catch (e) {
        if (e instanceof ConfigError) throw e;
        fail(`cannot read the file (${(e as { code?: string }).code ?? String(e)})`);
    }
    try {
        return parsePlanText(text, file).access.map((a) => ({ accountId: a.accountId, group: a.group, permissionSet: a.permissionSet }));
    } catch (e) {
        return fail(e instanceof Error ? e.message : String(e));
    }
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
    if (model !== undefined) {
        const plain = plaintextSecretIssues(loaded, model.environment, path.basename(configFile));
        issues.push(...plain.errors);
        notes.push(...plain.warnings);
    }
    let orgFailed = false;
    try {
        org = loadOrg(orgFile);
    } catch (e) {
        if (!(e instanceof ConfigError)) throw e;
        orgFailed = true;
        // Fixture problems name the fixture, not the stack.
        const rel = path.relative(process.cwd(), orgFile) || orgFile;
        issues.push(
            ...e.issues.map((i) =>
                i.message.includes(rel) || i.message.includes(orgFile)
                    ? i
                    : { path: i.path, message: `org fixture \`${rel}\`: ${i.message}` },
            ),
        );
    }
    if (issues.length > 0 || model === undefined || org === undefined) {
        const onlyOrg =
            orgFailed && model !== undefined && issues.every((i) => i.message.startsWith("org fixture") || i.message.includes(orgFile));
        throw new ConfigError(issues, onlyOrg ? `org fixture ${path.relative(process.cwd(), orgFile) || orgFile}` : `stack ${opts.stack}`);
    }
    const expansion = resolveStack(model, org, now);
    const validateMs = Date.now() - t0;
    for (const k of loaded.secureKeys) {
        notes.push(
            `\`${k}\` is a Pulumi secure value the offline plan cannot decrypt: a placeholder ("${SECRET_PLACEHOLDER}") stands in for it`,
        );
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
    const stackOutputs = sharedStackOutputs(model, org);
    // The last deployment: the program reads it through a stack reference to itself.
    if (opts.previousPlan !== undefined)
        stackOutputs.set(selfStackName("idfed", opts.stack), { access: readPreviousPlan(opts.previousPlan) });
    let refused: PlanViolation | undefined;
    try {
        run = await runProgram({
            stack: opts.stack,
            config: toRuntimeConfig(loaded.raw),
            secretKeys: loaded.secureKeys,
            org,
            now,
            invokes: opts.invokes,
            quiet: true,
            stackOutputs,
        });
    } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        if (!message.includes("idfed removal guard:")) {
            started?.then(
                (p) => p.child.kill(),
                () => undefined,
            );
            throw err;
        }
        // Refused before any change, as `pulumi preview`/`up` would be: a mandatory verdict, nothing registered.
        refused = { policy: "removal-guard", level: "mandatory", message: message.replace(/^.*?idfed removal guard: /s, "") };
        run = { resources: [], outputs: {} };
    }
    const programMs = Date.now() - t1;

    const t2 = Date.now();
    let violations: PlanViolation[] = [];
    if (refused !== undefined) {
        violations = [refused];
        started?.then(
            (p) => p.child.kill(),
            () => undefined,
        );
        notes.push("the removal guard refused the update before any resource was registered: no resources, no other verdicts");
    } else if (typeof runners === "string") notes.push(runners);
    else if (runners !== undefined && mode === "process")
        violations = await runners.runPolicyPackProcess(PACK_DIR, run.resources, { ...packOpts, started });
    else if (runners !== undefined)
        violations = await runners.evaluatePolicyPackInProcess(run.resources, { ...packOpts, packDir: PACK_DIR });
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
