/**
 * `npm run review -- --stack <name> [--config F] [--org F] [--format text|markdown|csv|json] [--within-days N]`
 *
 * The periodic access review, offline like the plan (same program, same fixture): every group → permission
 * set → accounts, grants expiring within N days (default 30), expired grants, unused permission sets and
 * groups with admin-level access. Exit 0: review printed; 2: bad config, fixture or arguments; 3: internal error.
 */
import { CliIo, parseStackArgs, processIo, reportFailure, runAsMain, runPlan, buildReview, renderReview, renderReviewCsv } from "../offline";

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
    const r = parseStackArgs(argv, FORMATS, ["--within-days"]);
    if (typeof r === "string") return r;
    const wd = r.extra["within-days"] ?? "30";
    if (!/^\d{1,4}$/.test(wd)) return `\`--within-days\`: \`${wd}\` is not a whole number of days (0–9999)`;
    return { ...r.args, format: r.args.format as ReviewArgs["format"], withinDays: Number(wd) };
}

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
        return reportFailure("review", err, io);
    }
}

if (require.main === module) runAsMain("review", (argv) => reviewCli(argv));
