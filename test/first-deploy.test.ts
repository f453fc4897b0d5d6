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

/**
 * The first deploy, end to end: the program fails (exit of `pulumi up`) with the group wait's message when SCIM never
 * provisions a group. The wait itself (backoff, preview, access errors) is tested on one group in
 * test/components/federatedGroup.test.ts.
 */
describe("first deploy: the Identity Center group appears after SCIM provisions it (golden)", function () {
    it("fails after the timeout with a message that says what to check", async () => {
        const clock = fakeClock();
        const config = stackConfig("prod");
        (config["idfed:entra"] as { scim: Record<string, unknown> }).scim.groupWaitTimeout = "PT2M";
        const never = (i: Record<string, unknown>) => {
            throw new Error(identityStoreGroupNotFound(String(i.identityStoreId)));
        };
        await assert.rejects(
            runWith("prod", config, {
                preview: false,
                invokes: new Map([[GET_GROUP, never]]),
                poll: { sleep: clock.sleep, now: clock.now },
                log: () => undefined,
            }),
            (err: Error) => {
                assert.match(err.message, /did not appear in identity store d-906700a1b2/);
                assert.match(err.message, /over 120 s/);
                assert.match(err.message, /SCIM token/);
                assert.match(err.message, /provisioning job/);
                assert.match(err.message, /assigned to the app/);
                return true;
            },
        );
        assert.ok(clock.now() >= 120_000 && clock.now() < 6 * 200_000, `clock at ${clock.now()}`);
    });
});

describe("pollUntilFound", function () {
    it("stops at the timeout with the attempt count", async () => {
        const clock = fakeClock();
        const r = await pollUntilFound(async () => undefined, {
            timeoutMs: 10_000,
            initialDelayMs: 1000,
            sleep: clock.sleep,
            now: clock.now,
        });
        assert.equal(r.found, false);
        assert.deepEqual(clock.delays, [1000, 2000, 4000, 3000]);
        assert.equal(r.attempts, 5);
    });

    it("caps one delay at maxDelayMs", async () => {
        const clock = fakeClock();
        await pollUntilFound(async () => undefined, {
            timeoutMs: 100_000,
            initialDelayMs: 10_000,
            maxDelayMs: 15_000,
            sleep: clock.sleep,
            now: clock.now,
        });
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
