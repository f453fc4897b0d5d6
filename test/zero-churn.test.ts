import { strict as assert } from "assert";
import { OrgTree, OrgUnit } from "../stacks/model";
import { ProgramRun } from "../offline";
import { ASSIGNMENT, exampleOrg, runWith, stackConfig } from "./helpers";

/** URNs of every resource but the stack, sorted. */
function urns(run: ProgramRun, type?: string): string[] {
    return run.resources
        .filter((r) => r.type !== "pulumi:pulumi:Stack" && (type === undefined || r.type === type))
        .map((r) => r.urn)
        .sort();
}

/** An object with its keys in reverse order. */
function reverseKeys(o: Record<string, unknown>): Record<string, unknown> {
    return Object.fromEntries(Object.entries(o).reverse());
}

/** Moves an account from one OU to another, anywhere in the tree. */
function moveAccount(org: OrgTree, accountId: string, toOu: string): OrgTree {
    let moved: OrgUnit["accounts"][number] | undefined;
    const strip = (ous: readonly OrgUnit[]): OrgUnit[] =>
        ous.map((ou) => {
            const found = ou.accounts.find((a) => a.id === accountId);
            if (found) moved = found;
            return { ...ou, accounts: ou.accounts.filter((a) => a.id !== accountId), ous: strip(ou.ous) };
        });
    const stripped = strip(org.ous);
    assert.ok(moved, `account ${accountId} not in the fixture`);
    const add = (ous: readonly OrgUnit[]): OrgUnit[] =>
        ous.map((ou) => ({
            ...ou,
            accounts: ou.id === toOu ? [...ou.accounts, moved!] : ou.accounts,
            ous: add(ou.ous),
        }));
    return { ...org, ous: add(stripped) };
}

describe("zero churn: resource names depend on stable keys only", function () {
    let base: ProgramRun;
    before(async () => {
        base = await runWith("prod", stackConfig("prod"));
    });

    it("reordering groups, permission sets and assignments changes no URN", async () => {
        const c = stackConfig("prod");
        c["idfed:groups"] = reverseKeys(c["idfed:groups"] as Record<string, unknown>);
        c["idfed:permissionSets"] = reverseKeys(c["idfed:permissionSets"] as Record<string, unknown>);
        c["idfed:assignments"] = [...(c["idfed:assignments"] as unknown[])].reverse();
        const run = await runWith("prod", c);
        assert.deepEqual(urns(run), urns(base));
    });

    it("renaming a group's display name and a permission set's description changes no URN", async () => {
        const c = stackConfig("prod");
        const groups = c["idfed:groups"] as Record<string, { displayName: string }>;
        groups.developers.displayName = "AWS-Prod-Engineers";
        const sets = c["idfed:permissionSets"] as Record<string, { description: string }>;
        sets.admin.description = "Break-fix administration";
        const run = await runWith("prod", c);
        assert.deepEqual(urns(run), urns(base));
        const g = run.resources.find((r) => r.type === "azuread:index/group:Group" && r.name === "group-developers");
        assert.equal(g?.props.displayName, "AWS-Prod-Engineers");
    });

    it("moving an account to another OU that grants the same access changes no assignment URN", async () => {
        // Workloads/Dev and Sandbox grant the same four (group, permission set) pairs in prod.
        const run = await runWith("prod", stackConfig("prod"), { org: moveAccount(exampleOrg(), "710000000001", "ou-ab12-sandbox1") });
        assert.deepEqual(urns(run, ASSIGNMENT), urns(base, ASSIGNMENT));
        // Not vacuous: the account keeps all its grants (one assignment per grant of the run).
        const grants = run.resources.find((r) => r.type === "idfed:aws:AccountAssignments")?.outputs?.grants as { accountId: string }[];
        assert.equal(urns(run, ASSIGNMENT).length, grants.length);
        assert.ok(grants.filter((g) => g.accountId === "710000000001").length >= 2, "the moved account has grants");
    });

    it("moving an account to an OU with different access does change the assignments (the test can fail)", async () => {
        const run = await runWith("prod", stackConfig("prod"), { org: moveAccount(exampleOrg(), "710000000001", "ou-ab12-wkprd001") });
        const before = new Set(urns(base, ASSIGNMENT));
        const after = urns(run, ASSIGNMENT);
        assert.ok(
            after.some((u) => !before.has(u)),
            "expected a new assignment URN",
        );
        assert.ok(after.some((u) => u.endsWith("-710000000001-oncall-oncall-operator")));
    });

    it("assignment names come from (account, group key, permission-set key)", () => {
        for (const r of base.resources.filter((x) => x.type === ASSIGNMENT)) {
            assert.match(r.name, /^assignments-\d{12}-[a-z][a-z0-9-]*-[a-z][a-z0-9-]*$/);
            assert.ok(r.name.includes(String(r.props.targetId)));
        }
    });
});
