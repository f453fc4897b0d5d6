/**
 * The benchmark's phases, each meant to run alone in a fresh child process (so its peak RSS is its own):
 * config validation + expansion, the program under mocks, the policy pack over what the program registered,
 * and the floor (the same number of trivial resources under the same mocks and runtime settings).
 * Inputs are files in a work directory: `Pulumi.<stack>.yaml` and `org.yaml`.
 */
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { loadStackConfigFile, parseStackConfig } from "../../stacks/config/stack-config";
import { expandGrants } from "../../stacks/org/expand";
import { OrgTree, StackModel } from "../../stacks/model";
import { selectShardGrants } from "../../stacks/org/org-checks";
import { OrgMocks } from "../plan/mocks";
import { loadOrg, PROJECT_ROOT, sharedStackOutputs, toRuntimeConfig } from "../plan/plan-run";
import { CapturedResource, runProgram, withOfflineRuntime } from "../plan/run-program";

/** The phases a child can run. */
export const PHASES = ["validate", "program", "policy", "floor"] as const;
/** One phase name. */
export type Phase = (typeof PHASES)[number];

/** What a phase reports back: wall time of the measured part, peak RSS of the process, and counts. */
export interface PhaseResult {
    readonly phase: Phase;
    readonly stack: string;
    /** Wall time of the measured part, ms. */
    readonly ms: number;
    /** CPU time (user + system, every thread) of the measured part, ms: steadier than wall time on a busy machine. */
    readonly cpuMs: number;
    /** Peak resident set size of the whole child process, MiB. */
    readonly rssMiB: number;
    /** Phase-specific figures (grants, resources, pack start time, …). */
    readonly figures: Readonly<Record<string, number>>;
}

/** Arguments of one phase. */
export interface PhaseArgs {
    /** Work directory with `Pulumi.<stack>.yaml` and `org.yaml`; `resources-<stack>.json` is written here. */
    readonly dir: string;
    readonly stack: string;
    /** Floor only: how many resources to register. */
    readonly count?: number;
    /** Policy only: also run the pack process over gRPC and compare (default false; the conformance test covers it). */
    readonly packProcess?: boolean;
}

/** Fixed clock: expiry decisions never depend on the day the benchmark runs. */
export const BENCH_NOW = new Date("2026-11-23T00:00:00Z");

const peakRssMiB = () => Math.round(process.resourceUsage().maxRSS / 1024);

/** Wall and CPU (user + system, all threads) time since the call, ms. */
interface Lap {
    ms: number;
    cpuMs: number;
}
function stopwatch(): () => Lap {
    const t0 = Date.now();
    const c0 = process.cpuUsage();
    return () => {
        const c = process.cpuUsage(c0);
        return { ms: Date.now() - t0, cpuMs: Math.round((c.user + c.system) / 1000) };
    };
}
const gc = () => (globalThis as { gc?: () => void }).gc?.();

interface Loaded {
    raw: Record<string, unknown>;
    secureKeys: string[];
    model: StackModel;
    org: OrgTree;
    grants: number;
}

/** Everything the offline plan does before the program: read, validate, expand (as `runPlan` does). */
function load(dir: string, stack: string): Loaded {
    const loaded = loadStackConfigFile(path.join(dir, `Pulumi.${stack}.yaml`));
    const model = parseStackConfig(loaded.raw, { stackName: stack, projectRoot: PROJECT_ROOT, now: BENCH_NOW });
    const org = loadOrg(path.join(dir, "org.yaml"));
    const expansion = selectShardGrants(expandGrants(model, org, BENCH_NOW), org, model.shard);
    return { raw: loaded.raw, secureKeys: loaded.secureKeys, model, org, grants: expansion.grants.length };
}

async function validatePhase(a: PhaseArgs): Promise<Record<string, number>> {
    const l = load(a.dir, a.stack);
    return { grants: l.grants, rules: l.model.assignments.length };
}

async function programPhase(a: PhaseArgs, timed: (lap: Lap) => void): Promise<Record<string, number>> {
    const l = load(a.dir, a.stack);
    // Compile and load the program's modules first (ts-node, @pulumi/aws, @pulumi/azuread): a fixed cost of
    // every run, reported as `loadMs`, not part of the per-resource comparison with the floor.
    const tl = Date.now();
    require("../../index");
    const loadMs = Date.now() - tl;
    gc();
    const lap = stopwatch();
    const run = await runProgram({
        stack: a.stack,
        config: toRuntimeConfig(l.raw),
        secretKeys: l.secureKeys,
        org: l.org,
        now: BENCH_NOW,
        quiet: true,
        stackOutputs: sharedStackOutputs(l.model, l.org),
    });
    timed(lap());
    // What the pack receives: inputs for custom resources, registered outputs for components.
    const forPack = run.resources.map((r) => ({ ...r, props: r.custom ? r.props : (r.outputs ?? r.props) }));
    fs.writeFileSync(path.join(a.dir, `resources-${a.stack}.json`), JSON.stringify(forPack));
    const registered = run.resources.filter((r) => r.type !== "pulumi:pulumi:Stack");
    return {
        grants: l.grants,
        resources: registered.length,
        loadMs,
        assignments: registered.filter((r) => r.type === "aws:ssoadmin/accountAssignment:AccountAssignment").length,
    };
}

type PackViolation = { policy: string; level: string; urn?: string; message: string };
interface PackModule {
    runPolicyPackProcessDetailed(
        dir: string,
        r: readonly CapturedResource[],
        o: { stack: string; project: string; dryRun: boolean },
    ): Promise<{
        violations: PackViolation[];
        timings: { startMs: number; analyzeMs: number; analyzeStackMs: number; totalMs: number };
    }>;
}
interface InProcessModule {
    evaluatePolicyPackInProcessDetailed(
        r: readonly CapturedResource[],
        o: { stack: string; project: string; dryRun: boolean },
    ): Promise<{
        violations: PackViolation[];
        timings: { configureMs: number; analyzeMs: number; analyzeStackMs: number; totalMs: number };
    }>;
}

/**
 * The pack over what the program registered, both ways: evaluated in this process (the same policy objects,
 * args built as @pulumi/policy's server builds them: `resourcesPerSecond`), then through the pack process over
 * gRPC as the CLI runs it (`processResourcesPerSecond`, only with `packProcess`). The measured lap is the
 * in-process run (what the offline plan runs); `agree` is 1 when both return the same violations.
 */
async function policyPhase(a: PhaseArgs, timed: (lap: Lap) => void): Promise<Record<string, number>> {
    const resources = JSON.parse(fs.readFileSync(path.join(a.dir, `resources-${a.stack}.json`), "utf8")) as CapturedResource[];
    const packDir = path.join(PROJECT_ROOT, "policy-pack");
    const opts = { stack: a.stack, project: "idfed", dryRun: true };
    const pack = require(path.join(packDir, "runner")) as PackModule;
    const tl = Date.now();
    const inProcess = require(path.join(packDir, "runner", "in-process")) as InProcessModule;
    const loadMs = Date.now() - tl;
    gc();
    const lap = stopwatch();
    const ip = await inProcess.evaluatePolicyPackInProcessDetailed(resources, opts);
    timed(lap());
    const inProcessMs = ip.timings.analyzeMs + ip.timings.analyzeStackMs;
    const figures = {
        resources: resources.length,
        custom: resources.filter((x) => x.custom).length,
        loadMs,
        analyzeMs: ip.timings.analyzeMs,
        analyzeStackMs: ip.timings.analyzeStackMs,
        resourcesPerSecond: Math.round((resources.length / Math.max(inProcessMs, 1)) * 1000),
        mandatory: ip.violations.filter((v) => v.level === "mandatory").length,
        violations: ip.violations.length,
    };
    if (!a.packProcess) return figures;
    gc();
    const r = await pack.runPolicyPackProcessDetailed(packDir, resources, opts);
    const processMs = r.timings.analyzeMs + r.timings.analyzeStackMs;
    return {
        ...figures,
        processStartMs: r.timings.startMs,
        processAnalyzeMs: r.timings.analyzeMs,
        processAnalyzeStackMs: r.timings.analyzeStackMs,
        processMs: r.timings.totalMs,
        processResourcesPerSecond: Math.round((resources.length / Math.max(processMs, 1)) * 1000),
        agree: JSON.stringify(ip.violations) === JSON.stringify(r.violations) ? 1 : 0,
    };
}

/**
 * The floor: an empty program that registers `count` trivial `aws.ssoadmin.AccountAssignment` resources
 * (constant inputs, no components, no invokes) under the same mocks and runtime settings as the program.
 */
async function floorPhase(a: PhaseArgs, timed: (lap: Lap) => void): Promise<Record<string, number>> {
    const org = loadOrg(path.join(a.dir, "org.yaml"));
    const count = a.count ?? 0;
    const tl = Date.now();
    require("@pulumi/aws/ssoadmin");
    const loadMs = Date.now() - tl;
    gc();
    const lap = stopwatch();
    await withOfflineRuntime(async () => {
        await pulumi.runtime.setMocks(new OrgMocks(org), "idfed", a.stack, true);
        const ssoadmin = require("@pulumi/aws/ssoadmin") as typeof import("@pulumi/aws/ssoadmin");
        await pulumi.runtime.runInPulumiStack(async () => {
            for (let i = 0; i < count; i++) {
                new ssoadmin.AccountAssignment(`floor-${i}`, {
                    instanceArn: org.instanceArn,
                    permissionSetArn: `${org.instanceArn.replace(":instance/", ":permissionSet/")}/ps-0000000000000000`,
                    principalId: "00000000-0000-4000-8000-000000000000",
                    principalType: "GROUP",
                    targetId: String(200000000000 + i),
                    targetType: "AWS_ACCOUNT",
                });
            }
            return {};
        });
        await (require("@pulumi/pulumi/runtime/settings") as { waitForRPCs(): Promise<void> }).waitForRPCs();
    });
    timed(lap());
    return { resources: count, loadMs };
}

/** Runs one phase in this process and returns its figures (call it in a fresh child). */
export async function runPhase(phase: Phase, a: PhaseArgs): Promise<PhaseResult> {
    let measured: Lap = { ms: -1, cpuMs: -1 };
    const timed = (l: Lap) => {
        measured = l;
    };
    let figures: Record<string, number>;
    if (phase === "validate") {
        const lap = stopwatch();
        figures = await validatePhase(a);
        measured = lap();
    } else if (phase === "program") figures = await programPhase(a, timed);
    else if (phase === "policy") figures = await policyPhase(a, timed);
    else figures = await floorPhase(a, timed);
    return { phase, stack: a.stack, ms: measured.ms, cpuMs: measured.cpuMs, rssMiB: peakRssMiB(), figures };
}
