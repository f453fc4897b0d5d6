/**
 * Reads against Identity Center and Organizations do not grow with the number of assignments: under mocks,
 * every invoke is counted per token while the program plans a synthetic org of ~600 assignments. One
 * `identitystore.getGroup` per group, one PermissionSet per permission set, Organizations reads per OU (and per
 * account for tags), never per assignment.
 */
import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";
import { InvokeHandler, OrgMocks, syntheticOrg } from "../offline";
import { allOus } from "../stacks/org/org-index";
import { ASSIGNMENT, ofType, runWith } from "./helpers";

/** Every fixture invoke token, wrapped with a counter around the fixture's own answer. */
function countingInvokes(mocks: OrgMocks, tokens: readonly string[]): { invokes: Map<string, InvokeHandler>; counts: Map<string, number> } {
    const counts = new Map<string, number>();
    const invokes = new Map<string, InvokeHandler>(
        tokens.map((token) => [
            token,
            (inputs: Record<string, unknown>) => {
                counts.set(token, (counts.get(token) ?? 0) + 1);
                return mocks.call({ token, inputs, provider: "" } as pulumi.runtime.MockCallArgs);
            },
        ]),
    );
    return { invokes, counts };
}

const TOKENS = [
    "aws:organizations/getOrganization:getOrganization",
    "aws:organizations/getOrganizationalUnits:getOrganizationalUnits",
    "aws:organizations/getOrganizationalUnitChildAccounts:getOrganizationalUnitChildAccounts",
    "aws:organizations/getResourceTags:getResourceTags",
    "aws:ssoadmin/getInstances:getInstances",
    "aws:identitystore/getGroup:getGroup",
    "azuread:index/getApplicationTemplate:getApplicationTemplate",
    "azuread:index/getServicePrincipal:getServicePrincipal",
    "azuread:index/getGroup:getGroup",
];

describe("invokes: one lookup per group and per permission set, never per assignment", function () {
    this.timeout(120_000);

    it("counts every invoke token while planning ~600 assignments", async () => {
        const gen = syntheticOrg({ accounts: 30, groups: 12, permissionSets: 9, seed: 7 });
        const { invokes, counts } = countingInvokes(new OrgMocks(gen.org), TOKENS);
        const run = await runWith("bench", gen.config, { org: gen.org, invokes });
        const n = (t: string) => counts.get(t) ?? 0;
        const assignments = ofType(run, ASSIGNMENT).length;
        const accounts = 1 + 30;
        const units = 1 + allOus(gen.org).length; // the root and every OU
        assert.ok(assignments > 300, `only ${assignments} assignments`);

        assert.equal(n("aws:identitystore/getGroup:getGroup"), 12, "one identity-store lookup per group");
        assert.equal(ofType(run, "aws:ssoadmin/permissionSet:PermissionSet").length, 9, "one PermissionSet per permission set");
        assert.equal(ofType(run, "idfed:aws:PermissionSet").length, 9);
        assert.equal(n("aws:organizations/getOrganization:getOrganization"), 1);
        assert.equal(n("aws:ssoadmin/getInstances:getInstances"), 1);
        assert.equal(n("aws:organizations/getOrganizationalUnits:getOrganizationalUnits"), units, "one OU listing per OU");
        assert.equal(
            n("aws:organizations/getOrganizationalUnitChildAccounts:getOrganizationalUnitChildAccounts"),
            units,
            "one account listing per OU",
        );
        // The synthetic rules select by tag, so tags are read: once per account.
        assert.equal(n("aws:organizations/getResourceTags:getResourceTags"), accounts, "one tag read per account");
        const total = [...counts.values()].reduce((a, b) => a + b, 0);
        assert.ok(total < assignments / 3, `${total} invokes for ${assignments} assignments: ${JSON.stringify([...counts])}`);

        // Every assignment takes its principal and permission set from those few lookups.
        const principals = new Set(ofType(run, ASSIGNMENT).map((r) => String(r.props.principalId)));
        const arns = new Set(ofType(run, ASSIGNMENT).map((r) => String(r.props.permissionSetArn)));
        assert.ok(principals.size <= 12 && arns.size <= 9, `${principals.size} principals, ${arns.size} permission set ARNs`);
    });
});
