/**
 * The arguments CrossGuard hands to policies, built the way @pulumi/policy's server builds them
 * (node_modules/@pulumi/policy/server.js, v1.21), from the resources the runner captures. One builder for the
 * in-process evaluation (runner/in-process.ts) and the tests' policy harness, so both see what the CLI sees.
 */
import { PolicyResource, ResourceValidationArgs, StackValidationArgs } from "@pulumi/policy";
import type { CapturedResource } from "./types";
import { jsonSafe as jsonSafeOf } from "./proto";

/** @pulumi/policy internals the server uses (exported at runtime, not in the typings). */
export const sdkPolicy = require("@pulumi/policy/policy") as {
    getPulumiType(o: unknown): string | undefined;
    isResourcePolicy(p: unknown): boolean;
    isStackPolicy(p: unknown): boolean;
};
export const sdkProxy = require("@pulumi/policy/proxy") as {
    unknownCheckingProxy<T>(v: T): T;
    UnknownValueError: new (...a: unknown[]) => Error;
};
const sdkDeserialize = require("@pulumi/policy/deserialize") as {
    deserializeProperties(struct: { toJavaScript(): Record<string, unknown> }, proxySecrets: boolean): Record<string, unknown>;
};

/** Thrown by `notApplicable` (the server's NotApplicableError; no stack trace is needed to skip a policy). */
export class NotApplicable {
    constructor(readonly reason?: string) {}
}
export const throwNotApplicable = (reason?: string): never => {
    throw new NotApplicable(reason);
};

/** The server's `freezeMap`: a read-only view of the stack tags. */
export function freezeMap(map: Map<string, string>): ReadonlyMap<string, string> {
    return Object.freeze({
        entries: map.entries.bind(map),
        forEach: map.forEach.bind(map),
        get: map.get.bind(map),
        has: map.has.bind(map),
        keys: map.keys.bind(map),
        size: map.size,
        values: map.values.bind(map),
        [Symbol.iterator]: map[Symbol.iterator].bind(map),
    }) as unknown as ReadonlyMap<string, string>;
}

/** The server's `isTypeOf`. */
export function isTypeOf(type: string, cls: unknown): boolean {
    const t = sdkPolicy.getPulumiType(cls);
    if (t) return type === t;
    const isInstance = (cls as { isInstance?: unknown })?.isInstance;
    return typeof isInstance === "function" && isInstance({ __pulumiType: type }) === true;
}

/** Props as the server hands them to one validation: deserialized from the request's JSON, then proxied. */
export function propsOf(wire: Record<string, unknown>): Record<string, unknown> {
    return sdkProxy.unknownCheckingProxy(sdkDeserialize.deserializeProperties({ toJavaScript: () => wire }, false));
}

/** The server's `getResourceOptions` for what the runner sends (protect, zero custom timeouts, no parent). */
export function optionsOf(r: CapturedResource) {
    return {
        protect: r.protect ?? false,
        ignoreChanges: [] as string[],
        aliases: [] as string[],
        customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
        additionalSecretOutputs: [] as string[],
    };
}

/** The policy's view of the stack's config, tags and the not-applicable hook, shared by both kinds of args. */
export interface PolicyContext {
    getConfig: ResourceValidationArgs["getConfig"];
    stackTags: ReadonlyMap<string, string>;
}

/** ResourceValidationArgs for one custom resource (props from the request's JSON, fresh per validation). */
export function resourceValidationArgs(r: CapturedResource, wire: Record<string, unknown>, ctx: PolicyContext): ResourceValidationArgs {
    const type = r.type;
    const props = propsOf(wire);
    return {
        type,
        props,
        urn: r.urn,
        name: r.name,
        opts: optionsOf(r),
        stackTags: ctx.stackTags,
        isType: (cls: unknown) => isTypeOf(type, cls),
        asType: ((cls: unknown) => (isTypeOf(type, cls) ? props : undefined)) as ResourceValidationArgs["asType"],
        getConfig: ctx.getConfig,
        notApplicable: throwNotApplicable,
    };
}

/** StackValidationArgs over every resource (outputs, else inputs), parents and dependencies linked. */
export function stackValidationArgs(
    resources: readonly CapturedResource[],
    ctx: PolicyContext,
    built?: readonly PolicyResource[],
): StackValidationArgs {
    return {
        resources: (built ??
            stackResources(
                resources,
                resources.map((r) => jsonSafeOf(r.outputs ?? r.props)),
            )) as PolicyResource[],
        getConfig: ctx.getConfig,
        stackTags: ctx.stackTags,
        notApplicable: throwNotApplicable,
    };
}

/** The resources of one stack policy's args, built as the server builds them for each stack policy. */
export function stackResources(resources: readonly CapturedResource[], wires: readonly Record<string, unknown>[]): PolicyResource[] {
    const built = resources.map((r, i) => {
        const type = r.type;
        const props = propsOf(wires[i]);
        const resource: PolicyResource = {
            type,
            props,
            urn: r.urn,
            name: r.name,
            opts: optionsOf(r),
            dependencies: [],
            propertyDependencies: {},
            isType: (cls: unknown) => isTypeOf(type, cls),
            asType: ((cls: unknown) => (isTypeOf(type, cls) ? props : undefined)) as PolicyResource["asType"],
        };
        return resource;
    });
    const byUrn = new Map<string, PolicyResource>();
    for (const b of built) byUrn.set(b.urn, b);
    resources.forEach((r, i) => {
        const b = built[i];
        if (r.parent) {
            const parent = byUrn.get(r.parent);
            if (parent) b.parent = parent;
        }
        b.dependencies = (r.dependencies ?? []).map((d) => byUrn.get(d)).filter((d): d is PolicyResource => d !== undefined);
        for (const [k, urns] of Object.entries(r.propertyDependencies ?? {})) {
            if (urns.length === 0) continue; // the runner sends no entry for an empty list
            b.propertyDependencies[k] = urns.map((d) => byUrn.get(d)).filter((d): d is PolicyResource => d !== undefined);
        }
    });
    for (const b of built) Object.freeze(b);
    return Object.freeze(built) as PolicyResource[];
}
