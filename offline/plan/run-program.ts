/**
 * Runs the idfed program (index.ts) in-process under `pulumi.runtime.setMocks` and captures every registered
 * resource with its parent, inputs, protect flag and (for components) registered outputs — what the engine
 * would hand the policy pack. Used by the offline plan, tests and the benchmark.
 */
import * as pulumi from "@pulumi/pulumi";
import { OrgTree } from "../../stacks/model";
import { InvokeHandler, OrgMocks } from "./mocks";
import type { CapturedResource } from "../types";
import { MonitorLike, mockMonitor, waitForRPCs } from "./sdk";

export type { CapturedResource };

/** Options of {@link runProgram}. */
export interface RunProgramOptions {
    project?: string;
    stack: string;
    /** Full config map as Pulumi passes it (`idfed:groups` → JSON text). */
    config: Record<string, string>;
    /** Keys of `config` that are secrets. */
    secretKeys?: string[];
    org: OrgTree;
    /** Run as a preview (`isDryRun()`), default true. */
    preview?: boolean;
    /** Clock for expiry decisions. */
    now?: Date;
    /** Per-test invoke answers layered over the fixture's. */
    invokes?: ReadonlyMap<string, InvokeHandler>;
    /** Outputs of referenced stacks (sharded deployments). */
    stackOutputs?: ReadonlyMap<string, Record<string, unknown>>;
    /** Do not let the program log (the plan prints notes itself). */
    quiet?: boolean;
    /** Hooks for the group wait (fake clock). */
    poll?: { sleep?: (ms: number) => Promise<void>; now?: () => number; maxDelayMs?: number };
    /** The identity store's groups by display name (see {@link OrgMocksOptions.identityStore}); default all. */
    identityStore?: Set<string>;
    /** Progress log of the program (default `pulumi.log.info`). */
    log?: (message: string) => void;
}

/** What a run produced. */
export interface ProgramRun {
    readonly resources: CapturedResource[];
    /** Stack outputs with every Output resolved (secrets stay wrapped). */
    readonly outputs: Record<string, unknown>;
}

/** Per wrapped monitor: the run's project, stack and the URNs registered so far. */
const duplicateGuards = new WeakMap<object, { project: string; stack: string; seen: Set<string> }>();

/**
 * Makes `monitor` refuse a second registration of the same URN, as the real engine does ("Duplicate resource
 * URN …; try giving it a unique name"), so two resources that map to one name cannot pass offline and fail at
 * `pulumi up`. The URN is `urn:pulumi:<stack>::<project>::<parent type chain>$<type>::<name>`.
 */
export function refuseDuplicateUrns(monitor: Pick<MonitorLike, "registerResource">, project: string, stack: string): void {
    // The SDK may hand the same mock monitor to several runs in one process: wrap it once, start a fresh run each time.
    const existing = duplicateGuards.get(monitor);
    if (existing !== undefined) {
        Object.assign(existing, { project, stack });
        existing.seen.clear();
        return;
    }
    const state = { project, stack, seen: new Set<string>() };
    duplicateGuards.set(monitor, state);
    const register = monitor.registerResource.bind(monitor);
    monitor.registerResource = (req, cb) => {
        const parent = req.getParent();
        const parentChain = parent === "" ? undefined : parent.split("::")[2];
        const type = req.getType();
        const qualified = parentChain === undefined || parentChain === "pulumi:pulumi:Stack" ? type : `${parentChain}$${type}`;
        const urn = `urn:pulumi:${state.stack}::${state.project}::${qualified}::${req.getName()}`;
        if (state.seen.has(urn)) {
            cb(new Error(`Duplicate resource URN '${urn}'; try giving it a unique name`));
            return;
        }
        state.seen.add(urn);
        register(req, cb);
    };
}

/** True when full (source-mapped) stack traces were asked for: `IDFED_DEBUG` or `PULUMI_DEBUG_PROMISE_LEAKS`. */
function fullStacksWanted(): boolean {
    return Boolean(process.env.IDFED_DEBUG || process.env.PULUMI_DEBUG_PROMISE_LEAKS);
}

/**
 * Runs `fn` with the offline runtime settings of the plan, then restores them. The Pulumi SDK records a stack
 * trace on every promise it creates (`debuggablePromise`, used only to report leaked promises) and the source
 * position of every resource (sent to the engine; the mocks drop it). Under ts-node each trace goes through
 * source-map-support: at 20,000 resources that was most of the run's time and a large share of its memory.
 * Offline, traces are off (`Error.stackTraceLimit = 0`) and formatted by V8 without source maps; nothing the
 * plan, the tests or the policy pack see changes. `IDFED_DEBUG=1` (or `PULUMI_DEBUG_PROMISE_LEAKS`) keeps
 * full traces. Used by {@link runProgram} and by the benchmark's floor, so both run under the same settings.
 */
export async function withOfflineRuntime<T>(fn: () => Promise<T>): Promise<T> {
    if (fullStacksWanted()) return fn();
    const limit = Error.stackTraceLimit;
    const prepare = Error.prepareStackTrace;
    Error.stackTraceLimit = 0;
    // V8's own formatting (no source maps); the SDK only parses file:line:column out of it.
    (Error as { prepareStackTrace?: unknown }).prepareStackTrace = undefined;
    try {
        return await fn();
    } finally {
        Error.stackTraceLimit = limit;
        Error.prepareStackTrace = prepare;
    }
}

/** Runs the program once and returns the captured resources and outputs; throws what the program throws. */
/** The stack's own fully qualified name under the offline runtime (the removal guard's reference to itself). */
export function selfStackName(project: string, stack: string): string {
    return `organization/${project}/${stack}`;
}

export async function runProgram(opts: RunProgramOptions): Promise<ProgramRun> {
    // The Pulumi runtime (its mock monitor, config and stack) is process-global: runs in one process take turns,
    // or one run's registrations land in the other's capture (and the engine's duplicate-URN check fires).
    return takeTurn(() => withOfflineRuntime(() => runProgramAsIs(opts)));
}

/** The tail of the offline runs in this process (see {@link takeTurn}). */
let runQueue: Promise<void> = Promise.resolve();

/**
 * Runs `fn` once every offline run queued before it has settled (whether it succeeded or not). The Pulumi runtime
 * is process-global: {@link runProgram} and the component-test harness take turns through this one queue.
 */
export function takeTurn<T>(fn: () => Promise<T>): Promise<T> {
    const run = runQueue.then(fn);
    runQueue = run.then(
        () => undefined,
        () => undefined,
    );
    return run;
}

/**
 * Wraps the monitor installed by the last `setMocks`: a second registration of one URN is refused (see
 * {@link refuseDuplicateUrns}), and every registration, read and registered-outputs call is captured as a
 * {@link CapturedResource} (what the engine would hand the policy pack). Returns the live list, in
 * registration order. Used by {@link runProgram} and the component-test harness.
 */
export function captureRegistrations(project: string, stack: string): CapturedResource[] {
    const monitor = mockMonitor();
    refuseDuplicateUrns(monitor, project, stack);
    const byUrn = new Map<string, CapturedResource>();
    const resources: CapturedResource[] = [];
    const register = monitor.registerResource.bind(monitor);
    const keep = (r: CapturedResource) => {
        byUrn.set(r.urn, r);
        resources.push(r);
    };
    monitor.registerResource = (req, cb) => {
        register(req, (err, resp) => {
            if (!err && resp) {
                keep({
                    urn: resp.getUrn(),
                    type: req.getType(),
                    name: req.getName(),
                    parent: req.getParent() || undefined,
                    custom: req.getCustom(),
                    protect: req.getProtect(),
                    dependencies: req.getDependenciesList(),
                    props: pulumi.runtime.deserializeProperties(req.getObject() as never, true) as Record<string, unknown>,
                });
            }
            cb(err, resp);
        });
    };
    // Reads (`StackReference`, `Resource.get`) are resources of the stack too, never changed by it.
    const read = monitor.readResource.bind(monitor);
    monitor.readResource = (req, cb) => {
        read(req, (err, resp) => {
            if (!err && resp) {
                keep({
                    urn: resp.getUrn(),
                    type: req.getType(),
                    name: req.getName(),
                    parent: req.getParent() || undefined,
                    custom: true,
                    protect: false,
                    read: true,
                    props: pulumi.runtime.deserializeProperties(req.getProperties() as never, true) as Record<string, unknown>,
                });
            }
            cb(err, resp);
        });
    };
    const registerOutputs = monitor.registerResourceOutputs.bind(monitor);
    monitor.registerResourceOutputs = (req, cb) => {
        const r = byUrn.get(req.getUrn());
        if (r !== undefined && req.getOutputs()) {
            r.outputs = pulumi.runtime.deserializeProperties(req.getOutputs() as never, true) as Record<string, unknown>;
        }
        registerOutputs(req, cb);
    };
    return resources;
}

async function runProgramAsIs(opts: RunProgramOptions): Promise<ProgramRun> {
    const project = opts.project ?? "idfed";
    pulumi.runtime.setAllConfig(opts.config, opts.secretKeys ?? []);
    // "organization": the organization name of a self-managed backend (what `pulumi.getOrganization()` gives there).
    const mocks = new OrgMocks(opts.org, {
        invokes: opts.invokes,
        stackOutputs: opts.stackOutputs,
        identityStore: opts.identityStore,
        selfStack: selfStackName(project, opts.stack),
    });
    await pulumi.runtime.setMocks(mocks, project, opts.stack, opts.preview ?? true, "organization");
    const resources = captureRegistrations(project, opts.stack);

    // Import after setMocks so the program binds to the mocked runtime.
    const program = require("../../index") as typeof import("../../index");
    let failure: unknown;
    const outputs = await pulumi.runtime.runInPulumiStack(async () => {
        try {
            return await program.run({ now: opts.now, poll: opts.poll, quiet: opts.quiet, log: opts.log });
        } catch (err) {
            failure = err;
            return {};
        }
    });
    await waitForRPCs();
    if (failure !== undefined) {
        // What was registered before the failure (tests assert that bad config registers nothing).
        if (failure instanceof Error) Object.assign(failure, { capturedResources: resources });
        throw failure;
    }
    // In a preview, one unknown value (an id not known until apply) leaves the resolved outputs empty; the stack's
    // registered outputs still hold every known value (unknowns as Pulumi's unknown marker).
    const resolved = (outputs ?? {}) as Record<string, unknown>;
    const registeredOutputs = resources.find((r) => r.type === "pulumi:pulumi:Stack")?.outputs;
    return { resources, outputs: Object.keys(resolved).length === 0 && registeredOutputs !== undefined ? registeredOutputs : resolved };
}
