import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { loadPlainYaml } from "../stacks/input/yaml-fast";

const ROOT = path.resolve(__dirname, "..");

/** What the full parser (`yaml`, core schema) reads. */
const full = (text: string): unknown => parse(text, { schema: "core", uniqueKeys: true });

describe("stacks/yaml-fast: the fast path reads exactly what the full parser reads", function () {
    it("on every shipped stack file and org fixture", () => {
        const files = ["Pulumi.dev.yaml", "Pulumi.prod.yaml", "stacks/orgs/example.yaml"];
        for (const f of files) {
            const text = fs.readFileSync(path.join(ROOT, f), "utf8");
            const fast = loadPlainYaml(text);
            assert.notEqual(fast, undefined, `${f} took the slow path`);
            assert.deepEqual(fast, full(text), f);
        }
    });

    it("on scalars whose type differs between YAML versions", () => {
        const text = [
            "a: 2027-01-31", "b: 2027-01-31T00:00:00Z", "c: yes", "d: no", "e: on", "f: 0123", "g: 0o17", "h: 0x1F",
            "i: 081000000002", "j: 1e3", "k: .inf", "l: ~", "m: null", "n: True", "o: '007'", "p: 12345678901234567890",
            "r: +5", "s: 1_000", "t: \"s3:*\"", "u: arn:aws:s3:::bucket/*", "v: [a, {b: c}]", "w: |\n  line1\n  line2",
        ].join("\n");
        const fast = loadPlainYaml(text);
        assert.notEqual(fast, undefined);
        assert.deepEqual(fast, full(text));
    });

    it("leaves anchors, aliases, tags, duplicate keys and bad syntax to the full parser", () => {
        for (const text of ["a: &x 1\nb: *x", "a: !!str 1", "a: 1\na: 2", "a: [unclosed", "<<: *base"]) {
            assert.equal(loadPlainYaml(text), undefined, text);
        }
        const deep = `a: ${"[".repeat(20_000)}${"]".repeat(20_000)}`;
        assert.equal(loadPlainYaml(deep), undefined, "hostile nesting");
    });
});
