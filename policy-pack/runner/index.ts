/**
 * Runs the policy pack the way `pulumi preview --policy-pack <dir>` does: starts
 * `@pulumi/pulumi/cmd/run-policy-pack <engine-address> .` with node in the pack directory (the CLI's
 * `pulumi-analyzer-policy` plugin), reads the gRPC port the pack prints, then drives the Analyzer service:
 * GetAnalyzerInfo → ConfigureStack → Configure (reconciled policy config) → Analyze per custom resource →
 * AnalyzeStack over every resource → kill. The engine address is a placeholder: run-policy-pack drops it.
 */
import { ChildProcess, spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { EnforcementLevel, PolicyConfigEntry, PolicyInfoLite, reconcilePolicyConfig } from "./config";
import { Proto, loadProto, rpc, toAnalyzerResource, toAnalyzeRequest } from "./proto";

export { PolicyConfigError } from "./config";
export type { CapturedResource, Violation } from "./types";
import type { CapturedResource, Violation } from "./types";

/** Options of {@link runPolicyPackProcess}. */
export interface RunOptions {
    stack: string;
    project: string;
    organization?: string;
    /**
     * Policy config as `--policy-pack-config` JSON (policy name → level or `{ enforcementLevel?, ...props }`).
     * When absent, `<packDir>/config/<stack>.json` is used if it exists (the CLI equivalent is
     * `--policy-pack-config policy-pack/config/<stack>.json`), else the policies' strict defaults.
     */
    config?: Record<string, unknown>;
    /** Stack tags handed to ConfigureStack (policies see them as `args.stackTags`). */
    tags?: Record<string, string>;
    /** true for preview, false for update. */
    dryRun: boolean;
    /** Milliseconds to wait for the pack to print its port. Default 120 s (ts-node type-checks the pack). */
    startTimeoutMs?: number;
    /** "Today" for the expiry rules (YYYY-MM-DD; `IDFED_POLICY_TODAY` in the pack), default the pack's clock. */
    today?: string;
    /** A pack process started earlier with {@link prestartPolicyPack} (its ~8 s start overlaps other work). */
    started?: Promise<StartedPack>;
}

/** A pack process serving the analyzer protocol on `port`. */
export interface StartedPack {
    child: ChildProcess;
    port: number;
}

/** Figures of one run, for the plan's output and benchmarks. */
export interface RunTimings {
    startMs: number;
    analyzeMs: number;
    analyzeStackMs: number;
    totalMs: number;
}

/** What {@link runPolicyPackProcessDetailed} returns. */
export interface RunResult {
    violations: Violation[];
    policies: PolicyInfoLite[];
    packName: string;
    packVersion: string;
    timings: RunTimings;
}

/**
 * Starts the pack process now, so its start (ts-node type-checks the pack, as the CLI does) overlaps the
 * program run; pass the result as `started` to {@link runPolicyPackProcess}. Kill `child` if unused.
 */
export function prestartPolicyPack(
    packDir: string,
    opts: Pick<RunOptions, "stack" | "project" | "dryRun" | "organization" | "startTimeoutMs" | "today">,
): Promise<StartedPack> {
    const started = startPack(path.resolve(packDir), opts as RunOptions, opts.startTimeoutMs ?? 120_000);
    started.catch(() => undefined); // reported when awaited by the run
    return started;
}

function startPack(packDir: string, opts: RunOptions, timeoutMs: number): Promise<StartedPack> {
    const entry = require.resolve("@pulumi/pulumi/cmd/run-policy-pack", { paths: [packDir] });
    const flag = (v: boolean) => (v ? "true" : "false");
    const env: NodeJS.ProcessEnv = {
        ...process.env,
        PULUMI_CONFIG: "{}",
        PULUMI_NODEJS_PROJECT: opts.project,
        PULUMI_NODEJS_STACK: opts.stack,
        PULUMI_NODEJS_DRY_RUN: flag(opts.dryRun),
        PULUMI_PROJECT: opts.project,
        PULUMI_STACK: opts.stack,
        PULUMI_DRY_RUN: flag(opts.dryRun),
    };
    if (opts.today !== undefined) env.IDFED_POLICY_TODAY = opts.today;
    if (opts.organization) env.PULUMI_NODEJS_ORGANIZATION = env.PULUMI_ORGANIZATION = opts.organization;
    delete env.TS_NODE_TRANSPILE_ONLY;
    delete env.TS_NODE_PROJECT;
    // @pulumi/policy throws an Error per policy that does not apply to a resource; under ts-node each one
    // collects a source-mapped stack trace nobody reads. Off unless IDFED_DEBUG is set (crash traces).
    const nodeArgs = process.env.IDFED_DEBUG ? [] : ["--stack-trace-limit=0"];
    const child = spawn(process.execPath, [...nodeArgs, entry, "127.0.0.1:0", "."], {
        cwd: packDir,
        env,
        stdio: ["ignore", "pipe", "pipe"],
    });
    return new Promise((resolve, reject) => {
        let out = "",
            err = "";
        const timer = setTimeout(() => fail(`the policy pack did not print its port within ${timeoutMs} ms`), timeoutMs);
        const fail = (why: string) => {
            clearTimeout(timer);
            child.kill();
            reject(new Error(`${why}${err.trim() ? `:\n${err.trim().slice(-4000)}` : ""}`));
        };
        child.stdout!.on("data", (d: Buffer) => {
            out += d.toString();
            const m = /^\s*(\d+)\s*$/m.exec(out);
            if (m) {
                clearTimeout(timer);
                resolve({ child, port: Number(m[1]) });
            }
        });
        child.stderr!.on("data", (d: Buffer) => {
            err += d.toString();
        });
        child.on("error", (e) => fail(`cannot start the policy pack: ${e.message}`));
        child.on("exit", (code) => fail(`the policy pack exited (code ${code}) before serving`));
    });
}

const LEVEL_NAMES: Record<number, Violation["level"]> = { 0: "advisory", 1: "mandatory", 3: "remediate" };

function toViolations(p: Proto, resp: unknown, fallbackUrn: string | undefined, descriptions: Map<string, string>): Violation[] {
    const list = (resp as { getDiagnosticsList(): unknown[] }).getDiagnosticsList();
    return list.map((d) => {
        const diag = d as {
            getPolicyname(): string;
            getMessage(): string;
            getUrn(): string;
            getEnforcementlevel(): number;
            getDescription(): string;
        };
        const desc = diag.getDescription() || descriptions.get(diag.getPolicyname()) || "";
        let message = diag.getMessage();
        if (desc && message.startsWith(`${desc}\n`)) message = message.slice(desc.length + 1);
        const urn = diag.getUrn() || fallbackUrn;
        const v: Violation = { policy: diag.getPolicyname(), level: LEVEL_NAMES[diag.getEnforcementlevel()] ?? "advisory", message };
        if (urn) v.urn = urn;
        void p;
        return v;
    });
}

/** Analyze calls in flight (the pack serves them one at a time; 64 keeps its queue full: ~8 % faster than 16, 256 no better). */
const ANALYZE_IN_FLIGHT = 64;

async function mapLimit<T>(items: readonly T[], limit: number, fn: (t: T) => Promise<void>): Promise<void> {
    let i = 0;
    const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
        while (i < items.length) await fn(items[i++]);
    });
    await Promise.all(workers);
}

/** {@link runPolicyPackProcess} with the pack's policy list and timings. */
export async function runPolicyPackProcessDetailed(
    packDir: string,
    resources: readonly CapturedResource[],
    opts: RunOptions,
): Promise<RunResult> {
    const t0 = Date.now();
    const dir = path.resolve(packDir);
    if (!fs.existsSync(path.join(dir, "PulumiPolicy.yaml"))) throw new Error(`${dir} has no PulumiPolicy.yaml`);
    const p = loadProto(dir);
    const { child, port } = await (opts.started ?? startPack(dir, opts, opts.startTimeoutMs ?? 120_000));
    try {
        return await analyzeOnce(dir, p, port, resources, opts, t0);
    } finally {
        child.kill();
    }
}

/** One pack process kept for several runs (one start, many analyses): for conformance tests. */
export interface PolicyPackSession {
    /** Runs the pack over `resources` with `opts` (config, tags) on the kept process. */
    run(resources: readonly CapturedResource[], opts?: Pick<RunOptions, "config" | "tags">): Promise<RunResult>;
    /** Stops the process. */
    close(): void;
}

/**
 * Starts one pack process for `opts.stack` / `opts.dryRun` (the process environment the CLI gives it) and
 * keeps it: each `run` configures the stack and policies again, then analyzes, as a new CLI run would.
 */
export async function openPolicyPackSession(
    packDir: string,
    opts: Omit<RunOptions, "started" | "config" | "tags">,
): Promise<PolicyPackSession> {
    const dir = path.resolve(packDir);
    if (!fs.existsSync(path.join(dir, "PulumiPolicy.yaml"))) throw new Error(`${dir} has no PulumiPolicy.yaml`);
    const p = loadProto(dir);
    const { child, port } = await startPack(dir, opts as RunOptions, opts.startTimeoutMs ?? 120_000);
    return {
        run: (resources, more = {}) => analyzeOnce(dir, p, port, resources, { ...opts, ...more }, Date.now()),
        close: () => child.kill(),
    };
}

/** Configure, then Analyze every custom resource and AnalyzeStack, on a serving pack process. */
async function analyzeOnce(
    dir: string,
    p: Proto,
    port: number,
    resources: readonly CapturedResource[],
    opts: RunOptions,
    t0: number,
): Promise<RunResult> {
    const client = new p.AnalyzerClient(`127.0.0.1:${port}`, p.grpc.credentials.createInsecure(), {
        "grpc.max_receive_message_length": 400 * 1024 * 1024,
        "grpc.max_send_message_length": 400 * 1024 * 1024,
    });
    try {
        const tStart = Date.now();
        const info = await rpc<{
            getName(): string;
            getVersion(): string;
            getPoliciesList(): unknown[];
            getInitialconfigMap(): { forEach(f: (v: unknown, k: string) => void): void };
        }>(client, "getAnalyzerInfo", new p.Empty());
        const levelName = (n: number): EnforcementLevel =>
            (["advisory", "mandatory", "disabled", "remediate"][n] ?? "advisory") as EnforcementLevel;
        const policies: PolicyInfoLite[] = info.getPoliciesList().map((x) => {
            const pi = x as {
                getName(): string;
                getEnforcementlevel(): number;
                getConfigschema():
                    | {
                          getProperties(): { toJavaScript(): Record<string, Record<string, unknown>> } | undefined;
                          getRequiredList(): string[];
                      }
                    | undefined;
                getDescription(): string;
            };
            const s = pi.getConfigschema();
            return {
                name: pi.getName(),
                enforcementLevel: levelName(pi.getEnforcementlevel()),
                schema: s ? { properties: s.getProperties()?.toJavaScript() ?? {}, required: s.getRequiredList() } : undefined,
            };
        });
        const descriptions = new Map(
            info.getPoliciesList().map((x) => {
                const pi = x as { getName(): string; getDescription(): string };
                return [pi.getName(), pi.getDescription()] as [string, string];
            }),
        );
        const initial: Record<string, PolicyConfigEntry> = {};
        info.getInitialconfigMap().forEach((v, k) => {
            const pc = v as { getEnforcementlevel(): number; getProperties(): { toJavaScript(): Record<string, unknown> } | undefined };
            initial[k] = { enforcementLevel: levelName(pc.getEnforcementlevel()), properties: pc.getProperties()?.toJavaScript() };
        });
        const stackConfig = path.join(dir, "config", `${opts.stack}.json`);
        const userConfig = opts.config ?? (fs.existsSync(stackConfig) ? loadPolicyConfigFile(stackConfig) : undefined);
        const reconciled = reconcilePolicyConfig(policies, initial, userConfig);

        const stackReq = new p.analyzer.AnalyzerStackConfigureRequest();
        stackReq.setStack(opts.stack);
        stackReq.setProject(opts.project);
        stackReq.setOrganization(opts.organization ?? "organization");
        stackReq.setDryRun(opts.dryRun);
        for (const [k, v] of Object.entries(opts.tags ?? {})) stackReq.getTagsMap().set(k, v);
        await rpc(client, "configureStack", stackReq);

        const cfgReq = new p.analyzer.ConfigureAnalyzerRequest();
        for (const [name, c] of Object.entries(reconciled)) {
            const pc = new p.analyzer.PolicyConfig();
            pc.setEnforcementlevel(p.analyzer.EnforcementLevel[(c.enforcementLevel ?? "advisory").toUpperCase()]);
            pc.setProperties(p.Struct.fromJavaScript((c.properties ?? {}) as never));
            cfgReq.getPolicyconfigMap().set(name, pc);
        }
        await rpc(client, "configure", cfgReq);
        const startMs = Date.now() - tStart;

        const violations: Violation[] = [];
        const tA = Date.now();
        await mapLimit(
            resources.filter((r) => r.custom),
            ANALYZE_IN_FLIGHT,
            async (r) => {
                const resp = await rpc(client, "analyze", toAnalyzeRequest(p, r));
                violations.push(...toViolations(p, resp, r.urn, descriptions));
            },
        );
        const analyzeMs = Date.now() - tA;
        const tS = Date.now();
        const stackReqAll = new p.analyzer.AnalyzeStackRequest();
        stackReqAll.setResourcesList(resources.map((r) => toAnalyzerResource(p, r)));
        violations.push(...toViolations(p, await rpc(client, "analyzeStack", stackReqAll), undefined, descriptions));
        const analyzeStackMs = Date.now() - tS;

        return {
            violations: dedupeAndSort(violations, resources),
            policies,
            packName: info.getName(),
            packVersion: info.getVersion(),
            timings: { startMs: tStart - t0 + startMs, analyzeMs, analyzeStackMs, totalMs: Date.now() - t0 },
        };
    } finally {
        client.close();
    }
}

/** Drops repeated diagnostics, then orders them by resource (in `resources` order; stack-level last), then policy. */
export function dedupeAndSort(violations: readonly Violation[], resources: readonly CapturedResource[]): Violation[] {
    const seen = new Set<string>();
    const unique = violations.filter((v) => {
        const k = `${v.policy}\u0000${v.level}\u0000${v.urn ?? ""}\u0000${v.message}`;
        if (seen.has(k)) return false;
        seen.add(k);
        return true;
    });
    const order = new Map(resources.map((r, i) => [r.urn, i]));
    return unique.sort((a, b) => (order.get(a.urn ?? "") ?? 1e9) - (order.get(b.urn ?? "") ?? 1e9) || a.policy.localeCompare(b.policy));
}

/**
 * Runs the pack in `packDir` over captured resources exactly as `pulumi preview --policy-pack` would and
 * returns every diagnostic. Throws `PolicyConfigError` for invalid policy config, `Error` when the pack
 * cannot start or a policy crashes (the CLI fails the same way).
 */
export async function runPolicyPackProcess(
    packDir: string,
    resources: readonly CapturedResource[],
    opts: RunOptions,
): Promise<Violation[]> {
    return (await runPolicyPackProcessDetailed(packDir, resources, opts)).violations;
}

/** Reads a `--policy-pack-config` style JSON file. */
export function loadPolicyConfigFile(file: string): Record<string, unknown> {
    const v: unknown = JSON.parse(fs.readFileSync(file, "utf8"));
    if (v === null || typeof v !== "object" || Array.isArray(v)) throw new Error(`${file}: policy config must be a JSON object`);
    return v as Record<string, unknown>;
}
