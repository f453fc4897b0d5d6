/**
 * Hostile input, class by class: bounded YAML through the plan CLI (exit 2 naming file and line), empty
 * values (validation and program agree), files outside the repository (symlinks), control characters in
 * names, duplicate keys and oversized documents, and messages that say exactly what is wrong.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { stringify } from "yaml";
import { planCli } from "../scripts/plan";
import { loadStackConfigFile, parseStackConfig } from "../stacks/config/stack-config";
import { ConfigError } from "../stacks/model";
import { parseOrgFixture } from "../stacks/org/fixture";
import { checkDocumentText } from "idfed-policy-pack/analysis/check";
import { findDuplicateKeys } from "idfed-policy-pack/analysis/duplicate-keys";
import { DENY_SECRETS, validRaw } from "./fixtures/stacks-config";
import { runWith, stackConfig } from "./helpers";

async function plan(argv: string[]): Promise<{ code: number; out: string; err: string }> {
    let out = "";
    let err = "";
    const code = await planCli([...argv, "--at", "2026-11-23T00:00:00Z"], {
        stdout: (t) => {
            out += t;
        },
        stderr: (t) => {
            err += t;
        },
    });
    return { code, out, err };
}

/** The ConfigError of `fn`, or a failed assertion. */
function configError(fn: () => unknown): ConfigError {
    try {
        fn();
    } catch (e) {
        if (e instanceof ConfigError) return e;
        throw e;
    }
    assert.fail("expected a ConfigError");
}

describe("hostile input", function () {
    this.timeout(120_000);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "idfed-hostile-in-"));
    after(() => fs.rmSync(dir, { recursive: true, force: true }));
    const write = (name: string, text: string): string => {
        const f = path.join(dir, name);
        fs.mkdirSync(path.dirname(f), { recursive: true });
        fs.writeFileSync(f, text);
        return f;
    };

    describe("YAML through the plan CLI: exit 2 naming file and line, never a crash", () => {
        const laughs = (flow: boolean) =>
            "config:\n  idfed:environment: dev\n  a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" +
            Array.from({ length: 9 }, (_, i) =>
                flow
                    ? `  a${i + 1}: &a${i + 1} [${Array(9).fill(`*a${i}`).join(", ")}]\n`
                    : `  a${i + 1}: &a${i + 1}\n${Array(9).fill(`    - *a${i}\n`).join("")}`,
            ).join("");
        for (const [name, text, re] of [
            ["stack config, flow-syntax alias bomb", laughs(true), /Pulumi\.bomb\.yaml:\d+`: aliases expand/],
            ["stack config, block-syntax alias bomb", laughs(false), /Pulumi\.bomb\.yaml:\d+`: aliases expand/],
            [
                "stack config, self-referencing alias",
                "config:\n  idfed:groups: &g { a: *g }\n",
                /Pulumi\.bomb\.yaml:2`: the alias `\*g` refers to a value that contains it/,
            ],
        ] as const) {
            it(name, async () => {
                const r = await plan(["--stack", "dev", "--config", write("Pulumi.bomb.yaml", text)]);
                assert.equal(r.code, 2, r.err);
                assert.match(r.err, re);
                assert.doesNotMatch(r.err, /at .*\.ts:\d+|Maximum call stack/);
            });
        }
        it("org fixture, flow-syntax alias bomb: names the fixture", async () => {
            const org = write(
                "bomb-org.yaml",
                'managementAccountId: "111111111111"\nx0: &x0 [a, a, a, a, a, a, a, a, a]\n' +
                    Array.from({ length: 9 }, (_, i) => `x${i + 1}: &x${i + 1} [${Array(9).fill(`*x${i}`).join(",")}]`).join("\n"),
            );
            const r = await plan(["--stack", "dev", "--org", org]);
            assert.equal(r.code, 2, r.err);
            assert.match(r.err, /invalid org fixture .*bomb-org\.yaml/);
            assert.match(r.err, /bomb-org\.yaml:\d+`: aliases expand/);
        });
        it("a misspelt top-level `config:` key is an error with a did-you-mean", () => {
            const e = configError(() => loadStackConfigFile(write("Pulumi.typo.yaml", "confg:\n  idfed:environment: dev\n")));
            assert.match(e.message, /unknown top-level key `confg`; did you mean `config`\?/);
        });
    });

    describe("empty values: validation and the program agree (exit 2 naming the key)", () => {
        for (const key of ["idfed:assignments", "idfed:guardrails", "idfed:groups"]) {
            it(`\`${key}:\` with nothing after it`, async () => {
                const text = fs
                    .readFileSync(path.join(__dirname, "..", "Pulumi.dev.yaml"), "utf8")
                    .replace(new RegExp(`^  ${key}:[\\s\\S]*?(?=^  idfed:|(?![\\s\\S]))`, "m"), `  ${key}:\n`);
                const r = await plan(["--stack", "dev", "--config", write(`Pulumi.empty-${key.slice(6)}.yaml`, text)]);
                assert.equal(r.code, 2, r.err);
                assert.match(r.err, new RegExp(`\`${key}\`: has no value`));
                // The program itself (what `pulumi up` runs) refuses it with the same message.
                const config = stackConfig("dev");
                config[key] = null;
                await assert.rejects(runWith("dev", config), new RegExp(`\`${key}\`: has no value`));
            });
        }
    });

    describe("files named in config stay inside the repository and are never quoted", () => {
        const root = path.join(dir, "repo");
        const outside = path.join(dir, "outside");
        before(() => {
            fs.mkdirSync(path.join(root, "policies"), { recursive: true });
            fs.mkdirSync(outside, { recursive: true });
            fs.writeFileSync(path.join(root, "policies", "deny-secrets.json"), JSON.stringify(DENY_SECRETS));
            fs.writeFileSync(
                path.join(outside, "secret.json"),
                JSON.stringify({
                    Version: "2012-10-17",
                    Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: "*" }],
                    Leak: "TOPSECRET-OUTSIDE",
                }),
            );
            fs.symlinkSync(path.join(outside, "secret.json"), path.join(root, "policies", "link.json"));
            fs.symlinkSync(outside, path.join(root, "linked-dir"));
            fs.symlinkSync(path.join(outside, "gone.json"), path.join(root, "policies", "dangling.json"));
            fs.writeFileSync(path.join(root, "policies", "not-json.json"), "root:x:0:0:TOPSECRET-INSIDE:/root:/bin/bash");
            fs.writeFileSync(path.join(root, "policies", "not-policy.json"), JSON.stringify({ password: "TOPSECRET-INSIDE" }));
        });
        const withInline = (inlinePolicy: string) => {
            const raw = validRaw() as Record<string, Record<string, Record<string, unknown>>>;
            const key = Object.keys(raw["idfed:permissionSets"])[0];
            raw["idfed:permissionSets"][key].inlinePolicy = inlinePolicy;
            return configError(() => parseStackConfig(raw, { stackName: "prod", projectRoot: root }));
        };
        for (const [name, rel, re] of [
            ["a symlinked file pointing outside", "policies/link.json", /resolves \(through a symbolic link\) outside the repository/],
            ["a file under a symlinked directory pointing outside", "linked-dir/secret.json", /outside the repository/],
            ["a dangling symlink", "policies/dangling.json", /outside the repository/],
            ["a file that is not JSON", "policies/not-json.json", /is not valid JSON( \(at character \d+\))?; its content is not shown/],
            ["a JSON file that is not a policy", "policies/not-policy.json", /is not an IAM policy document .*its content is not shown/],
            ["a NUL byte", "policies/x\u0000.json", /contains a NUL byte/],
            ["`..`", "../outside/secret.json", /escapes the repository/],
        ] as const) {
            it(name, () => {
                const e = withInline(rel);
                assert.match(e.message, re);
                assert.doesNotMatch(e.message, /TOPSECRET|root:x|not absolute/);
            });
        }
    });

    describe("control characters in names are refused at validation", () => {
        for (const [name, bad] of [
            ["ANSI escape", "Admins\u001b[2K"],
            ["newline", "Admins\nInjected"],
            ["NUL", "Admins\u0000"],
            ["bidi override", "Admins\u202etxt"],
            ["line separator", "Admins\u2028x"],
        ] as const) {
            it(`${name} in a group display name and in org account and OU names`, () => {
                const raw = validRaw() as Record<string, Record<string, Record<string, unknown>>>;
                const g = Object.keys(raw["idfed:groups"])[0];
                raw["idfed:groups"][g].displayName = bad;
                const e = configError(() => parseStackConfig(raw, { stackName: "prod", projectRoot: root() }));
                assert.match(e.message, new RegExp(`idfed:groups\\.${g}\\.displayName\`: .* contains the control character U\\+`));
                assert.doesNotMatch(e.message, /[\u0000\u001b\u202e\u2028]/, "the message itself carries the character");
                const org =
                    `managementAccountId: "111111111111"\nidentityStoreId: d-1234567890\ninstanceArn: arn:aws:sso:::instance/ssoins-1234567890abcdef\nroot: r-ab12\n` +
                    `accounts:\n  - { id: "111111111111", name: ${JSON.stringify(bad)} }\nous:\n  - { id: ou-ab12-aaaaaaaa, name: ${JSON.stringify(bad)} }\n`;
                const oe = configError(() => parseOrgFixture(org, "org.yaml"));
                assert.match(oe.message, /accounts\[0\]\.name`: .* contains the control character/);
                assert.match(oe.message, /ous\[0\]\.name`: .* contains the control character/);
            });
        }
        const root = () => path.resolve(__dirname, "..");
    });

    describe("documents: duplicate keys refused, oversized is an error", () => {
        it("finds duplicate keys at any depth, and the checker refuses them whichever value comes last", () => {
            assert.deepEqual(findDuplicateKeys('{"Statement":[{"Effect":"Allow","Effect":"Deny"}],"a":{"b":1,"c":{"b":2},"b":3}}'), [
                { path: "Statement[0]", key: "Effect" },
                { path: "a", key: "b" },
            ]);
            assert.deepEqual(findDuplicateKeys('{"a":"x\\"y","b":["a","a"],"c":{"a":1}}'), []);
            assert.deepEqual(findDuplicateKeys('{"Statement":[{"Effect":"Deny","effect":"Allow"}]}'), [
                { path: "Statement[0]", key: "effect" },
            ]);
            for (const order of [
                ["Allow", "Deny"],
                ["Deny", "Allow"],
            ]) {
                const r = checkDocumentText(
                    `{"Version":"2012-10-17","Statement":[{"Effect":"${order[0]}","Effect":"${order[1]}","Action":"iam:*","Resource":"*"}]}`,
                );
                assert.equal(r.kind, "input-error", JSON.stringify(r));
                assert.match(r.findings[0].message, /duplicate key `Effect` in `Statement\[0\]`/);
            }
        });
        it("an inline policy file with duplicate keys is refused by the stack model", () => {
            const root = fs.mkdtempSync(path.join(dir, "dup-"));
            fs.mkdirSync(path.join(root, "policies"));
            fs.writeFileSync(path.join(root, "policies", "deny-secrets.json"), JSON.stringify(DENY_SECRETS));
            fs.writeFileSync(
                path.join(root, "policies", "dup.json"),
                '{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Effect":"Allow","Action":"*","Resource":"*"}]}',
            );
            const raw = validRaw() as Record<string, Record<string, Record<string, unknown>>>;
            raw["idfed:permissionSets"][Object.keys(raw["idfed:permissionSets"])[0]].inlinePolicy = "policies/dup.json";
            const e = configError(() => parseStackConfig(raw, { stackName: "prod", projectRoot: root }));
            assert.match(e.message, /duplicate key `Effect` in `Statement\[0\]`/);
        });
        it("a document past the largest IAM quota is mandatory; between quotas advisory", () => {
            const doc = (n: number) =>
                JSON.stringify({
                    Version: "2012-10-17",
                    Statement: Array.from({ length: n }, (_, i) => ({
                        Sid: `S${i}`,
                        Effect: "Allow",
                        Action: "s3:GetObject",
                        Resource: `arn:aws:s3:::bucket-${i}/*`,
                    })),
                });
            const mid = checkDocumentText(doc(100)); // ~8,000 characters: past 6,144, under 10,240
            assert.deepEqual(
                mid.findings.filter((f) => f.policy === "aws-limits").map((f) => f.level),
                ["advisory"],
            );
            const huge = checkDocumentText(doc(400));
            assert.deepEqual(
                huge.findings.filter((f) => f.policy === "aws-limits").map((f) => f.level),
                ["mandatory"],
            );
            assert.equal(huge.verdict, "block");
            assert.match(huge.findings.find((f) => f.policy === "aws-limits")?.message ?? "", /no IAM quota exceeds 10240/);
        });
    });

    describe("messages say exactly what is wrong", () => {
        const durationError = (d: string) => {
            const raw = validRaw() as Record<string, Record<string, Record<string, unknown>>>;
            raw["idfed:permissionSets"][Object.keys(raw["idfed:permissionSets"])[0]].sessionDuration = d;
            return configError(() => parseStackConfig(raw, { stackName: "prod", projectRoot: path.resolve(__dirname, "..") })).message;
        };
        it("PT0H is a zero duration, PT12H1S is longer than 12 hours, PT59M shorter than 1", () => {
            assert.match(durationError("PT0H"), /`PT0H` is a zero duration/);
            assert.doesNotMatch(durationError("PT0H"), /not an ISO-8601 duration/);
            assert.match(durationError("PT12H1S"), /`PT12H1S` is 12 h 0 min 1 s, longer than Identity Center allows/);
            assert.match(durationError("PT59M"), /`PT59M` is 59 min, shorter than/);
        });
        it("shard ownership ids must be in the organization", async () => {
            const config = stackConfig("prod");
            config["idfed:shard"] = {
                role: "assignments",
                sharedStack: "prod-shared",
                accounts: ["999999999999"],
                ous: ["ou-ab12-zzzzzzzz"],
            };
            const r = await plan(["--stack", "prod", "--config", write("Pulumi.shard.yaml", stringify({ config }))]);
            assert.equal(r.code, 2, r.err);
            assert.match(r.err, /idfed:shard\.accounts\[0\]`: account `999999999999` is not in the organization/);
            assert.match(r.err, /idfed:shard\.ous\[0\]`: `ou-ab12-zzzzzzzz` is not an OU/);
        });
        it("org fixture problems name the fixture, not the stack", async () => {
            const org = write("bad-org.yaml", 'managementAccountId: "111111111111"\n');
            const r = await plan(["--stack", "dev", "--org", org]);
            assert.equal(r.code, 2, r.err);
            assert.match(r.err, /invalid org fixture .*bad-org\.yaml/);
            assert.doesNotMatch(r.err, /invalid stack dev/);
        });
    });
});
