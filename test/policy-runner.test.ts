/** The runner's config reconciliation (pure); the pack process itself is tested once, in conformance.test.ts. */
import * as assert from "assert/strict";
import { PolicyConfigError } from "idfed-policy-pack/runner";
import { reconcilePolicyConfig } from "idfed-policy-pack/runner/config";

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
