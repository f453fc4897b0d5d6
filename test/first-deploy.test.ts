import { strict as assert } from "assert";
import { pollUntilFound } from "../components/waitFor";
import { groupNeverAppearedMessage, isGroupNotFound } from "../components/federatedGroup";
import { runWith, stackConfig } from "./helpers";
import { realShapesAws } from "../offline";
const { identityStoreAccessDenied, identityStoreGroupNotFound } = realShapesAws;

const GET_GROUP = "aws:identitystore/getGroup:getGroup";

/** A fake clock whose sleep advances time instantly; records each delay. */
function fakeClock() {
    let t = 0;
    const delays: number[] = [];
    return {
        delays,
        now: () => t,
        sleep: async (ms: number) => {
            delays.push(ms);
            t += ms;
        },
    };
}

/** An identity-store lookup that misses `misses` times per group, then finds it. */
function appearsAfter(misses: number) {
    const calls = new Map<string, number>();
    const handler = (inputs: Record<string, unknown>) => {
        const dn = (inputs.alternateIdentifier as { uniqueAttribute: { attributeValue: string } }).uniqueAttribute.attributeValue;
        const n = (calls.get(dn) ?? 0) + 1;
        calls.set(dn, n);
        if (n <= misses) throw new Error(identityStoreGroupNotFound(String(inputs.identityStoreId)));
        return { id: dn, groupId: `ic-${dn}`, displayName: dn, description: "", externalIds: [], identityStoreId: inputs.identityStoreId };
    };
    return { calls, handler };
}

describe("first deploy: the Identity Center group appears after SCIM provisions it", function () {
    it("succeeds when the group appears after several polls (backoff doubles, bounded)", async () => {
        const clock = fakeClock();
        const lookup = appearsAfter(4);
        const run = await runWith("prod", stackConfig("prod"), {
            preview: false,
            invokes: new Map([[GET_GROUP, lookup.handler]]),
            poll: { sleep: clock.sleep, now: clock.now },
        });
        const ids = run.outputs.groupIds as Record<string, string>;
        assert.equal(ids.developers, "ic-AWS-Prod-Developers");
        assert.equal(lookup.calls.get("AWS-Prod-Developers"), 5);
        // Six groups × four misses; first delay 5 s (PT5S default), doubling.
        assert.deepEqual(clock.delays.slice(0, 4).map((d) => d >= 5000), [true, true, true, true]);
        const assignments = run.resources.filter((r) => r.type === "aws:ssoadmin/accountAssignment:AccountAssignment");
        assert.ok(assignments.some((a) => a.props.principalId === "ic-AWS-Prod-Developers"));
    });

    it("fails after the timeout with a message that says what to check", async () => {
        const clock = fakeClock();
        const config = stackConfig("prod");
        (config["idfed:entra"] as { scim: Record<string, unknown> }).scim.groupWaitTimeout = "PT2M";
        const never = (i: Record<string, unknown>) => {
            throw new Error(identityStoreGroupNotFound(String(i.identityStoreId)));
        };
        await assert.rejects(
            runWith("prod", config, { preview: false, invokes: new Map([[GET_GROUP, never]]), poll: { sleep: clock.sleep, now: clock.now } }),
            (err: Error) => {
                assert.match(err.message, /did not appear in identity store d-906700a1b2/);
                assert.match(err.message, /over 120 s/);
                assert.match(err.message, /SCIM token/);
                assert.match(err.message, /provisioning job/);
                assert.match(err.message, /assigned to the app/);
                return true;
            });
        assert.ok(clock.now() >= 120_000 && clock.now() < 6 * 200_000, `clock at ${clock.now()}`);
    });

    it("does not retry errors that waiting cannot fix", async () => {
        let calls = 0;
        // The provider's real access-denied text contains "not … Group": it must not read as "not provisioned yet".
        const denied = (i: Record<string, unknown>) => {
            calls++;
            throw new Error(identityStoreAccessDenied(String(i.identityStoreId), "arn:aws:sts::111111111111:assumed-role/idfed-deploy/ci"));
        };
        const clock = fakeClock();
        await assert.rejects(runWith("prod", stackConfig("prod"), { preview: false, invokes: new Map([[GET_GROUP, denied]]), poll: { sleep: clock.sleep, now: clock.now } }),
            /was denied \(`identitystore:GetGroupId`\).*identitystore:DescribeGroup/s);
        assert.equal(clock.delays.length, 0, "waited on an access error");
        assert.ok(calls <= 6, `retried an access error ${calls} times`);
    });

    it("a preview never waits: one lookup per group, unknown id when not provisioned yet", async () => {
        const lookup = appearsAfter(100);
        const run = await runWith("prod", stackConfig("prod"), { preview: true, invokes: new Map([[GET_GROUP, lookup.handler]]) });
        assert.ok([...lookup.calls.values()].every((n) => n === 1));
        const a = run.resources.find((r) => r.type === "aws:ssoadmin/accountAssignment:AccountAssignment");
        assert.ok(a !== undefined, "assignments are still planned");
    });
});

describe("pollUntilFound", function () {
    it("stops at the timeout with the attempt count", async () => {
        const clock = fakeClock();
        const r = await pollUntilFound(async () => undefined, { timeoutMs: 10_000, initialDelayMs: 1000, sleep: clock.sleep, now: clock.now });
        assert.equal(r.found, false);
        assert.deepEqual(clock.delays, [1000, 2000, 4000, 3000]);
        assert.equal(r.attempts, 5);
    });

    it("caps one delay at maxDelayMs", async () => {
        const clock = fakeClock();
        await pollUntilFound(async () => undefined, { timeoutMs: 100_000, initialDelayMs: 10_000, maxDelayMs: 15_000, sleep: clock.sleep, now: clock.now });
        assert.ok(clock.delays.every((d) => d <= 15_000));
    });

    it("classifies not-found errors and writes an actionable message", () => {
        assert.ok(isGroupNotFound(new Error("ResourceNotFoundException: x")));
        assert.ok(!isGroupNotFound(new Error("AccessDeniedException")));
        const m = groupNeverAppearedMessage("oncall", "AWS-OnCall", "d-1", 7, 600, false);
        assert.match(m, /idfed:groups\.oncall/);
        assert.match(m, /groupWaitTimeout/);
        assert.match(groupNeverAppearedMessage("oncall", "AWS-OnCall", "d-1", 7, 600, true), /provisionOnDemandRuleId/);
        assert.ok(!isGroupNotFound(new Error(identityStoreAccessDenied("d-1", "arn:aws:iam::111111111111:user/x"))));
        assert.ok(isGroupNotFound(new Error(identityStoreGroupNotFound("d-1"))));
    });
});
