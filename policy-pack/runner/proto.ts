/**
 * The Analyzer client stubs shipped in `@pulumi/pulumi/proto`, loaded from the pack's own dependency tree
 * (the same modules the pack's server uses), and the request builders the runner needs.
 */
import * as path from "path";
import type { CapturedResource } from "./types";

/* eslint-disable @typescript-eslint/no-explicit-any */
/** The loaded modules (typed loosely: they are generated CommonJS). */
export interface Proto {
    analyzer: any;
    AnalyzerClient: new (address: string, creds: unknown, options: Record<string, unknown>) => any;
    grpc: { credentials: { createInsecure(): unknown } };
    Struct: { fromJavaScript(v: Record<string, unknown>): unknown };
    Empty: new () => unknown;
}

/** Loads the stubs from `packDir`'s node_modules. */
export function loadProto(packDir: string): Proto {
    const pb = require.resolve("@pulumi/pulumi/proto/analyzer_pb", { paths: [packDir] });
    const grpcPb = require.resolve("@pulumi/pulumi/proto/analyzer_grpc_pb", { paths: [packDir] });
    const near = { paths: [path.dirname(grpcPb)] };
    return {
        analyzer: require(pb),
        AnalyzerClient: require(grpcPb).AnalyzerClient,
        grpc: require(require.resolve("@grpc/grpc-js", near)),
        Struct: require(require.resolve("google-protobuf/google/protobuf/struct_pb", near)).Struct,
        Empty: require(require.resolve("google-protobuf/google/protobuf/empty_pb", near)).Empty,
    };
}

/** Calls one unary RPC. */
export function rpc<T = unknown>(client: any, method: string, req: unknown): Promise<T> {
    return new Promise((resolve, reject) => {
        client[method](req, (err: Error | null, resp: T) => (err ? reject(new Error(`${method}: ${err.message}`)) : resolve(resp)));
    });
}

/** True when `v` is already what a JSON round trip would give back (plain objects and arrays, strings, finite numbers, ...). */
function isPlainJson(v: unknown, depth = 0): boolean {
    if (v === null || typeof v === "string" || typeof v === "boolean") return true;
    if (typeof v === "number") return Number.isFinite(v) && !Object.is(v, -0);
    if (typeof v !== "object" || depth > 64) return false;
    if (Array.isArray(v)) {
        for (let i = 0; i < v.length; i++) if (!(i in v) || !isPlainJson(v[i], depth + 1)) return false;
        return true;
    }
    const proto = Object.getPrototypeOf(v);
    if (proto !== Object.prototype && proto !== null) return false;
    for (const k in v) {
        if (!Object.prototype.hasOwnProperty.call(v, k) || k === "__proto__") return false;
        if (!isPlainJson((v as Record<string, unknown>)[k], depth + 1)) return false;
    }
    return Object.getOwnPropertySymbols(v).length === 0;
}

/**
 * JSON-safe props: drops undefined keys, turns undefined array items and non-finite numbers into null. Props
 * that are plain JSON already (what the offline plan captures) are returned as they are, not copied: callers
 * only read them (the Struct conversion and @pulumi/policy's deserialization copy).
 */
export function jsonSafe(v: unknown): Record<string, unknown> {
    if (v !== null && typeof v === "object" && !Array.isArray(v) && isPlainJson(v)) return v as Record<string, unknown>;
    const out = JSON.parse(JSON.stringify(v ?? {}, (_k, x) => (typeof x === "number" && !Number.isFinite(x) ? null : x)));
    return out !== null && typeof out === "object" && !Array.isArray(out) ? out : {};
}

function options(p: Proto, r: CapturedResource): unknown {
    const o = new p.analyzer.AnalyzerResourceOptions();
    o.setProtect(r.protect ?? false);
    const ct = new p.analyzer.AnalyzerResourceOptions.CustomTimeouts();
    o.setCustomtimeouts(ct);
    return o;
}

/** The AnalyzeRequest the engine sends for one resource (inputs, options; no parent, like the CLI). */
export function toAnalyzeRequest(p: Proto, r: CapturedResource): unknown {
    const req = new p.analyzer.AnalyzeRequest();
    req.setType(r.type);
    req.setUrn(r.urn);
    req.setName(r.name);
    req.setProperties(p.Struct.fromJavaScript(jsonSafe(r.props)));
    req.setOptions(options(p, r));
    return req;
}

/** The AnalyzerResource the engine sends in AnalyzeStack (with parent and dependencies). */
export function toAnalyzerResource(p: Proto, r: CapturedResource): unknown {
    const res = new p.analyzer.AnalyzerResource();
    res.setType(r.type);
    res.setUrn(r.urn);
    res.setName(r.name);
    res.setProperties(p.Struct.fromJavaScript(jsonSafe(r.outputs ?? r.props)));
    res.setOptions(options(p, r));
    if (r.parent) res.setParent(r.parent);
    res.setDependenciesList(r.dependencies ?? []);
    for (const [k, urns] of Object.entries(r.propertyDependencies ?? {})) {
        if (urns.length === 0) continue;
        const d = new p.analyzer.AnalyzerPropertyDependencies();
        d.setUrnsList(urns);
        res.getPropertydependenciesMap().set(k, d);
    }
    return res;
}
