/**
 * `npm run review -- --stack <name> [--config F] [--org F] [--format text|markdown|csv|json] [--within-days N]`
 *
 * The periodic access review, offline like the plan (same program, same fixture): every group → permission
 * set → accounts, grants expiring within N days (default 30), expired grants, unused permission sets and
 * groups with admin-level access. Exit 0: review printed; 2: bad config, fixture or arguments; 3: internal error.
 */
import { ConfigError } from "../stacks/model";
import { runPlan } from "./lib/plan-run";
import { buildReview, renderReview, renderReviewCsv } from "./lib/review";

const USAGE = "usage: npm run review -- --stack <name> [--config <Pulumi.x.yaml>] [--org <fixture.yaml>] " +
    "[--format text|markdown|csv|json] [--within-days N]";
const FORMATS = ["text", "markdown", "csv", "json"] as const;

/** Parsed command line. */
export interface ReviewArgs {
    stack: string;
    config?: string;
    org?: string;
    format: (typeof FORMATS)[number];
    withinDays: number;
}

/** Parses argv strictly: unknown flags, missing values and bad numbers are usage errors. */
export function parseReviewArgs(argv: readonly string[]): ReviewArgs | string {
    const values: Record<string, string> = {};
    const known = new Set(["--stack", "--config", "--org", "--format", "--within-days"]);
    for (let i = 0; i < argv.length; i++) {
        const a = argv[i];
        const [flag, inline] = a.includes("=") ? [a.slice(0, a.indexOf("=")), a.slice(a.indexOf("=") + 1)] : [a, undefined];
        if (!known.has(flag)) return `unknown argument \`${a}\``;
        const v = inline ?? argv[++i];
        if (v === undefined || v.startsWith("--")) return `\`${flag}\` needs a value`;
        values[flag.slice(2)] = v;
    }
    if (values.stack === undefined) return "`--stack` is required (e.g. --stack prod)";
    if (!/^[\w.-]{1,100}$/.test(values.stack)) return `\`--stack\`: \`${values.stack}\` is not a stack name (letters, digits, -, _, .)`;
    const format = (values.format ?? "text") as ReviewArgs["format"];
    if (!FORMATS.includes(format)) return `\`--format\`: \`${values.format}\` is not one of ${FORMATS.join(", ")}`;
    const wd = values["within-days"] ?? "30";
    if (!/^\d{1,4}$/.test(wd)) return `\`--within-days\`: \`${wd}\` is not a whole number of days (0–9999)`;
    return { stack: values.stack, config: values.config, org: values.org, format, withinDays: Number(wd) };
}

/** Where the CLI writes (tests capture it). */
export interface CliIo {
    stdout(text: string): void;
    stderr(text: string): void;
}

const processIo: CliIo = { stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t) };

/** The review command: returns its exit code. `now` fixes the clock (tests). */
export async function reviewCli(argv: readonly string[], io: CliIo = processIo, opts: { now?: Date } = {}): Promise<number> {
    const args = parseReviewArgs(argv);
    if (typeof args === "string") {
        io.stderr(`idfed review: ${args}\n${USAGE}\n`);
        return 2;
    }
    const now = opts.now ?? new Date();
    try {
        const { plan } = await runPlan({ stack: args.stack, configFile: args.config, orgFile: args.org, now, policies: false });
        const review = buildReview(plan, now, args.withinDays);
        if (args.format === "json") io.stdout(JSON.stringify(review, null, 2) + "\n");
        else if (args.format === "csv") io.stdout(renderReviewCsv(review));
        else io.stdout(renderReview(review, args.format === "markdown"));
        return 0;
    } catch (err) {
        if (err instanceof ConfigError) {
            io.stderr(`idfed review: ${err.message}\n`);
            return 2;
        }
        io.stderr(`idfed review: internal error: ${err instanceof Error ? err.message : String(err)}\n` +
            (process.env.IDFED_DEBUG ? `${(err as Error)?.stack ?? ""}\n` : "(set IDFED_DEBUG=1 for a stack trace)\n"));
        return 3;
    }
}

if (require.main === module) {
    reviewCli(process.argv.slice(2)).then((code) => {
        process.exitCode = code;
    }, (err) => {
        process.stderr.write(`idfed review: internal error: ${String(err)}\n`);
        process.exitCode = 3;
    });
}
