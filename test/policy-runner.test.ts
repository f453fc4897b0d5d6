/** The runner's config reconciliation (pure); the pack process itself is tested once, in conformance.test.ts. */
import * as assert from "assert/strict";
import { PolicyConfigError } from "idfed-policy-pack/runner";
import { reconcilePolicyConfig } from "idfed-policy-pack/runner/config";

describe("policy runner: config reconciliation (pure)", () => {
    const policies = [
        {
            name: "a",
            enforcementLevel: "mandatory" as const,
            schema: {
                properties: {
                    keys: { type: "array", items: { type: "string" }, default: [] },
                    days: { type: "integer", default: 30, minimum: 1 },
                },
            },
        },
        { name: "b", enforcementLevel: "advisory" as const },
    ];
    it("fills defaults, then initial, then user config, with `all` first", () => {
        const r = reconcilePolicyConfig(policies, {}, { all: "disabled", a: { keys: ["x"] }, b: "mandatory" });
        assert.deepEqual(r.a, { enforcementLevel: "disabled", properties: { keys: ["x"], days: 30 } });
        assert.deepEqual(r.b, { enforcementLevel: "mandatory", properties: undefined });
    });
    it("validates types and bounds", () => {
        assert.throws(
            () => reconcilePolicyConfig(policies, {}, { a: { keys: "x", days: 0.5 } }),
            (e: unknown) =>
                e instanceof PolicyConfigError &&
                JSON.stringify(e.errors) === JSON.stringify(["a: keys must be array", "a: days must be integer", "a: days must be >= 1"]),
        );
    });
});

describe("policy runner: policy config is validated as JSON Schema", () => {
    const policies = [
        {
            name: "p",
            enforcementLevel: "mandatory" as const,
            schema: {
                properties: {
                    ids: { type: "array", items: { type: "string", pattern: "^\\d{12}$" }, uniqueItems: true },
                    mode: { type: "string", enum: ["a", "b"] },
                    nested: { type: "object", properties: { n: { type: "integer", minimum: 1 } }, additionalProperties: false },
                },
                required: ["mode"],
            },
        },
    ];
    const errorsOf = (user: Record<string, unknown>): string[] => {
        try {
            reconcilePolicyConfig(policies, {}, user);
            return [];
        } catch (e) {
            assert.ok(e instanceof PolicyConfigError);
            return e.errors;
        }
    };
    it("accepts a valid config", () => assert.deepEqual(errorsOf({ p: { mode: "a", ids: ["123456789012"], nested: { n: 2 } } }), []));
    it("checks keywords the hand-written subset never knew: uniqueItems, nested objects, additionalProperties", () => {
        const errors = errorsOf({ p: { mode: "a", ids: ["123456789012", "123456789012"], nested: { n: 0, x: 1 } } });
        assert.ok(
            errors.some((e) => /^p: ids .*duplicate/.test(e)),
            errors.join("\n"),
        );
        assert.ok(
            errors.some((e) => /^p: nested\.n must be >= 1/.test(e)),
            errors.join("\n"),
        );
        assert.ok(
            errors.some((e) => /^p: nested must NOT have additional properties/.test(e)),
            errors.join("\n"),
        );
    });
    it("names the property and the allowed values, and a missing required property", () => {
        assert.deepEqual(errorsOf({ p: { mode: "c" } }), ['p: mode must be one of "a", "b"']);
        assert.deepEqual(errorsOf({ p: { ids: [] } }), ["p: mode is required"]);
        assert.match(errorsOf({ p: { mode: "a", ids: ["12"] } })[0], /^p: ids\.0 must match pattern/);
    });
});
