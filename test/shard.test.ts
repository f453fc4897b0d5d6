import { strict as assert } from "assert";
import { parseShard } from "../stacks/config/shard";
import { Issues } from "../stacks/input/validate";
import { sharedStackOutputs, ProgramRun, PROJECT_ROOT } from "../offline";
import { parseStackConfig } from "../stacks/config/stack-config";
import { ASSIGNMENT, exampleOrg, ofType, registered, runWith, stackConfig } from "./helpers";

/** account/group/permissionSet of every registered assignment, from its name. */
function assignmentKeys(run: ProgramRun): string[] {
    return ofType(run, ASSIGNMENT)
        .map((r) => r.name.replace(/^assignments-/, ""))
        .sort();
}

function shardConfig(shard: Record<string, unknown>): Record<string, unknown> {
    const c = stackConfig("prod");
    c["idfed:shard"] = shard;
    return c;
}

/** Runs an assignments shard with the shared stack's outputs answered as the plan answers them. */
async function runShard(shard: Record<string, unknown>): Promise<ProgramRun> {
    const config = shardConfig(shard);
    const model = parseStackConfig(config, { stackName: "prod", projectRoot: PROJECT_ROOT });
    return runWith("prod", config, { stackOutputs: sharedStackOutputs(model, exampleOrg()) });
}

describe("sharding: one shared stack and assignment shards per top-level OU", function () {
    let single: ProgramRun;
    before(async () => {
        single = await runWith("prod", stackConfig("prod"));
    });

    it("the shared stack owns the app, groups and permission sets, and no assignment", async () => {
        const run = await runWith("prod", shardConfig({ role: "shared" }));
        assert.equal(ofType(run, ASSIGNMENT).length, 0);
        assert.equal(ofType(run, "idfed:aws:AccountAssignments").length, 0);
        assert.equal(ofType(run, "idfed:entra:FederatedGroup").length, 6);
        assert.equal(ofType(run, "idfed:aws:PermissionSet").length, 6);
        assert.deepEqual(Object.keys(run.outputs.groupIds as object).sort(), [
            "billing",
            "developers",
            "oncall",
            "platform-admins",
            "readonly-auditors",
            "security",
        ]);
    });

    it("the shard's view of the shared stack is exactly what the shared stack's own run exports (ids computed once)", async () => {
        const shared = await runWith("prod", shardConfig({ role: "shared" }));
        const model = parseStackConfig(shardConfig({ role: "assignments", sharedStack: "prod-shared", ous: ["ou-ab12-workload"] }), {
            stackName: "prod",
            projectRoot: PROJECT_ROOT,
        });
        const view = sharedStackOutputs(model, exampleOrg()).get("prod-shared") as Record<string, unknown>;
        assert.deepEqual(view.permissionSetArns, shared.outputs.permissionSetArns);
        assert.deepEqual(view.groupIds, shared.outputs.groupIds);
    });

    it("an assignments shard registers only its OUs' assignments, with ids from the shared stack", async () => {
        const run = await runShard({ role: "assignments", sharedStack: "acme/idfed/prod-shared", ous: ["ou-ab12-workload"] });
        assert.equal(ofType(run, "idfed:entra:FederatedGroup").length, 0);
        assert.equal(ofType(run, "idfed:aws:PermissionSet").length, 0);
        assert.deepEqual(
            ofType(run, "pulumi:pulumi:StackReference")
                .map((r) => r.name)
                .sort(),
            ["previous-deployment", "shared"],
        );
        const accounts = new Set(ofType(run, ASSIGNMENT).map((r) => String(r.props.targetId)));
        assert.deepEqual([...accounts].sort(), [
            "700000000001",
            "710000000001",
            "710000000002",
            "710000000003",
            "720000000001",
            "720000000002",
            "720000000003",
        ]);
        const ids = sharedStackOutputs(
            parseStackConfig(shardConfig({ role: "assignments", sharedStack: "acme/idfed/prod-shared", ous: ["ou-ab12-workload"] }), {
                stackName: "prod",
                projectRoot: PROJECT_ROOT,
            }),
            exampleOrg(),
        ).get("acme/idfed/prod-shared") as { groupIds: Record<string, string> };
        const dev = ofType(run, ASSIGNMENT).find((r) => r.name === "assignments-710000000001-developers-developer");
        assert.equal(dev?.props.principalId, ids.groupIds.developers);
    });

    it("shards that partition the org give exactly the single stack's assignments, under the same names", async () => {
        const parts = [["ou-ab12-workload"], ["ou-ab12-security", "ou-ab12-infra001"], ["ou-ab12-sandbox1", "ou-ab12-suspend1"]];
        const keys: string[] = [];
        for (const ous of parts) keys.push(...assignmentKeys(await runShard({ role: "assignments", sharedStack: "prod-shared", ous })));
        keys.push(...assignmentKeys(await runShard({ role: "assignments", sharedStack: "prod-shared", accounts: ["111111111111"] })));
        assert.deepEqual(keys.sort(), assignmentKeys(single));
        assert.equal(new Set(keys).size, keys.length, "shards overlap");
    });

    it("an assignments shard needs no SCIM token, even in prod", async () => {
        const config = shardConfig({ role: "assignments", sharedStack: "prod-shared", ous: ["ou-ab12-security"] });
        delete config["idfed:scimToken"];
        const model = parseStackConfig(config, { stackName: "prod", projectRoot: PROJECT_ROOT });
        const run = await runWith("prod", config, { stackOutputs: sharedStackOutputs(model, exampleOrg()) });
        assert.ok(registered(run).length > 0);
    });

    it("rejects bad shard config with the key named", async () => {
        const issues = new Issues();
        parseShard({ role: "assignment", ous: ["ou-x"] }, "idfed:shard", issues);
        assert.match(issues.list[0].message, /`idfed:shard.role`: `assignment` is not a shard role/);
        const more = new Issues();
        parseShard({ role: "assignments", ous: ["ou-bad"], sharedStack: "a/b/c/d" }, "idfed:shard", more);
        const text = more.list.map((i) => i.message).join("\n");
        assert.match(text, /idfed:shard\.sharedStack/);
        assert.match(text, /idfed:shard\.ous\[0\]/);
        const none = new Issues();
        parseShard({ role: "assignments", sharedStack: "s" }, "idfed:shard", none);
        assert.match(none.list[0].message, /needs `ous` or `accounts`/);
        const shared = new Issues();
        parseShard({ role: "shared", ous: ["ou-ab12-security"] }, "idfed:shard", shared);
        assert.match(shared.list[0].message, /only applies to `role: assignments`/);
        await assert.rejects(
            runShard({ role: "assignments", sharedStack: "s", ous: ["ou-ab12-nothere1"] }),
            /idfed:shard\.ous\[0\].*ou-ab12-nothere1/,
        );
    });
});
