/**
 * The runner against the real pack process: started as the CLI starts it, driven over the Analyzer gRPC
 * protocol, with policy config and enforcement levels applied as `--policy-pack-config` would apply them.
 * One pack process per `it` (~10 s each: run-policy-pack type-checks the pack with ts-node, like the CLI).
 */
import * as assert from "assert/strict";
import * as path from "path";
import { runPolicyPackProcessDetailed, PolicyConfigError, CapturedResource, loadPolicyConfigFile } from "idfed-policy-pack/runner";
import { reconcilePolicyConfig } from "idfed-policy-pack/runner/config";
import { buildStack, prodStack, toCaptured } from "./fixtures/policies/stack";
import * as guardrails from "idfed-policy-pack/policies/guardrails";

/** Guardrail policies (break glass, root user) judge resources these fixtures do not model. */
const GUARDRAIL_POLICIES = new Set(Object.values(guardrails).map(p => (p as { name?: string }).name).filter(Boolean));

const PACK = path.join(__dirname, "..", "policy-pack");
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

function broadPolicy(name: string, doc: object): CapturedResource {
    return { urn: `urn:pulumi:prod::idfed::aws:iam/policy:Policy::${name}`, type: "aws:iam/policy:Policy", name, custom: true, props: { name, path: "/", policy: JSON.stringify(doc) } };
}

describe("policy runner: the real pack process over gRPC", function () {
    this.timeout(180_000);
    let today: string | undefined;
    before(() => { today = process.env.IDFED_POLICY_TODAY; process.env.IDFED_POLICY_TODAY = "2026-11-23"; });
    after(() => {
        if (today === undefined) delete process.env.IDFED_POLICY_TODAY;
        else process.env.IDFED_POLICY_TODAY = today;
    });

    it("runs the prod stack clean with the prod policy config, and names violations with levels", async () => {
        const resources = [
            ...toCaptured(buildStack(prodStack()), "prod"),
            broadPolicy("too-broad", { Statement: [{ Effect: "Allow", Action: "s3:*", Resource: "*" }] }),
            { urn: "urn:pulumi:prod::idfed::aws:iam/role:Role::later", type: "aws:iam/role:Role", name: "later", custom: true, props: { assumeRolePolicy: UNKNOWN } },
        ];
        const r = await runPolicyPackProcessDetailed(PACK, resources, {
            stack: "prod", project: "idfed", dryRun: true, config: loadPolicyConfigFile(path.join(PACK, "config", "prod.json")),
        });
        const mandatory = r.violations.filter(v => v.level === "mandatory" && !GUARDRAIL_POLICIES.has(v.policy));
        assert.equal(mandatory.length, 1, JSON.stringify(r.violations, null, 1));
        assert.equal(mandatory[0].policy, "iam-documents");
        assert.equal(mandatory[0].urn, "urn:pulumi:prod::idfed::aws:iam/policy:Policy::too-broad");
        assert.match(mandatory[0].message, /`s3:\*` on `\*` reaches .* `s3:Get\*`/);
        const unknown = r.violations.find(v => v.policy === "trust-policies");
        assert.equal(unknown?.level, "advisory");
        assert.match(unknown?.message ?? "", /cannot judge until apply/);
        assert.ok(r.violations.some(v => v.policy === "expired-grants-in-config" && v.level === "advisory"));
        assert.equal(r.packName, "idfed");
        assert.ok(r.policies.some(p => p.name === "admin-permission-sets" && p.enforcementLevel === "mandatory"));
        console.log(`      runner: ${resources.length} resources, start ${r.timings.startMs} ms, analyze ${r.timings.analyzeMs} ms, analyzeStack ${r.timings.analyzeStackMs} ms`);
    });

    it("applies enforcement levels and properties from config, strict defaults without it", async () => {
        const resources = [...toCaptured(buildStack(prodStack()), "prod"), broadPolicy("too-broad", { Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] })];
        const r = await runPolicyPackProcessDetailed(PACK, resources, {
            stack: "prod", project: "idfed", dryRun: false,
            config: { "iam-documents": "advisory", "admin-permission-sets": { adminGroupKeys: ["platform-admins"] }, "scim-token-expiring": "disabled" },
        });
        const byPolicy = (p: string) => r.violations.filter(v => v.policy === p);
        assert.equal(byPolicy("iam-documents")[0]?.level, "advisory", JSON.stringify(r.violations, null, 1));
        const admin = byPolicy("admin-permission-sets");
        assert.equal(admin.length, 1, JSON.stringify(admin, null, 1));
        assert.match(admin[0].message, /group `security`/);
        // strict defaults elsewhere: no boundary exemptions, no management-account groups
        assert.ok(byPolicy("prod-permission-boundaries").some(v => /`billing`/.test(v.message)));
        assert.ok(byPolicy("management-account-assignments").length > 0);
    });

    it("rejects invalid policy config like the CLI, listing every problem", async () => {
        await assert.rejects(
            runPolicyPackProcessDetailed(PACK, [], { stack: "dev", project: "idfed", dryRun: true, config: { "scim-token-expiring": { scimTokenWarnDays: 0 }, "trust-policies": { trustedAccountIds: ["12"] }, "aws-limits": "sometimes" } }),
            (e: unknown) => e instanceof PolicyConfigError && e.errors.length === 3,
        );
    });
});

describe("policy runner: config reconciliation (pure)", () => {
    const policies = [
        { name: "a", enforcementLevel: "mandatory" as const, schema: { properties: { keys: { type: "array", items: { type: "string" }, default: [] }, days: { type: "integer", default: 30, minimum: 1 } } } },
        { name: "b", enforcementLevel: "advisory" as const },
    ];
    it("fills defaults, then initial, then user config, with `all` first", () => {
        const r = reconcilePolicyConfig(policies, {}, { all: "disabled", a: { keys: ["x"] }, b: "mandatory" });
        assert.deepEqual(r.a, { enforcementLevel: "disabled", properties: { keys: ["x"], days: 30 } });
        assert.deepEqual(r.b, { enforcementLevel: "mandatory", properties: undefined });
    });
    it("validates types and bounds", () => {
        assert.throws(() => reconcilePolicyConfig(policies, {}, { a: { keys: "x", days: 0.5 } }), (e: unknown) => e instanceof PolicyConfigError && e.errors.length === 2);
    });
});
