/**
 * `npm run bench -- --accounts N --groups G --permission-sets P [--seed S] [--sizes a,b,c] [--shards K]
 *  [--no-policy] [--no-pack-process] [--keep]`
 *
 * Generates a deterministic synthetic organization and stack config (offline/bench/synthetic-org.ts), then
 * measures the offline plan's pipeline, each phase in a fresh child process (this script, forked with
 * `--phase`): (a) config validation + expansion, (b) the program under mocks, (c) the policy pack over every
 * registered resource, and the floor: the same number of trivial `AccountAssignment` resources under the
 * same mocks. `--sizes` (account counts) runs (a), (b) and the floor at each size to show time per
 * assignment; the largest size also runs the pack. `--shards K` also plans the same org as one shared stack
 * plus K assignment shards (top-level OUs dealt round-robin) and reports total and per-stack figures.
 * Prints a table, then one JSON object as the last line.
 */
import { fork, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { stringify } from "yaml";
import { BENCH_NOW, Phase, PHASES, PhaseResult, PROJECT_ROOT, runPhase, orgFixtureYaml, syntheticOrg } from "../offline";

/** The bench's fixed day (expiry decisions never depend on the day it runs). */
const BENCH_DAY = BENCH_NOW.toISOString().slice(0, 10);

const USAGE =
    "usage: npm run bench -- --accounts N --groups G --permission-sets P [--seed S] [--sizes a,b,c] [--shards K] [--no-policy] [--no-pack-process] [--keep]";

/** Parsed command line. */
export interface BenchArgs {
    accounts: number;
    groups: number;
    permissionSets: number;
    seed: number;
    /** Account counts to run; the last (largest) is the main size. */
    sizes: number[];
    shards: number;
    policy: boolean;
    /** Also time the pack process over gRPC at the largest size and compare its verdicts (default true). */
    packProcess: boolean;
    keep: boolean;
}

/** Parses argv strictly; returns a message for bad input. */
export function parseBenchArgs(argv: readonly string[]): BenchArgs | string {
    const v: Record<string, string> = {};
    const flags = new Set<string>();
    for (let i = 0; i < argv.length; i++) {
        const a = argv[i];
        if (a === "--no-policy" || a === "--no-pack-process" || a === "--keep") {
            flags.add(a);
            continue;
        }
        if (!["--accounts", "--groups", "--permission-sets", "--seed", "--sizes", "--shards"].includes(a))
            return `unknown argument \`${a}\``;
        const val = argv[++i];
        if (val === undefined || val.startsWith("--")) return `\`${a}\` needs a value`;
        v[a.slice(2)] = val;
    }
    const int = (k: string, dflt: number | undefined, min: number, max: number): number | string => {
        if (v[k] === undefined) return dflt ?? `\`--${k}\` is required`;
        const n = Number(v[k]);
        return Number.isInteger(n) && n >= min && n <= max ? n : `\`--${k}\`: \`${v[k]}\` is not an integer in ${min}..${max}`;
    };
    const accounts = int("accounts", v.sizes === undefined ? undefined : 0, 0, 100_000);
    const groups = int("groups", undefined, 1, 10_000);
    const permissionSets = int("permission-sets", undefined, 1, 2_000);
    const seed = int("seed", 1, 0, 2 ** 31);
    const shards = int("shards", 0, 0, 64);
    for (const x of [accounts, groups, permissionSets, seed, shards]) if (typeof x === "string") return x;
    let sizes = [accounts as number];
    if (v.sizes !== undefined) {
        sizes = v.sizes.split(",").map(Number);
        if (sizes.some((n) => !Number.isInteger(n) || n < 1 || n > 100_000))
            return `\`--sizes\`: \`${v.sizes}\` is not a list of account counts`;
        if ((accounts as number) > 0) sizes.push(accounts as number);
        sizes = [...new Set(sizes)].sort((a, b) => a - b);
    } else if ((accounts as number) < 1) return "`--accounts` must be at least 1";
    return {
        accounts: sizes[sizes.length - 1],
        groups: groups as number,
        permissionSets: permissionSets as number,
        seed: seed as number,
        sizes,
        shards: shards as number,
        policy: !flags.has("--no-policy"),
        packProcess: !flags.has("--no-pack-process"),
        keep: flags.has("--keep"),
    };
}

/** Runs one phase in a fresh child (this script with `--phase`); rejects if the child fails. */
function child(phase: Phase, dir: string, stack: string, count?: number, packProcess = false): Promise<PhaseResult> {
    return new Promise((resolve, reject) => {
        const args = [
            "--phase",
            phase,
            "--dir",
            dir,
            "--stack",
            stack,
            ...(count === undefined ? [] : ["--count", String(count)]),
            ...(packProcess ? ["--pack-process"] : []),
        ];
        const execArgv = [...process.execArgv.filter((a) => !a.startsWith("--max-old-space-size")), "--max-old-space-size=12288"];
        // Started from mocha or ts-node's API, the TypeScript hook is not in execArgv: add it (and gc).
        if (!execArgv.some((a) => a.includes("ts-node"))) execArgv.push("-r", "ts-node/register/transpile-only");
        if (!execArgv.includes("--expose-gc")) execArgv.push("--expose-gc");
        const p = fork(__filename, args, { execArgv, stdio: ["ignore", "inherit", "pipe", "ipc"] });
        let result: PhaseResult | undefined;
        let err = "";
        p.stderr?.on("data", (d: Buffer) => {
            err = (err + d.toString()).slice(-4000);
        });
        p.on("message", (m) => {
            result = m as PhaseResult;
        });
        p.on("error", reject);
        // The result counts once sent (Pulumi's exit hook may still complain about promises left pending).
        p.on("exit", (code) =>
            result !== undefined ? resolve(result) : reject(new Error(`bench phase ${phase} (${stack}) exited with ${code}:\n${err}`)),
        );
    });
}

/** Writes a stack's config file. */
function writeStack(dir: string, stack: string, config: Record<string, unknown>): void {
    fs.writeFileSync(path.join(dir, `Pulumi.${stack}.yaml`), stringify({ config }, { lineWidth: 0 }));
}

const fmt = (n: number, d = 0) => n.toLocaleString("en-US", { maximumFractionDigits: d, minimumFractionDigits: d });
const row = (cells: (string | number)[]) => cells.map((c, i) => (i === 0 ? String(c).padEnd(34) : String(c).padStart(12))).join(" ");

interface SizeRun {
    accounts: number;
    validate: PhaseResult;
    program: PhaseResult;
    floor: PhaseResult;
    policy?: PhaseResult;
    plan?: PlanTiming;
}

/** The whole offline plan as `npm run plan` runs it (a fresh process: ts-node, modules, program, pack), timed from outside. */
interface PlanTiming {
    ms: number;
    code: number | null;
}

/** Runs `scripts/plan.ts` as `npm run plan` does (`ts-node --transpile-only`) and times the whole process. */
export function timePlan(planArgs: readonly string[]): PlanTiming {
    const t0 = Date.now();
    const r = spawnSync(
        process.execPath,
        [require.resolve("ts-node/dist/bin.js"), "--transpile-only", path.join(PROJECT_ROOT, "scripts", "plan.ts"), ...planArgs],
        { cwd: PROJECT_ROOT, stdio: ["ignore", "ignore", "pipe"], maxBuffer: 64 * 1024 * 1024 },
    );
    return { ms: Date.now() - t0, code: r.status };
}

async function runSize(
    args: BenchArgs,
    accounts: number,
    policy: boolean,
    log: (s: string) => void,
): Promise<{ run: SizeRun; dir: string; topLevelOus: readonly string[]; config: Record<string, unknown> }> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `idfed-bench-${accounts}-`));
    const gen = syntheticOrg({ accounts, groups: args.groups, permissionSets: args.permissionSets, seed: args.seed });
    fs.writeFileSync(path.join(dir, "org.yaml"), orgFixtureYaml(gen.org));
    writeStack(dir, "bench", gen.config);
    log(`size ${accounts} accounts: work dir ${dir}`);
    const validate = await child("validate", dir, "bench");
    log(`  validate+expand ${validate.ms} ms (${validate.figures.grants} grants)`);
    const program = await child("program", dir, "bench");
    log(`  program ${program.ms} ms, ${program.rssMiB} MiB (${program.figures.resources} resources)`);
    const pol = policy ? await child("policy", dir, "bench", undefined, args.packProcess) : undefined;
    if (pol)
        log(
            `  policy pack in process ${pol.ms} ms (${pol.figures.resourcesPerSecond} resources/s analysing)` +
                (pol.figures.processMs !== undefined
                    ? `; pack process ${pol.figures.processMs} ms (${pol.figures.processResourcesPerSecond} resources/s over gRPC)`
                    : ""),
        );
    const floor = await child("floor", dir, "bench", program.figures.resources);
    log(`  floor ${floor.ms} ms, ${floor.rssMiB} MiB`);
    const plan = policy
        ? timePlan([
              "--stack",
              "bench",
              "--config",
              path.join(dir, "Pulumi.bench.yaml"),
              "--org",
              path.join(dir, "org.yaml"),
              "--format",
              "json",
              "--at",
              BENCH_DAY,
          ])
        : undefined;
    if (plan) log(`  whole offline plan (npm run plan, in-process pack) ${plan.ms} ms, exit ${plan.code}`);
    return { run: { accounts, validate, program, floor, policy: pol, plan }, dir, topLevelOus: gen.topLevelOus, config: gen.config };
}

interface ShardFigures {
    stacks: number;
    totalMs: number;
    maxMs: number;
    maxRssMiB: number;
    rows: { stack: string; program: PhaseResult; policy?: PhaseResult }[];
}

async function runShards(
    args: BenchArgs,
    dir: string,
    topLevelOus: readonly string[],
    config: Record<string, unknown>,
    log: (s: string) => void,
): Promise<ShardFigures> {
    const k = Math.min(args.shards, topLevelOus.length);
    writeStack(dir, "bench-shared", { ...config, "idfed:shard": { role: "shared" } });
    const stacks = ["bench-shared"];
    for (let i = 0; i < k; i++) {
        const ous = topLevelOus.filter((_, j) => j % k === i);
        writeStack(dir, `bench-shard-${i}`, { ...config, "idfed:shard": { role: "assignments", sharedStack: "bench-shared", ous } });
        stacks.push(`bench-shard-${i}`);
    }
    const rows: ShardFigures["rows"] = [];
    for (const stack of stacks) {
        const program = await child("program", dir, stack);
        const policy = args.policy ? await child("policy", dir, stack) : undefined;
        log(`  ${stack}: program ${program.ms} ms, ${program.rssMiB} MiB, ${program.figures.resources} resources`);
        rows.push({ stack, program, policy });
    }
    const total = (r: ShardFigures["rows"][number]) => r.program.ms + (r.policy?.ms ?? 0);
    return {
        stacks: rows.length,
        rows,
        totalMs: rows.reduce((s, r) => s + total(r), 0),
        maxMs: Math.max(...rows.map(total)),
        maxRssMiB: Math.max(...rows.map((r) => Math.max(r.program.rssMiB, r.policy?.rssMiB ?? 0))),
    };
}

/** Runs the benchmark and prints the table and the JSON line; returns the exit code. */
export async function benchCli(
    argv: readonly string[],
    out: (s: string) => void = (s) => process.stdout.write(s + "\n"),
    log: (s: string) => void = (s) => process.stderr.write(s + "\n"),
): Promise<number> {
    const args = parseBenchArgs(argv);
    if (typeof args === "string") {
        log(`idfed bench: ${args}\n${USAGE}`);
        return 2;
    }
    const runs: SizeRun[] = [];
    const dirs: string[] = [];
    let shards: ShardFigures | undefined;
    for (const accounts of args.sizes) {
        const main = accounts === args.accounts;
        const r = await runSize(args, accounts, main && args.policy, log);
        runs.push(r.run);
        dirs.push(r.dir);
        if (main && args.shards > 0) shards = await runShards(args, r.dir, r.topLevelOus, r.config, log);
    }
    const m = runs[runs.length - 1];
    // `npm run plan -- --stack dev`: the README's first command, on the embedded example org.
    const devPlan = args.policy ? timePlan(["--stack", "dev", "--at", BENCH_DAY]) : undefined;
    if (devPlan) log(`npm run plan -- --stack dev: ${devPlan.ms} ms, exit ${devPlan.code}`);
    const planRatio = m.plan ? m.plan.ms / Math.max(m.floor.ms, 1) : undefined;
    const assignments = m.program.figures.assignments;
    const pol = m.policy;
    // The offline plan evaluates the pack in process, so that is what the pipeline total counts.
    const total = m.validate.ms + m.program.ms + (pol ? pol.ms : 0);
    const ratio = m.program.ms / Math.max(m.floor.ms, 1);
    const rssRatio = m.program.rssMiB / Math.max(m.floor.rssMiB, 1);
    const cpuRatio = m.program.cpuMs / Math.max(m.floor.cpuMs, 1);
    const ok = (b: boolean) => (b ? "ok" : "MISS");

    out(
        `idfed bench: ${args.accounts} accounts, ${args.groups} groups, ${args.permissionSets} permission sets, seed ${args.seed}; ` +
            `node ${process.version}, ${os.cpus().length} cores, ${fmt(os.totalmem() / 2 ** 30, 1)} GiB`,
    );
    out(row(["phase", "wall ms", "CPU ms", "peak RSS MiB", "figures"]));
    out(
        row([
            "(a) validation + expansion",
            fmt(m.validate.ms),
            fmt(m.validate.cpuMs),
            fmt(m.validate.rssMiB),
            `${m.validate.figures.grants} grants`,
        ]),
    );
    out(
        row([
            "(b) program under mocks",
            fmt(m.program.ms),
            fmt(m.program.cpuMs),
            fmt(m.program.rssMiB),
            `${m.program.figures.resources} res`,
        ]) + `  (+ ${m.program.figures.loadMs} ms loading modules)`,
    );
    if (pol) {
        out(
            row(["(c) policy pack, in process", fmt(pol.ms), fmt(pol.cpuMs), fmt(pol.rssMiB), `${pol.figures.resourcesPerSecond} res/s`]) +
                `  (analysis throughput: same policies and args in this process; analyze ${pol.figures.analyzeMs} ms, analyze stack ${pol.figures.analyzeStackMs} ms, + ${pol.figures.loadMs} ms loading)`,
        );
        if (pol.figures.processMs !== undefined)
            out(
                row([
                    "(c') policy pack process (gRPC)",
                    fmt(pol.figures.processMs),
                    "",
                    "",
                    `${pol.figures.processResourcesPerSecond} res/s`,
                ]) +
                    `  (as the CLI / offline plan: pack start ${pol.figures.processStartMs} ms, analyze ${pol.figures.processAnalyzeMs} ms, analyze stack ${pol.figures.processAnalyzeStackMs} ms; ` +
                    `violations ${pol.figures.agree === 1 ? "identical" : "DIFFER"} both ways)`,
            );
    }
    out(row(["floor (trivial resources)", fmt(m.floor.ms), fmt(m.floor.cpuMs), fmt(m.floor.rssMiB), `${m.floor.figures.resources} res`]));
    if (m.plan)
        out(
            row(["whole plan (npm run plan)", fmt(m.plan.ms), "", "", `exit ${m.plan.code}`]) +
                `  (a fresh process: start, modules, validation, program, pack in process, JSON)`,
        );
    if (devPlan) out(row(["npm run plan -- --stack dev", fmt(devPlan.ms), "", "", `exit ${devPlan.code}`]));
    out("");
    out(
        `goals: time ratio ${fmt(ratio, 2)} (≤ 1.5: ${ok(ratio <= 1.5)}; CPU-time ratio ${fmt(cpuRatio, 2)}); RSS ratio ${fmt(rssRatio, 2)} (≤ 1.3: ${ok(rssRatio <= 1.3)}); ` +
            (pol
                ? `policy ${fmt(pol.figures.resourcesPerSecond)} res/s in process (≥ 20,000: ${ok(pol.figures.resourcesPerSecond >= 20_000)}` +
                  (pol.figures.processResourcesPerSecond !== undefined
                      ? `; gRPC pack process ${fmt(pol.figures.processResourcesPerSecond)} res/s`
                      : "") +
                  "); "
                : "") +
            `validation+expansion ${fmt((100 * m.validate.ms) / Math.max(total, 1), 2)} % of total (< 1 %: ${ok(m.validate.ms < total / 100)})` +
            (planRatio !== undefined ? `; whole plan / floor ${fmt(planRatio, 2)} (≤ 1.3: ${ok(planRatio <= 1.3)})` : "") +
            (devPlan ? `; dev plan ${fmt(devPlan.ms)} ms (≤ 2,000: ${ok(devPlan.ms <= 2000)})` : ""),
    );
    const sizes = runs.map((r) => ({
        accounts: r.accounts,
        assignments: r.program.figures.assignments,
        programMs: r.program.ms,
        floorMs: r.floor.ms,
        programCpuMs: r.program.cpuMs,
        floorCpuMs: r.floor.cpuMs,
        msPerAssignment: Number((r.program.ms / Math.max(r.program.figures.assignments, 1)).toFixed(3)),
        floorMsPerResource: Number((r.floor.ms / Math.max(r.floor.figures.resources, 1)).toFixed(3)),
    }));
    if (runs.length > 1) {
        out("");
        out(row(["size (accounts)", "assignments", "program ms", "ms/assignment", "CPU ms/asg", "floor ms", "floor ms/res"]));
        for (const s of sizes) {
            out(
                row([
                    s.accounts,
                    s.assignments,
                    fmt(s.programMs),
                    s.msPerAssignment.toFixed(3),
                    (s.programCpuMs / Math.max(s.assignments, 1)).toFixed(3),
                    fmt(s.floorMs),
                    s.floorMsPerResource.toFixed(3),
                ]),
            );
        }
    }
    if (shards) {
        out("");
        out(row(["stack (sharded)", "resources", "program ms", "program MiB", "policy ms", "policy MiB"]));
        for (const r of shards.rows)
            out(
                row([
                    r.stack,
                    r.program.figures.resources,
                    fmt(r.program.ms),
                    fmt(r.program.rssMiB),
                    fmt(r.policy?.ms ?? 0),
                    fmt(r.policy?.rssMiB ?? 0),
                ]),
            );
        out(
            row([
                "one stack",
                m.program.figures.resources,
                fmt(m.program.ms),
                fmt(m.program.rssMiB),
                fmt(pol?.ms ?? 0),
                fmt(pol?.rssMiB ?? 0),
            ]),
        );
        out(
            `shards: ${shards.stacks} stacks, total ${fmt(shards.totalMs)} ms, slowest stack ${fmt(shards.maxMs)} ms, peak RSS ${fmt(shards.maxRssMiB)} MiB ` +
                `(one stack: ${fmt(m.program.ms + (pol?.ms ?? 0))} ms, ${fmt(Math.max(m.program.rssMiB, pol?.rssMiB ?? 0))} MiB)`,
        );
    }
    if (!args.keep) for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
    out(
        JSON.stringify({
            accounts: args.accounts,
            groups: args.groups,
            permissionSets: args.permissionSets,
            assignments,
            programMs: m.program.ms,
            floorMs: m.floor.ms,
            ratio: Number(ratio.toFixed(3)),
            planMs: m.plan?.ms ?? null,
            planRatio: planRatio === undefined ? null : Number(planRatio.toFixed(3)),
            devPlanMs: devPlan?.ms ?? null,
            rssMiB: m.program.rssMiB,
            floorRssMiB: m.floor.rssMiB,
            policyResourcesPerSecond: pol?.figures.resourcesPerSecond ?? null,
            policyProcessResourcesPerSecond: pol?.figures.processResourcesPerSecond ?? null,
            policyPathsAgree: pol?.figures.agree !== undefined ? pol.figures.agree === 1 : null,
            seed: args.seed,
            resources: m.program.figures.resources,
            validateMs: m.validate.ms,
            validateRssMiB: m.validate.rssMiB,
            policyMs: pol?.ms ?? null,
            policyProcessMs: pol?.figures.processMs ?? null,
            policyStartMs: pol?.figures.processStartMs ?? null,
            policyRssMiB: pol?.rssMiB ?? null,
            programCpuMs: m.program.cpuMs,
            floorCpuMs: m.floor.cpuMs,
            cpuRatio: Number(cpuRatio.toFixed(3)),
            loadMs: m.program.figures.loadMs,
            validateShare: Number((m.validate.ms / Math.max(total, 1)).toFixed(5)),
            rssRatio: Number(rssRatio.toFixed(3)),
            sizes,
            ...(shards
                ? { shards: { stacks: shards.stacks, totalMs: shards.totalMs, maxStackMs: shards.maxMs, maxStackRssMiB: shards.maxRssMiB } }
                : {}),
            node: process.version,
            cores: os.cpus().length,
        }),
    );
    return 0;
}

/** Child mode: `--phase <name> --dir D --stack S [--count N]`; sends the result over IPC. */
async function phaseMain(argv: readonly string[]): Promise<void> {
    const get = (k: string) => {
        const i = argv.indexOf(k);
        return i >= 0 ? argv[i + 1] : undefined;
    };
    const phase = get("--phase") as Phase;
    if (!PHASES.includes(phase)) throw new Error(`unknown phase ${String(phase)}`);
    const count = get("--count");
    const result = await runPhase(phase, {
        dir: get("--dir") ?? ".",
        stack: get("--stack") ?? "bench",
        count: count === undefined ? undefined : Number(count),
        packProcess: argv.includes("--pack-process"),
    });
    // Run by hand (e.g. under --cpu-prof), there is no IPC channel: print the result instead.
    if (process.send === undefined) process.stdout.write(JSON.stringify(result) + "\n");
    else await new Promise<void>((resolve) => process.send!(result, () => resolve()));
}

if (require.main === module) {
    const argv = process.argv.slice(2);
    const done = argv[0] === "--phase" ? phaseMain(argv).then(() => 0) : benchCli(argv);
    done.then(
        (code) => {
            process.exitCode = code;
        },
        (err) => {
            process.stderr.write(`idfed bench: ${err instanceof Error ? err.message : String(err)}\n`);
            process.exitCode = 3;
        },
    );
}
