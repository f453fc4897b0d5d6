/**
 * FederatedGroup (components/federatedGroup.ts) alone, on one group, under the plan's mocks: the Entra group (created
 * or looked up), its app assignment, the provisioning-on-demand request, and the identity-store lookup that waits
 * for SCIM on a first deploy (fake clock), never waits in a preview, and never waits out an access error.
 */
import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";
import { FederatedGroup, FederatedGroupArgs } from "../../components/federatedGroup";
import { fakeGuid, InvokeHandler, mockIdentityStoreGroupId, realShapesAws, realShapesEntra } from "../../offline";
import { construct, constructFails, HarnessOptions } from "./harness";
import { groupModel, IDENTITY_STORE, scimSettings } from "./models";

const T = {
    group: "azuread:index/group:Group",
    assignment: "azuread:index/appRoleAssignment:AppRoleAssignment",
    provision: "azuread:index/synchronizationJobProvisionOnDemand:SynchronizationJobProvisionOnDemand",
} as const;
const GET_GROUP = "aws:identitystore/getGroup:getGroup";
const SP_OBJECT_ID = "5b1c9f0e-0000-4000-8000-00000000005b";
const USER_ROLE = realShapesEntra.SERVICE_PRINCIPAL_APP_ROLES[0].id;
const JOB_ID = "aWSSingleSignon.7f3c1d2e5a4b4c3d9e8f0a1b2c3d4e5f.0000";

function args(over: Partial<FederatedGroupArgs> = {}): FederatedGroupArgs {
    return {
        group: groupModel(),
        identityStoreId: IDENTITY_STORE,
        scim: scimSettings(),
        app: {
            servicePrincipalObjectId: SP_OBJECT_ID,
            servicePrincipalId: `/servicePrincipals/${SP_OBJECT_ID}`,
            appRoleId: USER_ROLE,
            synchronizationJobId: `/servicePrincipals/${SP_OBJECT_ID}/job/${JOB_ID}`,
        },
        ...over,
    };
}

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

/** An identity-store lookup that misses `misses` times, then finds the group; counts the calls. */
function appearsAfter(misses: number) {
    let calls = 0;
    const handler: InvokeHandler = (i) => {
        calls++;
        if (calls <= misses) throw new Error(realShapesAws.identityStoreGroupNotFound(String(i.identityStoreId)));
        const dn = (i.alternateIdentifier as { uniqueAttribute: { attributeValue: string } }).uniqueAttribute.attributeValue;
        return {
            id: `ic-${dn}`,
            groupId: `ic-${dn}`,
            displayName: dn,
            description: "",
            externalIds: [],
            identityStoreId: i.identityStoreId,
        };
    };
    return { handler, calls: () => calls };
}

const lookups = (handler: InvokeHandler, preview = false): HarnessOptions => ({ preview, invokes: new Map([[GET_GROUP, handler]]) });
const groupId = (c: { only(t: string): { outputs?: Record<string, unknown> } }) =>
    c.only("idfed:entra:FederatedGroup").outputs?.identityStoreGroupId;

describe("FederatedGroup (components/federatedGroup.ts)", function () {
    it("a created group: security-enabled, not mail-enabled, unique name; assigned to the app; provisioned on demand by job id", async () => {
        const c = await construct(
            () =>
                new FederatedGroup(
                    "group-developers",
                    args({ group: groupModel("developers", "AWS-Developers", { description: "Engineers" }) }),
                ),
        );
        assert.deepEqual(c.counts(), { "idfed:entra:FederatedGroup": 1, [T.group]: 1, [T.assignment]: 1, [T.provision]: 1 });
        assert.deepEqual(c.only(T.group).props, {
            displayName: "AWS-Developers",
            description: "Engineers",
            securityEnabled: true,
            mailEnabled: false,
            preventDuplicateNames: true,
        });
        const objectId = fakeGuid("azuread:index/group:Group:group-developers");
        assert.deepEqual(c.only(T.assignment).props, { appRoleId: USER_ROLE, principalObjectId: objectId, resourceObjectId: SP_OBJECT_ID });
        assert.equal(c.only(T.assignment).name, "group-developers-app");
        const p = c.only(T.provision);
        assert.equal(p.props.synchronizationJobId, JOB_ID, "the request takes the job id, not the resource id");
        assert.equal(p.props.servicePrincipalId, `/servicePrincipals/${SP_OBJECT_ID}`);
        assert.deepEqual(p.props.parameters, [
            { ruleId: "03f7d90d-bf71-41b1-bda6-aaf0ddbee5d8", subjects: [{ objectId, objectTypeName: "Group" }] },
        ]);
        assert.ok(p.dependencies?.includes(c.only(T.assignment).urn), "provisioned once assigned");
        assert.deepEqual(c.only("idfed:entra:FederatedGroup").outputs, {
            key: "developers",
            entraObjectId: objectId,
            identityStoreGroupId: mockIdentityStoreGroupId("AWS-Developers"),
        });
    });

    it("owners are set on a created group when given", async () => {
        const owners = ["4c1f0e0a-0000-4000-8000-0000000000b1"];
        const c = await construct(() => new FederatedGroup("group-x", args({ group: groupModel("x", "AWS-X", { owners }) })));
        assert.deepEqual(c.only(T.group).props.owners, owners);
    });

    it("an existing group (by object id or by name) is looked up, never created", async () => {
        const byId = await construct(
            () =>
                new FederatedGroup(
                    "group-sec",
                    args({
                        group: groupModel("sec", "AWS-Security", {
                            source: { kind: "existingById", objectId: "0f0e0d0c-0000-4000-8000-000000000001", displayName: "AWS-Security" },
                        }),
                    }),
                ),
        );
        assert.equal(byId.ofType(T.group).length, 0);
        assert.equal(byId.only(T.assignment).props.principalObjectId, "0f0e0d0c-0000-4000-8000-000000000001");
        const byName = await construct(
            () =>
                new FederatedGroup(
                    "group-sec",
                    args({
                        group: groupModel("sec", "AWS-Security", { source: { kind: "existingByName", displayName: "AWS-Security" } }),
                    }),
                ),
        );
        assert.equal(byName.ofType(T.group).length, 0);
        assert.equal(byName.only(T.assignment).props.principalObjectId, fakeGuid("entra-group:AWS-Security"));
        assert.equal(groupId(byName), mockIdentityStoreGroupId("AWS-Security"));
    });

    it("no provisioning-on-demand request without a synchronization job or with the rule id turned off", async () => {
        const noJob = await construct(
            () => new FederatedGroup("group-d", args({ app: { ...args().app, synchronizationJobId: undefined } })),
        );
        const noRule = await construct(() => new FederatedGroup("group-d", args({ scim: scimSettings({ provisionOnDemandRuleId: "" }) })));
        for (const c of [noJob, noRule]) {
            assert.equal(c.ofType(T.provision).length, 0);
            assert.equal(c.ofType(T.assignment).length, 1);
        }
    });

    it("first deploy: waits for SCIM to create the group (backoff from the first delay, doubling), then uses its id", async () => {
        const clock = fakeClock();
        const lookup = appearsAfter(4);
        const log: string[] = [];
        const c = await construct(
            () => new FederatedGroup("group-developers", args({ poll: { sleep: clock.sleep, now: clock.now }, log: (m) => log.push(m) })),
            lookups(lookup.handler),
        );
        assert.equal(groupId(c), "ic-AWS-Developers");
        assert.equal(lookup.calls(), 5);
        assert.deepEqual(clock.delays, [5000, 10000, 20000, 40000], "first delay 5 s (groupWaitInitialDelaySeconds), doubling");
        assert.equal(log.length, 4, "one progress line per miss");
        assert.match(
            log[3],
            /waiting for SCIM to create the Identity Center group "AWS-Developers" \(`idfed:groups\.developers`\): lookup 4 missed, 35 s of 120 s/,
        );
    });

    it("fails after the timeout with a message that says what to check", async () => {
        const clock = fakeClock();
        const never: InvokeHandler = (i) => {
            throw new Error(realShapesAws.identityStoreGroupNotFound(String(i.identityStoreId)));
        };
        const quiet = { poll: { sleep: clock.sleep, now: clock.now }, log: () => undefined };
        const f = await constructFails(() => new FederatedGroup("group-developers", args(quiet)), lookups(never));
        for (const re of [
            /`idfed:groups\.developers`/,
            /did not appear in identity store d-9067000001/,
            /over 120 s/,
            /SCIM token/,
            /provisioning job/,
            /assigned to the app/,
            /provisioning-on-demand request/,
        ]) {
            assert.match(f.error.message, re);
        }
        assert.ok(clock.now() >= 120_000 && clock.now() < 240_000, `clock at ${clock.now()}`);
    });

    it("does not retry errors that waiting cannot fix (access denied names the missing permissions)", async () => {
        let calls = 0;
        const clock = fakeClock();
        const denied: InvokeHandler = (i) => {
            calls++;
            throw new Error(
                realShapesAws.identityStoreAccessDenied(
                    String(i.identityStoreId),
                    "arn:aws:sts::111111111111:assumed-role/idfed-deploy/ci",
                ),
            );
        };
        const f = await constructFails(
            () => new FederatedGroup("group-developers", args({ poll: { sleep: clock.sleep, now: clock.now } })),
            lookups(denied),
        );
        assert.match(f.error.message, /was denied \(`identitystore:GetGroupId`\).*identitystore:DescribeGroup/s);
        assert.deepEqual(clock.delays, [], "waited on an access error");
        assert.equal(calls, 1);
    });

    it("a preview never waits: one lookup, an unknown id while the group is not provisioned", async () => {
        const clock = fakeClock();
        const lookup = appearsAfter(100);
        const c = await construct(
            () => new FederatedGroup("group-developers", args({ poll: { sleep: clock.sleep, now: clock.now } })),
            lookups(lookup.handler, true),
        );
        assert.equal(lookup.calls(), 1);
        assert.deepEqual(clock.delays, []);
        assert.ok(pulumi.isUnknown(groupId(c)), "the id stays unknown until SCIM provisions the group");
    });
});
