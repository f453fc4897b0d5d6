/**
 * The component-test harness (the fast unit loop, as pulumi-awsx tests its components): constructs ONE component
 * directly under `pulumi.runtime.setMocks` with the plan's honest mocks (`OrgMocks` over a tiny org built in the
 * test, answering invokes with the real-shape fixtures of `offline/plan/real-shapes/`), and records every
 * resource it registers, so a test asserts its children's exact inputs, exact counts and the absence of
 * children that must not exist.
 *
 * The Pulumi runtime is process-global: each construction takes its turn in the offline queue (`takeTurn`, shared
 * with `runProgram`), so it never interleaves with a program run in the same process. Mocha runs test files in
 * parallel worker processes and the tests of one file one after the other.
 */
import * as pulumi from "@pulumi/pulumi";
import { CapturedResource, captureRegistrations, InvokeHandler, OrgMocks, takeTurn, waitForRPCs, withOfflineRuntime } from "../../offline";
import { OrgTree } from "../../stacks/model";
import { tinyOrg } from "./models";

/** Options of {@link construct}. */
export interface HarnessOptions {
    /** The organization the invokes answer from (default {@link tinyOrg}). */
    org?: OrgTree;
    /** Per-test invoke answers layered over the fixture's (same as the plan's `invokes`). */
    invokes?: ReadonlyMap<string, InvokeHandler>;
    /** Run as a preview (`isDryRun()`), default true. */
    preview?: boolean;
    /** Config map as Pulumi passes it (`aws:region` → text); default empty. */
    config?: Record<string, string>;
    /** The identity store's groups by display name (see `OrgMocksOptions.identityStore`); default all. */
    identityStore?: Set<string>;
}

/** What one construction registered. */
export interface Construction<T> {
    /** What the build function returned (the component). */
    readonly value: T;
    /** Every resource registered, in order (the stack resource included). */
    readonly resources: readonly CapturedResource[];
    /** Resources of one type. */
    ofType(type: string): CapturedResource[];
    /** The one resource of `type`; fails listing what was registered when there are zero or several. */
    only(type: string): CapturedResource;
    /** The one resource named `name`; fails when there is none or several. */
    named(name: string): CapturedResource;
    /** Sorted `type::name` of every resource but the stack (for exact "these children and no others" asserts). */
    inventory(): string[];
    /** Number of resources per type, the stack left out. */
    counts(): Record<string, number>;
}

/** A failed construction: the error and what was registered before it. */
export interface FailedConstruction {
    readonly error: Error;
    readonly resources: readonly CapturedResource[];
}

const PROJECT = "idfed";
const STACK = "test";
const STACK_TYPE = "pulumi:pulumi:Stack";

function view<T>(value: T, resources: CapturedResource[]): Construction<T> {
    const listing = () => resources.map((r) => `${r.type}::${r.name}`).join("\n  ");
    const ofType = (type: string) => resources.filter((r) => r.type === type);
    return {
        value,
        resources,
        ofType,
        only(type) {
            const hits = ofType(type);
            if (hits.length !== 1) throw new Error(`expected exactly one ${type}, got ${hits.length}; registered:\n  ${listing()}`);
            return hits[0];
        },
        named(name) {
            const hits = resources.filter((r) => r.name === name);
            if (hits.length !== 1)
                throw new Error(`expected exactly one resource named ${name}, got ${hits.length}; registered:\n  ${listing()}`);
            return hits[0];
        },
        inventory: () =>
            resources
                .filter((r) => r.type !== STACK_TYPE)
                .map((r) => `${r.type}::${r.name}`)
                .sort(),
        counts() {
            const out: Record<string, number> = {};
            for (const r of resources) if (r.type !== STACK_TYPE) out[r.type] = (out[r.type] ?? 0) + 1;
            return out;
        },
    };
}

/** The `pulumi.Output` fields of a constructed component (its public outputs). */
function publicOutputs(value: unknown): Record<string, pulumi.Output<unknown>> {
    if (value === null || typeof value !== "object") return {};
    return Object.fromEntries(Object.entries(value).filter(([k, v]) => !k.startsWith("__") && pulumi.Output.isInstance(v)));
}

async function run<T>(build: () => T, opts: HarnessOptions): Promise<{ value?: T; resources: CapturedResource[]; error?: Error }> {
    return takeTurn(() =>
        withOfflineRuntime(async () => {
            pulumi.runtime.setAllConfig(opts.config ?? {}, []);
            const mocks = new OrgMocks(opts.org ?? tinyOrg(), { invokes: opts.invokes, identityStore: opts.identityStore });
            await pulumi.runtime.setMocks(mocks, PROJECT, STACK, opts.preview ?? true);
            const resources = captureRegistrations(PROJECT, STACK);
            let value: T | undefined;
            let error: Error | undefined;
            const fail = (e: unknown) => {
                error ??= e instanceof Error ? e : new Error(String(e));
            };
            try {
                await pulumi.runtime.runInPulumiStack(async () => {
                    try {
                        value = build();
                    } catch (e) {
                        fail(e);
                    }
                    // The component's public outputs become stack outputs, as the program exports them: an
                    // output that fails (a RunError in an apply) fails the construction, as it fails `pulumi up`.
                    return publicOutputs(value);
                });
                await waitForRPCs();
            } catch (e) {
                fail(e);
            }
            return { value, resources, error };
        }),
    );
}

/**
 * Constructs what `build` creates (one component) and waits until every registration has settled. Rejects with
 * the component's error (synchronous or from an output it registered) when the construction fails.
 */
export async function construct<T>(build: () => T, opts: HarnessOptions = {}): Promise<Construction<T>> {
    const r = await run(build, opts);
    if (r.error !== undefined) throw r.error;
    return view(r.value as T, r.resources);
}

/** Constructs what `build` creates and expects it to fail; resolves with the error and what was registered. */
export async function constructFails(build: () => unknown, opts: HarnessOptions = {}): Promise<FailedConstruction> {
    const r = await run(build, opts);
    if (r.error === undefined) throw new Error(`expected the construction to fail; it registered ${r.resources.length} resources`);
    return { error: r.error, resources: r.resources };
}

/** Parses a JSON document input (an IAM policy, an event pattern, a template). */
export function jsonOf<T = Record<string, unknown>>(v: unknown): T {
    return JSON.parse(String(v)) as T;
}

/** Unwraps Pulumi's secret signature objects as the capture holds them (`{ 4dabf18193072939515e22adb298388d: …, value }`). */
export function reveal(v: unknown): unknown {
    const o = v as { value?: unknown } | null;
    return o !== null && typeof o === "object" && "value" in o ? o.value : v;
}

/** True when a captured input is a Pulumi secret. */
export function isSecret(v: unknown): boolean {
    const o = v as Record<string, unknown> | null;
    return o !== null && typeof o === "object" && o[pulumi.runtime.specialSigKey] === pulumi.runtime.specialSecretSig;
}
