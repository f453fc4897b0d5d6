/**
 * What the offline commands (plan, review) share: strict `--flag value` parsing of the stack options,
 * where output goes, and the exit-code contract (2 for bad input with the message only, 3 for an internal
 * error, with a stack trace only under IDFED_DEBUG).
 */
import { ConfigError } from "../stacks/model";

/** Where a command writes (tests capture it). */
export interface CliIo {
    stdout(text: string): void;
    stderr(text: string): void;
}

/** The process's own streams. */
export const processIo: CliIo = { stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t) };

/** The options every offline command takes. */
export interface StackArgs {
    stack: string;
    config?: string;
    org?: string;
    format: string;
}

/**
 * Parses `--flag value` / `--flag=value` pairs strictly (unknown flags and missing values are errors), then
 * the stack options. `formats[0]` is the default format. Returns the values, or a usage error.
 */
export function parseStackArgs(
    argv: readonly string[],
    formats: readonly string[],
    extraFlags: readonly string[] = [],
): { args: StackArgs; extra: Record<string, string> } | string {
    const values: Record<string, string> = {};
    const known = new Set(["--stack", "--config", "--org", "--format", ...extraFlags]);
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
    const format = values.format ?? formats[0];
    if (!formats.includes(format)) return `\`--format\`: \`${values.format}\` is not one of ${formats.join(", ")}`;
    const extra: Record<string, string> = {};
    for (const f of extraFlags) if (values[f.slice(2)] !== undefined) extra[f.slice(2)] = values[f.slice(2)];
    return { args: { stack: values.stack, config: values.config, org: values.org, format }, extra };
}

/** Reports a failure of command `name`: 2 with the message for bad config or fixture, else 3. */
export function reportFailure(name: string, err: unknown, io: CliIo): number {
    if (err instanceof ConfigError) {
        io.stderr(`idfed ${name}: ${err.message}\n`);
        return 2;
    }
    io.stderr(
        `idfed ${name}: internal error: ${err instanceof Error ? err.message : String(err)}\n` +
            (process.env.IDFED_DEBUG ? `${(err as Error)?.stack ?? ""}\n` : "(set IDFED_DEBUG=1 for a stack trace)\n"),
    );
    return 3;
}

/** Runs a command as the process's main module, setting the exit code. */
export function runAsMain(name: string, command: (argv: readonly string[]) => Promise<number>): void {
    command(process.argv.slice(2)).then(
        (code) => {
            process.exitCode = code;
        },
        (err) => {
            process.stderr.write(`idfed ${name}: internal error: ${String(err)}\n`);
            process.exitCode = 3;
        },
    );
}
