/**
 * The in-process evaluation of the pack (policy-pack/runner/in-process.ts, what the benchmark measures) is the
 * pack process over gRPC (what the offline plan and the CLI run), verdict for verdict: on the prod example's
 * captured resources and on fixtures that exercise levels from config, `disabled`, `remediate`, stack tags,
 * preview unknowns and strict defaults.
 */
import * as assert from "assert/strict";
import * as path from "path";
import { CapturedResource, RunOptions, Violation, runPolicyPackProcess } from "idfed-policy-pack/runner";
import { evaluatePolicyPackInProcess, evaluatePolicyPackInProcessDetailed } from "idfed-policy-pack/runner/in-process";
import { runPlan } from "../offline/plan/plan-run";
import { buildStack, prodStack, toCaptured } from "./fixtures/policies/stack";

const PACK = path.join(__dirname, "..", "policy-pack");
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const NOW = new Date("2026-11-23T00:00:00Z");

const key = (v: Violation) => `${v.urn ?? ""}\u0000${v.policy}\u0000${v.level}\u0000${v.message}`;
const sorted = (vs: readonly Violation[]) => [...vs].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));

async function bothPaths(resources: readonly CapturedResource[], opts: Omit<RunOptions, "started" | "startTimeoutMs">): Promise<Violation[]> {
    const [viaProcess, inProcess] = [await runPolicyPackProcess(PACK, resources, opts), await evaluatePolicyPackInProcess(resources, opts)];
    assert.deepEqual(sorted(inProcess), sorted(viaProcess));
    // Same order too: both end with the runner's dedupe-and-sort.
    assert.deepEqual(inProcess, viaProcess);
    return inProcess;
}

function resource(type: string, name: string, props: Record<string, unknown>, stack = "prod"): CapturedResource {
    return { urn: `urn:pulumi:${stack}::idfed::${type}::${name}`, type, name, custom: true, props };
}

describe("policy pack in process: the same verdicts as the pack process", function () {
    this.timeout(240_000);
    let today: string | undefined;
    before(() => { today = process.env.IDFED_POLICY_TODAY; process.env.IDFED_POLICY_TODAY = "2026-11-23"; });
    after(() => {
        if (today === undefined) delete process.env.IDFED_POLICY_TODAY;
        else process.env.IDFED_POLICY_TODAY = today;
    });

    let prodResources: CapturedResource[];
    before(async () => {
        prodResources = (await runPlan({ stack: "prod", now: NOW, policies: false })).run.resources as CapturedResource[];
    });

    it("the prod example's captured resources, prod policy config (config/prod.json)", async () => {
        const env = process.env.PULUMI_STACK;
        const vs = await bothPaths(prodResources, { stack: "prod", project: "idfed", dryRun: true });
        assert.ok(vs.length > 0, "the prod example has advisories to compare");
        assert.equal(process.env.PULUMI_STACK, env, "the in-process run restores the environment");
        const r = await evaluatePolicyPackInProcessDetailed(prodResources, { stack: "prod", project: "idfed", dryRun: true });
        assert.equal(r.packName, "idfed");
        assert.ok(r.policies.some(p => p.name === "admin-permission-sets" && p.enforcementLevel === "mandatory"));
    });

    it("the prod example under strict defaults, as an update, with stack tags", async () => {
        const vs = await bothPaths(prodResources, { stack: "prod", project: "idfed", dryRun: false, config: {}, tags: { environment: "prod" } });
        assert.ok(vs.some(v => v.level === "mandatory"), "strict defaults block something to compare");
    });

    it("fixtures: levels from config, disabled, remediate, unknowns, every resource policy", async () => {
        const doc = (s: object) => JSON.stringify({ Version: "2012-10-17", Statement: [s] });
        const resources = [
            ...toCaptured(buildStack(prodStack()), "dev"),
            resource("aws:iam/policy:Policy", "too-broad", { name: "too-broad", path: "/", policy: doc({ Effect: "Allow", Action: "s3:*", Resource: "*" }) }, "dev"),
            resource("aws:iam/role:Role", "later", { assumeRolePolicy: UNKNOWN, inlinePolicies: [{ name: "x", policy: doc({ Effect: "Allow", Action: "iam:PassRole", Resource: "*" }) }] }, "dev"),
            resource("aws:iam/role:Role", "open", { name: "r".repeat(70), assumeRolePolicy: doc({ Effect: "Allow", Principal: "*", Action: "sts:AssumeRole" }) }, "dev"),
            resource("aws:organizations/policy:Policy", "scp", { type: "SERVICE_CONTROL_POLICY", content: doc({ Effect: "Deny", Action: "cloudtrail:StopLoging", Resource: "*" }) }, "dev"),
            resource("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "att", { role: "r", policyArn: "arn:aws:iam::aws:policy/AmazonBraketFullAccess" }, "dev"),
            resource("aws:ssoadmin/permissionSet:PermissionSet", "bad-name", { instanceArn: "x", name: "A".repeat(40), sessionDuration: UNKNOWN }, "dev"),
        ];
        const vs = await bothPaths(resources, {
            stack: "dev", project: "idfed", dryRun: true,
            config: {
                all: "mandatory", "iam-documents": "advisory", "trust-policies": "remediate", "scim-token-expiring": "disabled",
                "admin-permission-sets": { adminGroupKeys: ["platform-admins"] }, "aws-limits": { maxTrustPolicySize: 4096 },
            },
        });
        assert.ok(vs.some(v => v.policy === "iam-documents" && v.level === "advisory"));
        assert.ok(vs.some(v => v.policy === "trust-policies" && v.level === "mandatory"));
        assert.ok(vs.some(v => /can't run policy '.*' from policy pack 'idfed@v/.test(v.message) && v.level === "advisory"));
        assert.ok(!vs.some(v => v.policy === "scim-token-expiring"));
    });
});
