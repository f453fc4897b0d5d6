/**
 * `npm run --silent policy:check -- <doc.json>...`: checks IAM policy documents before a PR. Prints one JSON
 * object per file `{ file, verdict, findings }`. Exit 0: all allowed; 1: any blocked; 2: a file is unreadable
 * or not a JSON policy document. Never prints a stack trace.
 */
import * as fs from "fs";
import { checkDocumentText } from "./analysis/check";

/** Runs the checker over the given paths, writing lines with `write`; returns the exit code. */
export function runCheck(paths: readonly string[], write: (line: string) => void = (l) => process.stdout.write(l + "\n")): number {
    if (paths.length === 0) {
        write(
            JSON.stringify({
                file: null,
                verdict: "block",
                findings: [{ policy: "input", level: "mandatory", message: "usage: policy:check -- <doc.json>..." }],
            }),
        );
        return 2;
    }
    let code = 0;
    for (const file of paths) {
        let text: string;
        try {
            text = fs.readFileSync(file, "utf8");
        } catch (e) {
            const why = (e as NodeJS.ErrnoException).code ?? "unreadable";
            write(
                JSON.stringify({
                    file,
                    verdict: "block",
                    findings: [{ policy: "input", level: "mandatory", message: `cannot read ${file} (${why})` }],
                }),
            );
            code = 2;
            continue;
        }
        let result;
        try {
            result = checkDocumentText(text.replace(/^\uFEFF/, ""));
        } catch (e) {
            // The analysis never throws by design; this keeps the promise of "no stack trace" regardless.
            result = {
                kind: "input-error" as const,
                verdict: "block" as const,
                findings: [
                    { policy: "input", level: "mandatory" as const, message: `internal error: ${(e as Error)?.message ?? String(e)}` },
                ],
            };
        }
        write(JSON.stringify({ file, verdict: result.verdict, findings: result.findings }));
        if (result.kind === "input-error") code = 2;
        else if (result.verdict === "block" && code === 0) code = 1;
    }
    return code;
}

if (require.main === module) {
    process.exitCode = runCheck(process.argv.slice(2));
}
