/**
 * Where the two sides of an access diff come from: a saved plan JSON file, or a git ref whose config is
 * materialized into a temp dir and run through the offline plan (`scripts/plan.ts --format json`).
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { PlanJson, PlanShapeError, parsePlanText } from "./access-diff-plan";
import { escapeTerminal } from "../escape";

/** Bad input (unknown ref, missing file, plan failure): the CLI prints the message and exits 2. */
export class InputError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "InputError";
    }
}

/** Repository root of this program (offline/access-diff/ → ../..). */
export const REPO_ROOT = path.resolve(__dirname, "..", "..");

/** Options of one offline plan run. */
export interface PlanRunOptions {
    readonly stack: string;
    /** Stack config file to plan (`--config`). */
    readonly configFile: string;
    /** Org fixture (`--org`), when given. */
    readonly orgFile?: string;
    /** The materialized tree: working directory of the plan process, and where its plan script is looked up. */
    readonly cwd: string;
}

/** Result of running a process to completion. */
export interface ProcessResult {
    readonly status: number | null;
    readonly stdout: string;
    readonly stderr: string;
}

/**
 * Runs the offline plan and returns its raw result. The one place that knows how the plan is invoked:
 * `ts-node --transpile-only scripts/plan.ts --stack S --config F [--org O] --format json`, run in the
 * materialized tree `cwd` with that tree's own `scripts/plan.ts` (so the program, its relative policy
 * files and its default org fixture are those of the ref), falling back to this checkout's plan script
 * when the ref predates it. Dependencies come from this checkout (see {@link linkDependencies}).
 */
export function invokePlan(o: PlanRunOptions): ProcessResult {
    const tsNode = require.resolve("ts-node/dist/bin.js", { paths: [REPO_ROOT] });
    const own = path.join(o.cwd, "scripts", "plan.ts");
    const script = fs.existsSync(own) ? own : path.join(REPO_ROOT, "scripts", "plan.ts");
    const args = [
        tsNode,
        "--transpile-only",
        script,
        "--stack",
        o.stack,
        "--config",
        o.configFile,
        ...(o.orgFile ? ["--org", o.orgFile] : []),
        "--format",
        "json",
    ];
    const r = spawnSync(process.execPath, args, {
        cwd: o.cwd,
        encoding: "utf8",
        maxBuffer: 256 * 1024 * 1024,
        env: { ...process.env, TS_NODE_PROJECT: path.join(path.dirname(path.dirname(script)), "tsconfig.json") },
    });
    return { status: r.status, stdout: r.stdout ?? "", stderr: r.stderr ?? (r.error ? String(r.error.message) : "") };
}

/**
 * Links this checkout's installed dependencies into a materialized tree, so its code runs without a second
 * `npm ci`. Every package is linked from this checkout's `node_modules` except the workspace package of the
 * policy pack, which points at the tree's own `policy-pack/` so each side is judged by its own pack.
 */
export function linkDependencies(dir: string): void {
    const from = path.join(REPO_ROOT, "node_modules");
    const to = path.join(dir, "node_modules");
    if (!fs.existsSync(from) || fs.existsSync(to)) return;
    fs.mkdirSync(to);
    for (const entry of fs.readdirSync(from)) {
        if (entry === POLICY_PACK_PACKAGE) continue;
        fs.symlinkSync(path.join(from, entry), path.join(to, entry), "dir");
    }
    if (fs.existsSync(path.join(dir, "policy-pack")))
        fs.symlinkSync(path.join("..", "policy-pack"), path.join(to, POLICY_PACK_PACKAGE), "dir");
}

/** npm workspace package name of the policy pack (`policy-pack/package.json`). */
const POLICY_PACK_PACKAGE = "idfed-policy-pack";

function git(repo: string, args: readonly string[], input?: Buffer): { ok: boolean; out: Buffer; err: string } {
    const r = spawnSync("git", args, { cwd: repo, input, maxBuffer: 512 * 1024 * 1024 });
    return { ok: r.status === 0, out: r.stdout ?? Buffer.alloc(0), err: (r.stderr ?? Buffer.alloc(0)).toString("utf8").trim() };
}

/** Extracts the tree of `ref` into a new temp dir (no checkout, no worktree metadata); returns the dir. */
export function materializeRef(repo: string, ref: string): string {
    const archive = git(repo, ["archive", "--format=tar", `${ref}^{commit}`]);
    if (!archive.ok) throw new InputError(`cannot read git ref \`${ref}\`: ${archive.err}`);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "idfed-access-diff-"));
    const tar = spawnSync("tar", ["-x", "-C", dir], { input: archive.out });
    if (tar.status !== 0) throw new InputError(`cannot extract git ref \`${ref}\`: ${tar.stderr.toString().trim()}`);
    return dir;
}

/** Options of {@link loadSide}. */
export interface LoadOptions {
    readonly stack: string;
    /** Git repository for refs (default: the current directory). */
    readonly repo: string;
    readonly orgFile?: string;
    /** Plan runner; tests replace it. */
    readonly runPlan?: (o: PlanRunOptions) => ProcessResult;
}

/**
 * The last `n` lines of a child's output, each shown safely (it lands in a PR comment's code fence): control
 * characters visible, no fence-closing backticks, at most 300 characters a line.
 */
function lastLines(text: string, n: number): string {
    return text
        .trim()
        .split(/\r?\n/)
        .slice(-n)
        .map((l) => escapeTerminal(l.length > 300 ? `${l.slice(0, 299)}…` : l).replace(/`{3,}/g, "'''"))
        .join("\n");
}

/**
 * Loads one side: a value that ends in `.json` is a saved plan file; anything else is a git ref whose
 * tree is extracted to a temp dir and whose `Pulumi.<stack>.yaml` is planned offline there (the files it
 * references resolve inside that tree). Throws {@link InputError}.
 */
export function loadSide(value: string, o: LoadOptions): PlanJson {
    if (value.endsWith(".json")) {
        if (!fs.existsSync(value) || !fs.statSync(value).isFile()) throw new InputError(`saved plan \`${value}\` does not exist`);
        // Bounded like every input: a plan of 20,000 assignments is ~10 MB.
        if (fs.statSync(value).size > 64 * 1024 * 1024)
            throw new InputError(`saved plan \`${value}\` is larger than 64 MiB; is it a plan JSON?`);
        return parseOrThrow(fs.readFileSync(value, "utf8"), value);
    }
    if (!git(o.repo, ["rev-parse", "--verify", "--quiet", `${value}^{commit}`]).ok) {
        throw new InputError(`\`${value}\` is neither a saved plan (an existing .json file) nor a git ref in ${o.repo}`);
    }
    const configName = `Pulumi.${o.stack}.yaml`;
    if (!git(o.repo, ["cat-file", "-e", `${value}:${configName}`]).ok) {
        throw new InputError(`git ref \`${value}\` has no \`${configName}\` (is \`${o.stack}\` the right stack?)`);
    }
    const dir = materializeRef(o.repo, value);
    try {
        linkDependencies(dir);
        const r = (o.runPlan ?? invokePlan)({
            stack: o.stack,
            configFile: path.join(dir, configName),
            cwd: dir,
            ...(o.orgFile ? { orgFile: path.resolve(o.orgFile) } : {}),
        });
        if (r.status !== 0 && r.status !== 1) {
            throw new InputError(
                `the offline plan of \`${o.stack}\` at \`${value}\` failed (exit ${r.status ?? "signal"}):\n` +
                    lastLines(r.stderr || r.stdout, 20),
            );
        }
        return parseOrThrow(r.stdout, `plan of \`${o.stack}\` at \`${value}\``);
    } finally {
        const modules = path.join(dir, "node_modules");
        if (fs.lstatSync(modules, { throwIfNoEntry: false })?.isDirectory()) {
            for (const entry of fs.readdirSync(modules)) {
                const link = path.join(modules, entry);
                if (fs.lstatSync(link).isSymbolicLink()) fs.unlinkSync(link);
            }
        }
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

function parseOrThrow(text: string, source: string): PlanJson {
    try {
        return parsePlanText(text, source);
    } catch (e) {
        if (e instanceof PlanShapeError) throw new InputError(e.message);
        throw e;
    }
}
