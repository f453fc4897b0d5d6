/**
 * `npm run review -- --stack <name> [--config F] [--org F] [--format text|markdown|csv|json|html] [--within-days N]
 *  [--who-can <action> [--account <id>] [--resource <arn>]]`
 *
 * The periodic access review, offline like the plan (same program, same fixture): every group → permission
 * set → accounts, grants expiring within N days (default 30), expired grants, unused permission sets and
 * groups with admin-level access, unmanaged access (org snapshot vs config) and who can do each dangerous
 * action; or, with `--who-can`, only who can perform that action where. Exit 0: review printed; 2: bad config,
 * fixture or arguments; 3: internal error.
 */
import {
    CliIo,
    parseStackArgs,
    processIo,
    reportFailure,
    runAsMain,
    runPlan,
    buildReview,
    renderReview,
    renderReviewCsv,
    actionFor,
    csvCell,
    grantsOf,
    renderHtmlReport,
    suggestAction,
    WhoCan,
    WHO_CAN_CSV_HEAD,
    whoCanLines,
    whoCanRows,
} from "../offline";

const USAGE =
    "usage: npm run review -- --stack <name> [--config <Pulumi.x.yaml>] [--org <fixture.yaml>] " +
    "[--format text|markdown|csv|json|html] [--within-days N] [--who-can <action> [--account <id>] [--resource <arn>]]";
const FORMATS = ["text", "markdown", "csv", "json", "html"] as const;

/** Parsed command line. */
export interface ReviewArgs {
    stack: string;
    config?: string;
    org?: string;
    format: (typeof FORMATS)[number];
    withinDays: number;
    /** Answer only who can perform this action (`service:Action`). */
    whoCan?: string;
    /** Limit `--who-can` to one account. */
    account?: string;
    /** Ask `--who-can` about one resource ARN (default: any resource). */
    resource?: string;
}

/** Parses argv strictly: unknown flags, missing values and bad numbers are usage errors. */
export function parseReviewArgs(argv: readonly string[]): ReviewArgs | string {
    const r = parseStackArgs(argv, FORMATS, ["--within-days", "--who-can", "--account", "--resource"]);
    if (typeof r === "string") return r;
    const wd = r.extra["within-days"] ?? "30";
    if (!/^\d{1,4}$/.test(wd)) return `\`--within-days\`: \`${wd}\` is not a whole number of days (0–9999)`;
    const { "who-can": whoCan, account, resource } = r.extra;
    if (whoCan !== undefined && !/^[a-zA-Z0-9-]{1,64}:[a-zA-Z0-9]{1,128}$/.test(whoCan)) {
        return `\`--who-can\`: \`${whoCan.slice(0, 80)}\` is not an IAM action (service:Action, e.g. iam:CreateUser; no wildcards)`;
    }
    if ((account !== undefined || resource !== undefined) && whoCan === undefined)
        return "`--account` and `--resource` go with `--who-can <action>`";
    if (account !== undefined && !/^\d{12}$/.test(account))
        return `\`--account\`: \`${account.slice(0, 80)}\` is not a 12-digit account id`;
    if (resource !== undefined && (resource.length > 2048 || !/^(\*|arn:[^\s]+)$/.test(resource)))
        return `\`--resource\`: \`${resource.slice(0, 80)}\` is not an ARN (arn:aws:…)`;
    if (whoCan !== undefined && r.args.format === "html")
        return "`--format html` is for the full review; drop `--who-can` (the page has the dangerous actions' answers)";
    return {
        ...r.args,
        format: r.args.format as ReviewArgs["format"],
        withinDays: Number(wd),
        ...(whoCan !== undefined ? { whoCan } : {}),
        ...(account !== undefined ? { account } : {}),
        ...(resource !== undefined ? { resource } : {}),
    };
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
        if (args.whoCan !== undefined && !actionFor(args.whoCan)) {
            const hint = suggestAction(args.whoCan);
            io.stderr(
                `idfed review: \`--who-can\`: \`${args.whoCan}\` is not an IAM action in the catalog${hint ? `; did you mean \`${hint}\`?` : ""}\n`,
            );
            return 2;
        }
        const { plan, org } = await runPlan({
            stack: args.stack,
            configFile: args.config,
            orgFile: args.org,
            now,
            policies: args.format === "html",
        });
        if (args.whoCan !== undefined) {
            const result = new WhoCan(org, grantsOf(plan, org)).ask(
                { action: actionFor(args.whoCan)!, ...(args.resource ? { resource: args.resource } : {}) },
                args.account,
            );
            if (args.format === "json") io.stdout(JSON.stringify(result, null, 2) + "\n");
            else if (args.format === "csv")
                io.stdout([WHO_CAN_CSV_HEAD, ...whoCanRows(result)].map((r) => r.map(csvCell).join(",")).join("\n") + "\n");
            else {
                const md = args.format === "markdown";
                const title = `Who can ${result.action}${args.resource ? ` on ${args.resource}` : ""}${args.account ? ` in ${args.account}` : ""} (stack ${plan.stack})`;
                io.stdout([md ? `## ${title}\n` : title, ...whoCanLines(result, md)].join("\n") + "\n");
            }
            return 0;
        }
        const review = buildReview(plan, now, args.withinDays, org);
        if (args.format === "json") io.stdout(JSON.stringify(review, null, 2) + "\n");
        else if (args.format === "csv") io.stdout(renderReviewCsv(review));
        else if (args.format === "html") io.stdout(renderHtmlReport({ plan, org, review, now }));
        else io.stdout(renderReview(review, args.format === "markdown"));
        return 0;
    } catch (err) {
        return reportFailure("review", err, io);
    }
}

if (require.main === module) runAsMain("review", (argv) => reviewCli(argv));
