/**
 * Fuzzing the document checker (`policy:check`'s in-process entry, `checkDocumentText`): ≥ 2,000 seeded
 * mutations of identity and trust policies — structural (types swapped, keys dropped or misspelt, huge
 * values, unicode, `__proto__` keys, nulls, deep nesting) and textual (truncation, byte flips, splices).
 * Never a throw; the verdict is always block or allow; findings are well-formed; no prototype changes.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { checkDocumentText } from "idfed-policy-pack/analysis/check";
import { Json, mutate, prototypeSnapshot, Rng } from "./fuzz/mutate";

const CASES = 2_400;
/** A case slower than this counts as a hang (analysis is linear, ~0.2 ms per action on 2 cores). */
const MAX_CASE_MS = 10_000;
const ROOT = path.join(__dirname, "..");

/** Seed documents: the repository's policies and checker fixtures, plus trust policies of every principal kind. */
function seeds(): Json[] {
    const files = [
        ...fs.readdirSync(path.join(ROOT, "stacks", "policies")).map((f) => path.join(ROOT, "stacks", "policies", f)),
        ...fs
            .readdirSync(path.join(ROOT, "test", "fixtures", "policies", "docs"))
            .map((f) => path.join(ROOT, "test", "fixtures", "policies", "docs", f)),
    ].filter((f) => f.endsWith(".json"));
    const docs: Json[] = [];
    for (const f of files) {
        try {
            docs.push(JSON.parse(fs.readFileSync(f, "utf8")) as Json);
        } catch {
            // Broken fixtures are fed as text below.
        }
    }
    const statement = (principal: Json, action: Json, condition?: Json): Json => ({
        Version: "2012-10-17",
        Statement: [
            { Effect: "Allow", Principal: principal, Action: action, ...(condition === undefined ? {} : { Condition: condition }) },
        ],
    });
    docs.push(
        statement(
            { Federated: "arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com" },
            "sts:AssumeRoleWithWebIdentity",
            {
                StringEquals: {
                    "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
                    "token.actions.githubusercontent.com:sub": "repo:acme/idfed:ref:refs/heads/main",
                },
            },
        ),
        statement({ AWS: "arn:aws:iam::222222222222:root" }, "sts:AssumeRole", { Bool: { "aws:MultiFactorAuthPresent": "true" } }),
        statement({ Service: ["lambda.amazonaws.com", "ecs-tasks.amazonaws.com"] }, ["sts:AssumeRole", "sts:TagSession"]),
        statement("*", "sts:AssumeRole"),
        { Version: "2012-10-17", Statement: { Effect: "Deny", NotAction: ["iam:Get*"], NotResource: "arn:aws:s3:::b/*" } },
        { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] },
    );
    return docs;
}

/** Text-level damage: truncation, a flipped character, a splice of JSON punctuation, a BOM or NULs. */
function damageText(text: string, rng: Rng): string {
    const i = rng.int(Math.max(text.length, 1));
    switch (rng.int(5)) {
        case 0:
            return text.slice(0, i);
        case 1:
            return text.slice(0, i) + String.fromCharCode(rng.int(0x3000)) + text.slice(i + 1);
        case 2:
            return text.slice(0, i) + rng.pick(["{", "}", "[", "]", ",", ":", '"', "\\", "\u0000", "\ud800"]) + text.slice(i);
        case 3:
            return `\ufeff${text}`;
        default:
            return text.replace(/"/g, rng.float() < 0.5 ? "'" : '""');
    }
}

describe("fuzz: IAM documents through the checker", function () {
    this.timeout(120_000);

    it(`${CASES} mutated identity and trust policies: never a throw, always block or allow`, () => {
        const before = prototypeSnapshot();
        const base = seeds();
        const verdicts = { block: 0, allow: 0 };
        const kinds = new Map<string, number>();
        for (let seed = 0; seed < CASES; seed++) {
            const rng = new Rng(seed * 104729 + 3);
            const doc = JSON.parse(JSON.stringify(rng.pick(base))) as Json;
            const mutations: string[] = [];
            let text: string;
            if (doc !== null && typeof doc === "object") {
                for (let i = 1 + rng.int(3); i > 0; i--) mutations.push(mutate(doc, rng, { hugeList: 400 }));
            }
            text = JSON.stringify(doc);
            if (rng.float() < 0.2) {
                text = damageText(text, rng);
                mutations.push("text-damage");
            }
            const label = `case ${seed} (${mutations.join("; ")}): ${text.slice(0, 300)}`;
            const t0 = Date.now();
            let result: ReturnType<typeof checkDocumentText>;
            try {
                result = checkDocumentText(text);
            } catch (e) {
                assert.fail(`${label} threw ${e instanceof Error ? e.stack : String(e)}`);
            }
            assert.ok(Date.now() - t0 < MAX_CASE_MS, `${label} took ${Date.now() - t0} ms`);
            assert.ok(result.verdict === "block" || result.verdict === "allow", `${label}: verdict ${String(result.verdict)}`);
            assert.ok(Array.isArray(result.findings), label);
            for (const f of result.findings) {
                assert.equal(typeof f.policy, "string", label);
                assert.ok(f.level === "mandatory" || f.level === "advisory", `${label}: level ${String(f.level)}`);
                assert.ok(typeof f.message === "string" && f.message.length > 0, label);
            }
            if (result.findings.some((f) => f.level === "mandatory")) assert.equal(result.verdict, "block", label);
            verdicts[result.verdict]++;
            kinds.set(result.kind, (kinds.get(result.kind) ?? 0) + 1);
            assert.equal(prototypeSnapshot(), before, `${label} changed a built-in prototype`);
        }
        // Every outcome must be exercised, or the fuzzer tests nothing.
        assert.ok(verdicts.block > 100 && verdicts.allow > 100, JSON.stringify(verdicts));
        for (const k of ["identity", "trust", "input-error"]) assert.ok((kinds.get(k) ?? 0) > 50, `${k}: ${JSON.stringify([...kinds])}`);
    });
});
