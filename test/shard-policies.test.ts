/**
 * Sharding must not switch a policy off: the same config as one stack, and as a shared stack plus an
 * assignments shard, gives the same mandatory verdicts, policy by policy, for every stack policy of the pack.
 * The shard judges the shared stack's permission sets (published as `permissionSetPolicies`) with its grants.
 */
import { strict as assert } from "assert";
import { parseStackConfig } from "../stacks/config/stack-config";
import { CapturedResource, PROJECT_ROOT, sharedStackOutputs } from "../offline";
import { evaluatePolicyPackInProcess } from "idfed-policy-pack/runner/in-process";
import { policies } from "idfed-policy-pack/policies";
import { exampleOrg, runWith, stackConfig } from "./helpers";

type Config = Record<string, unknown>;
type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Names of the pack's stack policies (the rules that see more than one resource). */
const STACK_POLICIES = policies
    .filter((p) => "validateStack" in p)
    .map((p) => p.name)
    .sort();

async function mandatory(resources: readonly CapturedResource[]): Promise<Map<string, string[]>> {
    const vs = await evaluatePolicyPackInProcess(resources, { stack: "prod", project: "idfed", dryRun: true });
    const out = new Map<string, string[]>();
    for (const v of vs.filter((x) => x.level === "mandatory")) out.set(v.policy, [...(out.get(v.policy) ?? []), v.message]);
    return out;
}

/** Mandatory verdicts of the config as one stack, and as a shared stack + one shard owning the whole org. */
async function bothWays(config: Config, shardOutputs?: (o: Record<string, unknown>) => Record<string, unknown>) {
    const single = await mandatory((await runWith("prod", config)).resources);
    const shared = await mandatory((await runWith("prod", { ...config, "idfed:shard": { role: "shared" } })).resources);
    const shardConfig = { ...config, "idfed:shard": { role: "assignments", sharedStack: "acme/idfed/prod-shared", ous: ["r-ab12"] } };
    const model = parseStackConfig(shardConfig, { stackName: "prod", projectRoot: PROJECT_ROOT });
    const outputs = sharedStackOutputs(model, exampleOrg());
    if (shardOutputs) outputs.set("acme/idfed/prod-shared", shardOutputs(outputs.get("acme/idfed/prod-shared")!));
    const shard = await mandatory((await runWith("prod", shardConfig, { stackOutputs: outputs })).resources);
    return { single, split: new Set([...shared.keys(), ...shard.keys()]), shard };
}

/** A prod config that breaks every stack rule config can break. */
function violating(): Config {
    const c = stackConfig("prod") as Obj;
    const ps = c["idfed:permissionSets"];
    const rules = c["idfed:assignments"] as Obj[];
    // admin-permission-sets: an admin-level set for a group outside adminGroupKeys.
    rules.push({ group: "developers", permissionSet: "admin", ous: ["ou-ab12-wkdev001"] });
    // management-account-assignments: the management account for a group not allow-listed.
    rules.push({ group: "readonly-auditors", permissionSet: "read-only", accounts: ["111111111111"] });
    // permission-set-documents + prod-permission-boundaries: broad writes on `*`, no boundary.
    ps.broad = {
        name: "Broad",
        managedPolicies: [],
        inlinePolicy: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: ["iam:*", "s3:*"], Resource: "*" }] },
    };
    rules.push({ group: "oncall", permissionSet: "broad", ous: ["ou-ab12-sandbox1"] });
    // aws-limits-per-permission-set: more managed policies than the role quota (10).
    ps["read-only"].managedPolicies = [
        "ReadOnlyAccess",
        "SecurityAudit",
        "job-function/ViewOnlyAccess",
        "AmazonS3ReadOnlyAccess",
        "AmazonEC2ReadOnlyAccess",
        "CloudWatchReadOnlyAccess",
        "AmazonRDSReadOnlyAccess",
        "AmazonDynamoDBReadOnlyAccess",
        "AmazonSQSReadOnlyAccess",
        "AmazonSNSReadOnlyAccess",
        "IAMReadOnlyAccess",
    ].map((n) => `arn:aws:iam::aws:policy/${n}`);
    return c;
}

describe("sharding keeps every stack policy: one stack vs shared stack + assignments shard", function () {
    this.timeout(300_000);
    let today: string | undefined;
    before(() => {
        today = process.env.IDFED_POLICY_TODAY;
        process.env.IDFED_POLICY_TODAY = "2026-11-23";
    });
    after(() => {
        if (today === undefined) delete process.env.IDFED_POLICY_TODAY;
        else process.env.IDFED_POLICY_TODAY = today;
    });

    it("the same mandatory verdict, policy by policy, on a config that breaks the cross-resource rules", async () => {
        const { single, split } = await bothWays(violating());
        for (const p of [
            "admin-permission-sets",
            "management-account-assignments",
            "permission-set-documents",
            "prod-permission-boundaries",
            "aws-limits-per-permission-set",
        ]) {
            assert.ok(single.has(p), `the single stack should violate ${p}: ${[...single.keys()].join(", ")}`);
        }
        for (const p of STACK_POLICIES) {
            assert.equal(
                split.has(p),
                single.has(p),
                `${p}: one stack ${single.has(p) ? "blocks" : "passes"}, ` + `shared + shard ${split.has(p) ? "block" : "pass"}`,
            );
        }
    });

    it("the same (clean) verdict on the prod example", async () => {
        const { single, split } = await bothWays(stackConfig("prod"));
        for (const p of STACK_POLICIES) assert.equal(split.has(p), single.has(p), p);
    });

    it("a shard whose shared stack publishes no permission set policies refuses the grants it cannot judge", async () => {
        const { shard } = await bothWays(stackConfig("prod"), (o) => {
            const { permissionSetPolicies: _drop, ...rest } = o;
            return rest;
        });
        assert.match(
            (shard.get("admin-permission-sets") ?? []).join("\n"),
            /`developer` is granted here but its policies are not in this stack/,
        );
    });
});
