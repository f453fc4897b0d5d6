import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { stringify } from "yaml";
import { planCli } from "../scripts/plan";
import { PlanOutcome, runPlan, CapturedResource } from "../offline";
import { stackConfig } from "./helpers";
import type { StackValidationArgs } from "@pulumi/policy";
import { stackValidationArgs } from "idfed-policy-pack/runner/args";
import { evaluatePolicyPackInProcess } from "idfed-policy-pack/runner/in-process";
import * as guardrailPolicies from "idfed-policy-pack/policies/guardrails";

type StackPolicy = { validateStack(args: StackValidationArgs, report: (message: string, urn?: string) => void): void | Promise<void> };
const NOW = new Date("2026-11-23T00:00:00Z");

/** Runs one stack policy over captured resources, with args from the pack runner's own builder. */
async function stackViolations(policy: StackPolicy, resources: readonly CapturedResource[]): Promise<string[]> {
    const messages: string[] = [];
    const args = stackValidationArgs(resources, { getConfig: (() => ({})) as StackValidationArgs["getConfig"], stackTags: new Map() });
    await policy.validateStack(args, (m) => {
        messages.push(m);
    });
    return messages;
}

describe("guardrails: the prod example's offline plan and the guardrail policies", function () {
    let outcome: PlanOutcome;
    let guardrails: { breakGlassRequired: StackPolicy; rootUserDenied: StackPolicy };
    before(async () => {
        outcome = await runPlan({ stack: "prod", now: NOW, policies: false });
        guardrails = guardrailPolicies as unknown as typeof guardrails;
    });

    it("has no mandatory violation under the pack with the prod policy config", async () => {
        const violations = await evaluatePolicyPackInProcess(outcome.run.resources, {
            stack: "prod",
            project: "idfed",
            dryRun: true,
            today: "2026-11-23",
        });
        const mandatory = violations.filter((v) => v.level === "mandatory");
        assert.deepEqual(mandatory, [], mandatory.map((v) => `${v.policy}: ${v.message}`).join("\n"));
        const guardrailPolicies = [
            "break-glass-required",
            "root-user-denied",
            "stackset-role-trust",
            "trust-policies",
            "service-control-policies",
        ];
        assert.deepEqual(
            violations.filter((v) => guardrailPolicies.includes(v.policy)),
            [],
        );
    });

    it("break-glass-required: passes with the protected break-glass users", async () => {
        assert.deepEqual(await stackViolations(guardrails.breakGlassRequired, outcome.run.resources), []);
    });

    it("break-glass-required: fails prod when break-glass is missing", async () => {
        const bg = outcome.run.resources.filter((r) => r.type === "idfed:guardrails:BreakGlass").map((r) => r.urn);
        const without = outcome.run.resources.filter((r) => !bg.includes(r.urn) && !bg.includes(r.parent ?? ""));
        const v = await stackViolations(guardrails.breakGlassRequired, without);
        assert.equal(v.length, 1);
        assert.match(v[0], /has no break-glass path/);
    });

    it("break-glass-required: fails when a break-glass user is not protected or has an access key", async () => {
        const user = outcome.run.resources.find((r) => r.type === "aws:iam/user:User" && r.props.name === "breakglass-1")!;
        const key: CapturedResource = {
            urn: `${user.urn}-key`,
            type: "aws:iam/accessKey:AccessKey",
            name: "bg1-key",
            custom: true,
            protect: false,
            props: { user: "breakglass-1" },
        };
        const mutated = [...outcome.run.resources.map((r) => (r === user ? { ...r, protect: false } : r)), key];
        const v = await stackViolations(guardrails.breakGlassRequired, mutated);
        assert.equal(v.length, 2, v.join("\n"));
        assert.ok(v.some((m) => m.includes("`breakglass-1` is not protected")));
        assert.ok(v.some((m) => m.includes("has an access key")));
    });

    it("break-glass-required: dev is not required to have break-glass", async () => {
        const dev = outcome.run.resources
            .map((r) => (r.type === "idfed:aws:AccountAssignments" ? { ...r, outputs: { ...r.outputs, environment: "dev" } } : r))
            .filter((r) => r.type !== "aws:iam/user:User");
        assert.deepEqual(await stackViolations(guardrails.breakGlassRequired, dev), []);
    });

    it("root-user-denied: sees the attached root-deny SCP, and reports its absence", async () => {
        assert.deepEqual(await stackViolations(guardrails.rootUserDenied, outcome.run.resources), []);
        const noScp = outcome.run.resources.filter((r) => r.type !== "aws:organizations/policy:Policy");
        assert.match((await stackViolations(guardrails.rootUserDenied, noScp))[0], /no attached SCP denies/);
    });
});

describe("guardrails: bad config for each component exits 2 from the plan naming the key", function () {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "idfed-guardrails-bad-"));
    after(() => fs.rmSync(dir, { recursive: true, force: true }));
    type G = Record<string, Record<string, unknown>>;
    const cases: [string, (g: G) => void, string[]][] = [
        [
            "rootLockdown",
            (g) => {
                g.rootLockdown.targets = ["r-"];
            },
            ["idfed:guardrails.rootLockdown.targets[0]", "r-"],
        ],
        [
            "iamUsers",
            (g) => {
                g.iamUsers = { enabled: true, passwordPolicy: { minimumLength: 10 } };
            },
            ["idfed:guardrails.iamUsers.passwordPolicy.minimumLength", "10"],
        ],
        [
            "crossAccountRoles",
            (g) => {
                g.crossAccountRoles = { enabled: true, roles: { x: { targetAccountId: "72000000001", sourceAccounts: ["710000000001"] } } };
            },
            ["idfed:guardrails.crossAccountRoles.roles.x.targetAccountId", "72000000001"],
        ],
        [
            "samlStackSets",
            (g) => {
                g.samlStackSets.metadataFile = "stacks/saml/missing.xml";
            },
            ["idfed:guardrails.samlStackSets.metadataFile", "stacks/saml/missing.xml"],
        ],
        [
            "jit",
            (g) => {
                (g.jit.pim as G).oncall.eligibleMembers = ["alice@example.com"];
            },
            ["idfed:guardrails.jit.pim.oncall.eligibleMembers[0]", "alice@example.com"],
        ],
        [
            "audit",
            (g) => {
                g.audit.trailName = "1 trail";
            },
            ["idfed:guardrails.audit.trailName", "1 trail"],
        ],
        [
            "breakGlass",
            (g) => {
                g.breakGlass.users = [];
            },
            ["idfed:guardrails.breakGlass.users"],
        ],
        [
            "unknown section",
            (g) => {
                g.rootLockDown = {};
            },
            ["idfed:guardrails.rootLockDown", "rootLockdown"],
        ],
    ];
    for (const [name, mutate, expect] of cases) {
        it(name, async () => {
            const config = stackConfig("prod");
            mutate(config["idfed:guardrails"] as G);
            const file = path.join(dir, `${name.replace(/\W/g, "-")}.yaml`);
            fs.writeFileSync(file, stringify({ config }));
            let stdout = "";
            let stderr = "";
            const code = await planCli(
                ["--stack", "prod", "--config", file],
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
            assert.equal(code, 2, `exit ${code}; stderr:\n${stderr}`);
            assert.equal(stdout, "");
            for (const s of expect) assert.ok(stderr.includes(s), `message lacks ${JSON.stringify(s)}:\n${stderr}`);
        });
    }
});
