/**
 * `npm run plan -- --stack <dev|prod> [--config F] [--org F] [--format text|markdown|json]`
 *
 * The offline plan: runs the program for a stack's config under mocks with an org fixture, then the policy
 * pack over every registered resource. Exit 0: clean or advisory only; 1: a mandatory violation; 2: bad
 * config, fixture or arguments (a clear message, never a stack trace); 3: an internal error.
 */
import * as path from "path";
import { ConfigError } from "../stacks/model";
import { runPlan } from "./lib/plan-run";
import { renderPlan } from "./lib/plan-render";

const USAGE = "usage: npm run plan -- --stack <name> [--config <Pulumi.x.yaml>] [--org <fixture.yaml>] [--format text|markdown|json]";
const FORMATS = ["text", "markdown", "json"] as const;

/** Parsed command line. */
interface Args {
    stack: string;
    config?: string;
    org?: string;
    format: (typeof FORMATS)[number];
}

/** Parses argv strictly: unknown flags and missing values are usage errors. */
export function parseArgs(argv: readonly string[]): Args | string {
    const values: Record<string, string> = {};
    const known = new Set(["--stack", "--config", "--org", "--format"]);
    for (let i = 0; i < argv.length; i++) {
        const a = argv[i];
        const [flag, inline] = a.includes("=") ? [a.slice(0, a.indexOf("=")), a.slice(a.indexOf("=") + 1)] : [a, undefined];
        if (!known.has(flag)) return `unknown argument \`${a}\``;
        const v = inline ?? argv[++i];
        if (v === undefined || v.startsWith("--")) return `\`${flag}\` needs a value`;
        values[flag.slice(2)] = v;
    }
    if (values.stack === undefined) return "`--stack` is required (e.g. --stack dev)";
    if (!/^[\w.-]{1,100}$/.test(values.stack)) return `\`--stack\`: \`${values.stack}\` is not a stack name (letters, digits, -, _, .)`;
    const format = (values.format ?? "text") as Args["format"];
    if (!FORMATS.includes(format)) return `\`--format\`: \`${values.format}\` is not one of ${FORMATS.join(", ")}`;
    return { stack: values.stack, config: values.config, org: values.org, format };
}

/** Where the CLI writes (tests capture it). */
export interface CliIo {
    stdout(text: string): void;
    stderr(text: string): void;
}

const processIo: CliIo = { stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t) };

/** The plan command: returns its exit code. */
export async function planCli(argv: readonly string[], io: CliIo = processIo, opts: { now?: Date } = {}): Promise<number> {
    const args = parseArgs(argv);
    if (typeof args === "string") {
        io.stderr(`idfed plan: ${args}\n${USAGE}\n`);
        return 2;
    }
    try {
        const outcome = await runPlan({ stack: args.stack, configFile: args.config, orgFile: args.org, now: opts.now });
        const { plan } = outcome;
        const rel = (f: string) => path.relative(process.cwd(), f) || f;
        if (args.format === "json") io.stdout(JSON.stringify(plan, null, 2) + "\n");
        else io.stdout(renderPlan(plan, args.format === "markdown", { configFile: rel(outcome.configFile), orgFile: rel(outcome.orgFile) }));
        return plan.summary.violations.mandatory > 0 ? 1 : 0;
    } catch (err) {
        if (err instanceof ConfigError) {
            io.stderr(`idfed plan: ${err.message}\n`);
            return 2;
        }
        const message = err instanceof Error ? err.message : String(err);
        io.stderr(`idfed plan: internal error: ${message}\n` +
            (process.env.IDFED_DEBUG ? `${(err as Error)?.stack ?? ""}\n` : "(set IDFED_DEBUG=1 for a stack trace)\n"));
        return 3;
    }
}

if (require.main === module) {
    planCli(process.argv.slice(2)).then((code) => {
        process.exitCode = code;
    }, (err) => {
        process.stderr.write(`idfed plan: internal error: ${String(err)}\n`);
        process.exitCode = 3;
    });
}
