/**
 * `npm run plan -- --stack <dev|prod> [--config F] [--org F] [--format text|markdown|json|html] [--at DATE]`
 *
 * The offline plan: runs the program for a stack's config under mocks with an org fixture, then the policy
 * pack over every registered resource. Exit 0: clean or advisory only; 1: a mandatory violation; 2: bad
 * config, fixture or arguments (a clear message, never a stack trace); 3: an internal error.
 */
import * as path from "path";
import { runPlan, renderHtmlReport, renderPlan, CliIo, parseStackArgs, processIo, reportFailure, runAsMain } from "../offline";
import { parseIsoInstant } from "../stacks/input/validate";

const USAGE =
    "usage: npm run plan -- --stack <name> [--config <Pulumi.x.yaml>] [--org <fixture.yaml>] [--format text|markdown|json|html] [--at <ISO date>] [--pack in-process|process] [--previous <plan.json>]";
const FORMATS = ["text", "markdown", "json", "html"] as const;

/** Parsed command line. */
interface Args {
    stack: string;
    config?: string;
    org?: string;
    format: (typeof FORMATS)[number];
    /** Plan as of this instant (expired grants, SCIM token expiry); default now. */
    at?: Date;
    /** How the policy pack runs: in this process (default) or as a pack process over gRPC, as the CLI runs it. */
    pack: "in-process" | "process";
    /** A saved JSON plan standing for the last deployment (the removal guard compares with it). */
    previous?: string;
}

/** Parses argv strictly: unknown flags and missing values are usage errors. */
export function parseArgs(argv: readonly string[]): Args | string {
    const r = parseStackArgs(argv, FORMATS, ["--at", "--pack", "--previous"]);
    if (typeof r === "string") return r;
    const pack = r.extra.pack ?? "in-process";
    if (pack !== "in-process" && pack !== "process") return `\`--pack\`: \`${pack}\` is not one of in-process, process`;
    const at = r.extra.at === undefined ? undefined : parseIsoInstant(r.extra.at);
    if (r.extra.at !== undefined && at === undefined)
        return `\`--at\`: \`${r.extra.at}\` is not an ISO-8601 date or date-time (e.g. 2027-01-31 or 2027-01-31T12:00:00Z)`;
    return { ...r.args, format: r.args.format as Args["format"], at, pack, previous: r.extra.previous };
}

/** The plan command: returns its exit code. */
export async function planCli(argv: readonly string[], io: CliIo = processIo, opts: { now?: Date } = {}): Promise<number> {
    const args = parseArgs(argv);
    if (typeof args === "string") {
        io.stderr(`idfed plan: ${args}\n${USAGE}\n`);
        return 2;
    }
    try {
        const outcome = await runPlan({
            stack: args.stack,
            configFile: args.config,
            orgFile: args.org,
            now: args.at ?? opts.now,
            packMode: args.pack,
            previousPlan: args.previous,
        });
        const { plan } = outcome;
        const rel = (f: string) => path.relative(process.cwd(), f) || f;
        if (args.format === "json") io.stdout(JSON.stringify(plan, null, 2) + "\n");
        else if (args.format === "html") io.stdout(renderHtmlReport({ plan, org: outcome.org, now: args.at ?? opts.now ?? new Date() }));
        else
            io.stdout(renderPlan(plan, args.format === "markdown", { configFile: rel(outcome.configFile), orgFile: rel(outcome.orgFile) }));
        return plan.summary.violations.mandatory > 0 ? 1 : 0;
    } catch (err) {
        return reportFailure("plan", err, io);
    }
}

if (require.main === module) runAsMain("plan", (argv) => planCli(argv));
