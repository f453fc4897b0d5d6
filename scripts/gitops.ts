/**
 * The workflows' helpers (`npm run --silent gitops:<command> -- …`), thin over `offline/gitops`:
 * - `stacks`: the stacks in deploy order as JSON (exit 2 on a bad stack file);
 * - `expired-targets --stack S --plan plan.json --preview preview.json`: exact URNs to delete, one a line
 *   (exit 1 with the other pending changes listed);
 * - `pr-comment <report dir>`: the bounded, escaped PR comment (env HEAD_SHA, RUN_URL);
 * - `audit <dir>`: the GitHub settings audit (exit 1 with every problem as `::error::`).
 */
import * as fs from "node:fs";
import { auditSettings, commentBody, discoverStacks, expiredTargets, ExpiredGrant, readGitHubSettings, readReports } from "../offline";

function arg(argv: readonly string[], name: string): string {
    const i = argv.indexOf(name);
    const v = i >= 0 ? argv[i + 1] : undefined;
    if (v === undefined) throw new Error(`\`${name}\` is required`);
    return v;
}

function main(command: string | undefined, argv: readonly string[]): number {
    switch (command) {
        case "stacks":
            process.stdout.write(`${JSON.stringify(discoverStacks(process.cwd()))}\n`);
            return 0;
        case "expired-targets": {
            const stack = arg(argv, "--stack");
            const plan = JSON.parse(fs.readFileSync(arg(argv, "--plan"), "utf8")) as { expired?: ExpiredGrant[] };
            const preview = JSON.parse(fs.readFileSync(arg(argv, "--preview"), "utf8")) as {
                steps?: Array<{ op?: unknown; urn?: unknown }>;
            };
            const { targets, other } = expiredTargets(stack, plan.expired ?? [], preview.steps ?? []);
            if (other.length) {
                process.stderr.write(
                    `${stack} has pending changes besides expired grants; deploy them through the deploy workflow:\n${other.join("\n")}\n`,
                );
                return 1;
            }
            if (targets.length) process.stdout.write(`${targets.join("\n")}\n`);
            return 0;
        }
        case "pr-comment":
            process.stdout.write(
                commentBody(readReports(argv[0] ?? "report"), { commit: process.env.HEAD_SHA ?? "", runUrl: process.env.RUN_URL ?? "" }),
            );
            return 0;
        case "audit": {
            const problems = auditSettings(discoverStacks(process.cwd()).all, readGitHubSettings(argv[0] ?? "audit"));
            for (const p of problems) process.stdout.write(`::error::${p}\n`);
            if (problems.length === 0) process.stdout.write("GitHub settings match the security model\n");
            return problems.length ? 1 : 0;
        }
        default:
            throw new Error(`unknown command \`${command ?? ""}\` (stacks, expired-targets, pr-comment, audit)`);
    }
}

try {
    process.exitCode = main(process.argv[2], process.argv.slice(3));
} catch (e) {
    process.stderr.write(`gitops: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 2;
}
