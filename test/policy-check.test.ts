/** `npm run --silent policy:check -- <doc.json>...`: one JSON object per file, exit 0 / 1 / 2, never a stack trace. */
import * as assert from "assert/strict";
import { spawnSync } from "child_process";
import * as path from "path";
import { runCheck } from "idfed-policy-pack/check";

const DOCS = path.join(__dirname, "fixtures", "policies", "docs");
const f = (n: string) => path.join(DOCS, n);

function check(...files: string[]): {
    code: number;
    lines: { file: string; verdict: string; findings: { policy: string; level: string; message: string }[] }[];
} {
    const out: string[] = [];
    const code = runCheck(files, (l) => out.push(l));
    return { code, lines: out.map((l) => JSON.parse(l)) };
}

describe("policy:check", () => {
    it("allows a scoped identity policy and a scoped GitHub trust policy (exit 0)", () => {
        const r = check(f("allow-readonly.json"), f("trust-github-ok.json"));
        assert.equal(r.code, 0, JSON.stringify(r));
        assert.deepEqual(
            r.lines.map((l) => l.verdict),
            ["allow", "allow"],
        );
        assert.deepEqual(r.lines[0], { file: f("allow-readonly.json"), verdict: "allow", findings: [] });
    });
    it("blocks full admin and SAML without audience (exit 1), naming the policy", () => {
        const r = check(f("block-admin.json"), f("trust-saml-no-aud.json"), f("allow-readonly.json"));
        assert.equal(r.code, 1);
        assert.equal(r.lines[0].findings[0].policy, "iam-documents");
        assert.match(r.lines[0].findings[0].message, /full administrator access/);
        assert.equal(r.lines[1].findings[0].policy, "trust-policies");
        assert.match(r.lines[1].findings[0].message, /SAML:aud/);
        assert.equal(r.lines[2].verdict, "allow");
    });
    it("exits 2 for unreadable or invalid input, still printing one object per file", () => {
        const r = check(f("block-admin.json"), f("broken.json"), f("not-a-document.json"), f("missing.json"));
        assert.equal(r.code, 2);
        assert.equal(r.lines.length, 4);
        assert.match(r.lines[1].findings[0].message, /not valid JSON/);
        assert.match(r.lines[2].findings[0].message, /expected a JSON object/);
        assert.match(r.lines[3].findings[0].message, /cannot read .*ENOENT/);
    });
    it("runs as the npm script without a stack trace", function () {
        this.timeout(60_000);
        const p = spawnSync(
            process.execPath,
            [
                require.resolve("ts-node/dist/bin"),
                "--transpile-only",
                path.join(__dirname, "..", "scripts", "policy-check.ts"),
                f("broken.json"),
                f("block-admin.json"),
            ],
            { encoding: "utf8" },
        );
        assert.equal(p.status, 2, p.stderr);
        assert.equal(p.stderr, "");
        assert.equal(p.stdout.trim().split("\n").length, 2);
        assert.doesNotMatch(p.stdout, /\n\s+at /);
    });
});
