/**
 * Fuzzing the stack config: ≥ 500 seeded mutations of Pulumi.dev.yaml / Pulumi.prod.yaml (types swapped, keys
 * dropped, duplicated or misspelt, huge values, unicode, `__proto__`/`constructor`/`prototype` keys, nulls,
 * deep nesting). Each ends with a ConfigError whose every problem names a key path in backticks, or a valid
 * model whose grants expand — never another exception, a hang or a polluted prototype. A sample also goes
 * through the whole offline plan (`planCli`, in-process): exit 0, 1 or 2, never a stack trace.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { planCli } from "../scripts/plan";
import { PROJECT_ROOT, toRuntimeConfig } from "../offline";
import { parseStackConfig } from "../stacks/config/stack-config";
import { expandGrants } from "../stacks/org/expand";
import { ConfigError, StackModel } from "../stacks/model";
import { Json, mutate, prototypeSnapshot, Rng } from "./fuzz/mutate";
import { orgOf, stackConfig } from "./helpers";

const CASES = 500;
const NOW = new Date("2026-11-23T00:00:00Z");
/** A case slower than this counts as a hang (the parser is linear; the slowest seen is ~50 ms). */
const MAX_CASE_MS = 3_000;
const STACK_TRACE = /\n\s+at .+\(.+:\d+:\d+\)/;

interface FuzzCase {
    seed: number;
    stack: "dev" | "prod";
    config: Record<string, Json>;
    mutations: string[];
    /** Passed as the runtime passes config (JSON strings) rather than as parsed YAML values. */
    asStrings: boolean;
}

/** Case `seed`: 1–3 mutations of one of the two stack configs. */
function fuzzCase(seed: number): FuzzCase {
    const rng = new Rng(seed * 7919 + 17);
    const stack = rng.float() < 0.5 ? "dev" : "prod";
    const config = stackConfig(stack) as Record<string, Json>;
    const mutations: string[] = [];
    for (let i = 1 + rng.int(3); i > 0; i--) mutations.push(mutate(config, rng));
    return { seed, stack, config, mutations, asStrings: rng.float() < 0.3 };
}

type Outcome = { kind: "valid"; model: StackModel; grants: number } | { kind: "invalid"; error: ConfigError };

/** parseStackConfig + expandGrants; anything but a ConfigError propagates. */
function judge(c: FuzzCase): Outcome {
    const raw = c.asStrings ? toRuntimeConfig(c.config) : c.config;
    const org = orgOf(c.stack);
    try {
        const model = parseStackConfig(raw, { stackName: c.stack, projectRoot: PROJECT_ROOT, now: NOW });
        return { kind: "valid", model, grants: expandGrants(model, org, NOW).grants.length };
    } catch (e) {
        if (e instanceof ConfigError) return { kind: "invalid", error: e };
        throw e;
    }
}

function label(c: FuzzCase): string {
    return `case ${c.seed} (${c.stack}${c.asStrings ? ", as JSON strings" : ""}: ${c.mutations.join("; ")})`;
}

describe("fuzz: stack config", function () {
    this.timeout(120_000);
    const before = prototypeSnapshot();
    const outcomes: { c: FuzzCase; o: Outcome }[] = [];

    it(`${CASES} mutated configs end in a clear ConfigError or a valid model, without hangs or pollution`, () => {
        let invalid = 0;
        for (let seed = 0; seed < CASES; seed++) {
            const c = fuzzCase(seed);
            const t0 = Date.now();
            let o: Outcome;
            try {
                o = judge(c);
            } catch (e) {
                assert.fail(`${label(c)} threw ${e instanceof Error ? `${e.name}: ${e.message}\n${e.stack}` : String(e)}`);
            }
            const ms = Date.now() - t0;
            assert.ok(ms < MAX_CASE_MS, `${label(c)} took ${ms} ms`);
            assert.equal(prototypeSnapshot(), before, `${label(c)} changed a built-in prototype`);
            assert.equal(({} as Record<string, unknown>).polluted, undefined, `${label(c)} polluted Object.prototype`);
            if (o.kind === "invalid") {
                invalid++;
                assert.ok(o.error.issues.length > 0, `${label(c)}: ConfigError without issues`);
                for (const issue of o.error.issues) {
                    assert.match(
                        issue.message,
                        /^`[^`]+`/,
                        `${label(c)}: message does not start with a key path in backticks: ${issue.message}`,
                    );
                    assert.ok(!/internal error/i.test(issue.message), `${label(c)}: ${issue.message}`);
                    assert.ok(issue.message.length <= 2_000, `${label(c)}: message of ${issue.message.length} characters`);
                }
                assert.ok(!STACK_TRACE.test(o.error.message), `${label(c)}: stack trace in the message`);
            }
            outcomes.push({ c, o });
        }
        // The mutations must exercise both outcomes, or the fuzzer tests nothing.
        assert.ok(invalid > CASES / 2, `only ${invalid} of ${CASES} cases were invalid`);
        assert.ok(CASES - invalid > 10, `only ${CASES - invalid} of ${CASES} cases were valid`);
    });

    it("the offline plan (in-process) exits 0, 1 or 2 on a sample, with no stack trace", async () => {
        assert.ok(outcomes.length === CASES, "the first test did not complete");
        // A valid config starts the policy pack (~10–15 s), so the sample is one valid config and 14 invalid ones.
        const valid = outcomes.filter((x) => x.o.kind === "valid").slice(0, 1);
        const invalid = outcomes
            .filter((x) => x.o.kind === "invalid")
            .filter((_, i) => i % 29 === 0)
            .slice(0, 14);
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "idfed-fuzz-"));
        try {
            for (const { c, o } of [...valid, ...invalid]) {
                const file = path.join(dir, `case-${c.seed}.yaml`);
                // JSON is YAML: written natively, so the test's own writer never limits how deep a case goes.
                fs.writeFileSync(file, JSON.stringify({ config: c.config }));
                let stdout = "";
                let stderr = "";
                const code = await planCli(
                    ["--stack", c.stack, "--config", file, "--format", "json"],
                    {
                        stdout: (t) => {
                            stdout += t;
                        },
                        stderr: (t) => {
                            stderr += t;
                        },
                    },
                    { now: NOW },
                );
                assert.ok([0, 1, 2].includes(code), `${label(c)}: exit ${code}\n${stderr}`);
                assert.ok(!STACK_TRACE.test(stderr), `${label(c)}: stack trace\n${stderr}`);
                if (o.kind === "invalid") {
                    assert.equal(code, 2, `${label(c)}: invalid config but exit ${code}\n${stderr}`);
                    assert.match(stderr, /`[^`]+`/, `${label(c)}: no key path in\n${stderr}`);
                } else {
                    assert.ok(code === 0 || code === 1, `${label(c)}: valid config but exit ${code}\n${stderr}`);
                    assert.equal((JSON.parse(stdout) as { access: unknown[] }).access.length, o.grants);
                }
            }
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
        assert.equal(prototypeSnapshot(), before);
    });
});
