/**
 * AccountAssignments (components/accountAssignments.ts) alone: one assignment per grant with exact inputs (group
 * principals only), names from (account, group key, permission-set key), the wait on customer-managed policies
 * per permission set, and the grants metadata the policy pack reads.
 */
import { strict as assert } from "assert";
import * as iam from "@pulumi/aws/iam";
import { AccountAssignments, AccountAssignmentsArgs } from "../../components/accountAssignments";
import { construct, constructFails } from "./harness";
import { DEV_MEMBER, grant, INSTANCE_ARN, MANAGEMENT, MEMBER } from "./models";

const ASSIGNMENT = "aws:ssoadmin/accountAssignment:AccountAssignment";
const PS_ARN = `arn:aws:sso:::permissionSet/ssoins-7223000000000001/ps-0000000000000001`;
const PS_ARN_2 = `arn:aws:sso:::permissionSet/ssoins-7223000000000001/ps-0000000000000002`;
const GROUP_ID = "906722f4-0000-4000-8000-000000000001";

function args(over: Partial<AccountAssignmentsArgs> = {}): AccountAssignmentsArgs {
    return {
        instanceArn: INSTANCE_ARN,
        grants: [grant(MEMBER, "developers", "read-only")],
        expiredGrants: [],
        groupIds: new Map([["developers", GROUP_ID]]),
        permissionSetArns: new Map([["read-only", PS_ARN]]),
        managementAccountId: MANAGEMENT,
        environment: "prod",
        ...over,
    };
}

describe("AccountAssignments (components/accountAssignments.ts)", function () {
    it("one GROUP assignment per grant, with the permission set ARN and the group's identity-store id, named from stable keys", async () => {
        const grants = [
            grant(MEMBER, "developers", "read-only"),
            grant(DEV_MEMBER, "developers", "read-only"),
            grant(DEV_MEMBER, "developers", "power-user"),
        ];
        const c = await construct(
            () =>
                new AccountAssignments(
                    "assignments",
                    args({
                        grants,
                        permissionSetArns: new Map([
                            ["read-only", PS_ARN],
                            ["power-user", PS_ARN_2],
                        ]),
                    }),
                ),
        );
        assert.deepEqual(c.counts(), { "idfed:aws:AccountAssignments": 1, [ASSIGNMENT]: 3 });
        assert.deepEqual(
            c
                .ofType(ASSIGNMENT)
                .map((a) => a.name)
                .sort(),
            [
                `assignments-${MEMBER}-developers-read-only`,
                `assignments-${DEV_MEMBER}-developers-power-user`,
                `assignments-${DEV_MEMBER}-developers-read-only`,
            ].sort(),
        );
        assert.deepEqual(c.named(`assignments-${DEV_MEMBER}-developers-power-user`).props, {
            instanceArn: INSTANCE_ARN,
            permissionSetArn: PS_ARN_2,
            principalId: GROUP_ID,
            principalType: "GROUP",
            targetId: DEV_MEMBER,
            targetType: "AWS_ACCOUNT",
        });
        for (const a of c.ofType(ASSIGNMENT)) {
            assert.match(a.name, /^assignments-\d{12}-[a-z][a-z0-9-]*-[a-z][a-z0-9-]*$/);
            assert.ok(a.name.includes(String(a.props.targetId)));
            assert.deepEqual(a.dependencies, []);
        }
    });

    it("publishes the grants, the expired grants (with expiry), management account, environment and principal → group key", async () => {
        const c = await construct(
            () =>
                new AccountAssignments(
                    "assignments",
                    args({
                        grants: [grant(MEMBER, "developers", "read-only", "2027-01-31T00:00:00.000Z")],
                        expiredGrants: [grant(DEV_MEMBER, "developers", "read-only", "2026-01-01T00:00:00.000Z")],
                    }),
                ),
        );
        assert.deepEqual(c.only("idfed:aws:AccountAssignments").outputs, {
            count: 1,
            grants: [{ accountId: MEMBER, groupKey: "developers", permissionSetKey: "read-only", expiresAt: "2027-01-31T00:00:00.000Z" }],
            expiredGrants: [
                { accountId: DEV_MEMBER, groupKey: "developers", permissionSetKey: "read-only", expiresAt: "2026-01-01T00:00:00.000Z" },
            ],
            managementAccountId: MANAGEMENT,
            environment: "prod",
            groupIds: { developers: GROUP_ID },
        });
        // An expired grant registers nothing.
        assert.equal(c.ofType(ASSIGNMENT).length, 1);
        assert.equal(c.only(ASSIGNMENT).props.targetId, MEMBER);
    });

    it("an assignment of a permission set waits for that set's customer-managed policies, others do not", async () => {
        const c = await construct(() => {
            const policy = new iam.Policy("boundary", { name: "idfed-developer-boundary", path: "/idfed/", policy: "{}" });
            return new AccountAssignments(
                "assignments",
                args({
                    grants: [grant(MEMBER, "developers", "read-only"), grant(MEMBER, "developers", "power-user")],
                    permissionSetArns: new Map([
                        ["read-only", PS_ARN],
                        ["power-user", PS_ARN_2],
                    ]),
                    dependsOnByPermissionSet: new Map([["power-user", [policy]]]),
                }),
            );
        });
        const policyUrn = c.only("aws:iam/policy:Policy").urn;
        assert.deepEqual(c.named(`assignments-${MEMBER}-developers-power-user`).dependencies, [policyUrn]);
        assert.deepEqual(c.named(`assignments-${MEMBER}-developers-read-only`).dependencies, []);
    });

    it("no grants: the component and no assignment", async () => {
        const c = await construct(() => new AccountAssignments("assignments", args({ grants: [] })));
        assert.deepEqual(c.inventory(), ["idfed:aws:AccountAssignments::assignments"]);
    });

    it("a grant naming an unknown group or permission set is a programming error, before any assignment", async () => {
        const f = await constructFails(
            () => new AccountAssignments("assignments", args({ grants: [grant(MEMBER, "ghosts", "read-only")] })),
        );
        assert.match(f.error.message, /grant 222222222222\/ghosts\/read-only references an unknown group or permission set/);
        assert.equal(f.resources.filter((r) => r.type === ASSIGNMENT).length, 0);
    });
});
