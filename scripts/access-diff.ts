/**
 * `npm run access-diff -- --stack <name> --base <git-ref|plan.json> --head <git-ref|plan.json>
 *   [--format markdown|json] [--org <fixture.yaml>] [--repo <dir>]`
 *
 * Explains what changes in access between two versions of a stack's config (or two saved plan JSONs):
 * grants gained and lost, permission set content, policy verdicts. Exit 0 with the report on stdout;
 * exit 2 on bad input with a one-paragraph message on stderr (no stack trace).
 */
import {
    computeAccessDiff,
    loadIamCatalog,
    renderAccessDiffJson as renderJson,
    renderAccessDiffMarkdown as renderMarkdown,
    InputError,
    LoadOptions,
    loadSide,
} from "../offline";

/** Parsed command line. */
export interface AccessDiffArgs {
    readonly stack: string;
    readonly base: string;
    readonly head: string;
    readonly format: "markdown" | "json";
    readonly org?: string;
    readonly repo: string;
}

const USAGE =
    "usage: npm run access-diff -- --stack <name> --base <git-ref|plan.json> --head <git-ref|plan.json> " +
    "[--format markdown|json] [--org <fixture.yaml>] [--repo <dir>]";

/** Parses argv (without `node script`); throws {@link InputError} listing every problem. */
export function parseArgs(argv: readonly string[]): AccessDiffArgs {
    const known = new Set(["--stack", "--base", "--head", "--format", "--org", "--repo"]);
    const values = new Map<string, string>();
    const problems: string[] = [];
    for (let i = 0; i < argv.length; i++) {
        const [flag, inline] = argv[i].includes("=")
            ? [argv[i].slice(0, argv[i].indexOf("=")), argv[i].slice(argv[i].indexOf("=") + 1)]
            : [argv[i], undefined];
        if (!known.has(flag)) {
            problems.push(`unknown argument \`${argv[i]}\``);
            continue;
        }
        const v = inline ?? argv[++i];
        if (v === undefined || v === "") {
            problems.push(`\`${flag}\` needs a value`);
            continue;
        }
        values.set(flag, v);
    }
    for (const f of ["--stack", "--base", "--head"]) if (!values.has(f)) problems.push(`\`${f}\` is required`);
    const format = values.get("--format") ?? "markdown";
    if (format !== "markdown" && format !== "json") problems.push(`\`--format\`: \`${format}\` is not one of markdown, json`);
    const stack = values.get("--stack") ?? "";
    if (stack && !/^[A-Za-z0-9_.-]+$/.test(stack)) problems.push(`\`--stack\`: \`${stack}\` is not a stack name`);
    if (problems.length) throw new InputError(`${problems.join("; ")}\n${USAGE}`);
    const org = values.get("--org");
    return {
        stack,
        base: values.get("--base") as string,
        head: values.get("--head") as string,
        format: format as "markdown" | "json",
        repo: values.get("--repo") ?? process.cwd(),
        ...(org ? { org } : {}),
    };
}

/** Output of one run: exit code and the text for each stream. */
export interface AccessDiffResult {
    readonly code: 0 | 2;
    readonly stdout: string;
    readonly stderr: string;
}

/** Runs the access diff in-process (the CLI entry point calls this). `runPlan` lets tests stub the plan. */
export async function runAccessDiff(argv: readonly string[], runPlan?: LoadOptions["runPlan"]): Promise<AccessDiffResult> {
    try {
        const args = parseArgs(argv);
        const load: LoadOptions = {
            stack: args.stack,
            repo: args.repo,
            ...(args.org ? { orgFile: args.org } : {}),
            ...(runPlan ? { runPlan } : {}),
        };
        const base = loadSide(args.base, load);
        const head = loadSide(args.head, load);
        for (const [side, plan] of [
            ["--base", base],
            ["--head", head],
        ] as const) {
            if (plan.stack !== args.stack) throw new InputError(`${side} is a plan of stack \`${plan.stack}\`, not \`${args.stack}\``);
        }
        const docs = [...base.permissionSets, ...head.permissionSets].map((p) => p.inlinePolicy).filter((d) => d !== undefined);
        const catalog = await loadIamCatalog(docs);
        const diff = computeAccessDiff(base, head, catalog, { base: args.base, head: args.head });
        return { code: 0, stdout: args.format === "json" ? renderJson(diff) : renderMarkdown(diff), stderr: "" };
    } catch (e) {
        if (e instanceof InputError) return { code: 2, stdout: "", stderr: `access-diff: ${e.message}\n` };
        const err = e as Error;
        return {
            code: 2,
            stdout: "",
            stderr: `access-diff: unexpected error: ${err.message}\n${process.env.IDFED_DEBUG ? `${err.stack}\n` : ""}`,
        };
    }
}

if (require.main === module) {
    void runAccessDiff(process.argv.slice(2)).then((r) => {
        process.stdout.write(r.stdout);
        process.stderr.write(r.stderr);
        process.exitCode = r.code;
    });
}
