/**
 * The SDK internals idfed uses sit behind one adapter each: offline/plan/sdk.ts (@pulumi/pulumi's mock monitor
 * and RPC wait), policy-pack/runner/args.ts (@pulumi/policy's type lookup, unknown proxy and deserializer) and
 * policy-pack/runner/proto.ts (the analyzer protocol). These tests fail when an SDK update changes them, before
 * anything subtler breaks.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { sdkPolicy, sdkProxy, propsOf } from "idfed-policy-pack/runner/args";
import { loadProto } from "idfed-policy-pack/runner/proto";
import * as aws from "@pulumi/aws";

const ROOT = path.join(__dirname, "..");
const installed = (pkg: string) =>
    (JSON.parse(fs.readFileSync(require.resolve(`${pkg}/package.json`, { paths: [ROOT] }), "utf8")) as { version: string }).version.replace(
        /^v/,
        "",
    );
const pinned = (file: string, pkg: string) => {
    const p = JSON.parse(fs.readFileSync(path.join(ROOT, file), "utf8")) as { dependencies?: Record<string, string> };
    return p.dependencies?.[pkg];
};

describe("SDK adapters: the internals they wrap still exist", () => {
    it("the installed SDKs are the pinned versions the adapters were written against", () => {
        assert.equal(installed("@pulumi/pulumi"), pinned("package.json", "@pulumi/pulumi"));
        assert.equal(installed("@pulumi/policy"), pinned("policy-pack/package.json", "@pulumi/policy"));
        assert.equal(
            pinned("policy-pack/package.json", "@pulumi/pulumi"),
            pinned("package.json", "@pulumi/pulumi"),
            "program and pack share one SDK",
        );
    });

    it("offline/plan/sdk.ts: the mock monitor's calls and the RPC wait", async () => {
        await pulumi.runtime.setMocks(
            { newResource: (a) => ({ id: `${a.name}-id`, state: a.inputs }), call: () => ({}) },
            "idfed",
            "sdk",
            true,
        );
        const { mockMonitor, waitForRPCs } = require("../offline/plan/sdk") as typeof import("../offline/plan/sdk");
        const m = mockMonitor();
        for (const call of ["readResource", "registerResource", "registerResourceOutputs"] as const)
            assert.equal(typeof m[call], "function");
        await waitForRPCs();
    });

    it("runner/args.ts: @pulumi/policy's type lookup, unknown proxy and deserializer", () => {
        assert.equal(sdkPolicy.getPulumiType(aws.iam.Role), "aws:iam/role:Role");
        assert.equal(typeof sdkPolicy.isResourcePolicy, "function");
        assert.equal(typeof sdkPolicy.isStackPolicy, "function");
        const unknown = propsOf({ a: "04da6b54-80e4-46f7-96ec-b56ff0331ba9", b: 1 });
        assert.equal(unknown.b, 1);
        assert.throws(
            () => unknown.a,
            (e: unknown) => e instanceof sdkProxy.UnknownValueError,
        );
    });

    it("runner/proto.ts: the analyzer protocol messages and client", () => {
        const p = loadProto(path.join(ROOT, "policy-pack"));
        for (const m of [
            "AnalyzeRequest",
            "AnalyzeStackRequest",
            "AnalyzerStackConfigureRequest",
            "ConfigureAnalyzerRequest",
            "PolicyConfig",
        ]) {
            assert.equal(typeof (p.analyzer as Record<string, unknown>)[m], "function", m);
        }
        assert.equal(typeof p.AnalyzerClient, "function");
        assert.ok(fs.existsSync(require.resolve("@pulumi/pulumi/cmd/run-policy-pack", { paths: [path.join(ROOT, "policy-pack")] })));
    });
});
