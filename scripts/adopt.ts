/**
 * `npm run adopt -- --stack <name> [--config F] [--org F] [--out DIR] [--permission-set <name>]...
 *  [--assignment <account>:<permission set name>:<group display name>]...`
 *
 * Writes, under DIR (default `adopt-<stack>`, inside the current directory): `import.json` for
 * `pulumi import --file import.json`, `config.yaml` with the config entries to merge into `Pulumi.<stack>.yaml`,
 * and the inline policies those entries name. Exit 0: written; 2: bad arguments, config, fixture or selection.
 */
import * as fs from "fs";
import * as path from "path";
import { stringify } from "yaml";
import { AdoptError, buildAdoption, CliIo, processIo, reportFailure, runAsMain, runPlan } from "../offline";

const USAGE =
    "usage: npm run adopt -- --stack <name> [--config <Pulumi.x.yaml>] [--org <fixture.yaml>] [--out <dir>] " +
    "[--permission-set <name>]... [--assignment <account>:<permission set name>:<group display name>]...";

/** Parsed command line. */
export interface AdoptArgs {
    stack: string;
    config?: string;
    org?: string;
    out: string;
    permissionSets: string[];
    assignments: string[];
}

/** Parses argv strictly (`--permission-set` and `--assignment` repeat). */
export function parseAdoptArgs(argv: readonly string[]): AdoptArgs | string {
    const single: Record<string, string> = {};
    const permissionSets: string[] = [],
        assignments: string[] = [];
    for (let i = 0; i < argv.length; i++) {
        const a = argv[i];
        const [flag, inline] = a.includes("=") ? [a.slice(0, a.indexOf("=")), a.slice(a.indexOf("=") + 1)] : [a, undefined];
        if (!["--stack", "--config", "--org", "--out", "--permission-set", "--assignment"].includes(flag))
            return `unknown argument \`${a.slice(0, 80)}\``;
        const v = inline ?? argv[++i];
        if (v === undefined || v.startsWith("--")) return `\`${flag}\` needs a value`;
        if (flag === "--permission-set") permissionSets.push(v);
        else if (flag === "--assignment") assignments.push(v);
        else single[flag.slice(2)] = v;
    }
    if (single.stack === undefined) return "`--stack` is required (e.g. --stack prod)";
    if (!/^[\w.-]{1,100}$/.test(single.stack)) return `\`--stack\`: \`${single.stack.slice(0, 80)}\` is not a stack name`;
    if (permissionSets.length + assignments.length === 0)
        return "choose what to adopt: `--permission-set <name>` and/or `--assignment <account>:<set>:<group>`";
    const out = single.out ?? `adopt-${single.stack}`;
    if (path.isAbsolute(out) || out.split(/[\\/]/).includes(".."))
        return `\`--out\`: \`${out.slice(0, 80)}\` must be a relative path inside the current directory`;
    return { stack: single.stack, config: single.config, org: single.org, out, permissionSets, assignments };
}

/** The adopt command: returns its exit code. */
export async function adoptCli(argv: readonly string[], io: CliIo = processIo, opts: { now?: Date; cwd?: string } = {}): Promise<number> {
    const args = parseAdoptArgs(argv);
    if (typeof args === "string") {
        io.stderr(`idfed adopt: ${args}\n${USAGE}\n`);
        return 2;
    }
    try {
        const { plan, org } = await runPlan({
            stack: args.stack,
            configFile: args.config,
            orgFile: args.org,
            now: opts.now,
            policies: false,
        });
        const a = buildAdoption(args.stack, plan, org, args);
        const dir = path.resolve(opts.cwd ?? process.cwd(), args.out);
        fs.mkdirSync(dir, { recursive: true });
        fs.writeFileSync(path.join(dir, "import.json"), JSON.stringify(a.importFile, null, 2) + "\n");
        const config: Record<string, unknown> = {};
        if (Object.keys(a.config.groups).length) config["idfed:groups"] = a.config.groups;
        if (Object.keys(a.config.permissionSets).length) config["idfed:permissionSets"] = a.config.permissionSets;
        if (a.config.assignments.length) config["idfed:assignments"] = a.config.assignments;
        fs.writeFileSync(
            path.join(dir, "config.yaml"),
            "# Merge into Pulumi." + args.stack + ".yaml (config:), then run pulumi import --file import.json\n" + stringify({ config }),
        );
        for (const [file, doc] of Object.entries(a.files)) {
            const target = path.join(dir, file);
            fs.mkdirSync(path.dirname(target), { recursive: true });
            fs.writeFileSync(target, JSON.stringify(doc, null, 2) + "\n");
        }
        io.stdout(
            `wrote ${path.relative(process.cwd(), dir) || "."}/import.json (${a.importFile.resources.length} resources) and config.yaml` +
                (Object.keys(a.files).length
                    ? ` and ${Object.keys(a.files).length} inline polic${Object.keys(a.files).length === 1 ? "y" : "ies"}`
                    : "") +
                "\n" +
                a.notes.map((n) => `note: ${n}\n`).join("") +
                `next: merge config.yaml into Pulumi.${args.stack}.yaml, copy the policy files, then: pulumi import --stack ${args.stack} --file ${path.join(args.out, "import.json")}\n`,
        );
        return 0;
    } catch (err) {
        if (err instanceof AdoptError) {
            io.stderr(`idfed adopt: ${err.message}\n`);
            return 2;
        }
        return reportFailure("adopt", err, io);
    }
}

if (require.main === module) runAsMain("adopt", (argv) => adoptCli(argv));
