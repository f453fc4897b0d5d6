/**
 * CustomerManagedPolicies (components/customerManagedPolicies.ts) alone: a service-managed StackSet of the used
 * policies with one instance per OU holding an account that needs them, the policy itself in the management
 * account when an assignment there uses it, and nothing for a declared policy no assignment uses.
 */
import { strict as assert } from "assert";
import { CustomerManagedPolicies, CustomerManagedPoliciesArgs, customerPoliciesTemplate } from "../../components/customerManagedPolicies";
import { construct, jsonOf } from "./harness";
import { customerPolicy, DEV_MEMBER, MANAGEMENT, MEMBER } from "./models";

const T = {
    stackSet: "aws:cloudformation/stackSet:StackSet",
    instance: "aws:cloudformation/stackSetInstance:StackSetInstance",
    policy: "aws:iam/policy:Policy",
} as const;
const PARENTS = new Map([
    [MEMBER, "ou-ab12-workload"],
    [DEV_MEMBER, "ou-ab12-dev00001"],
]);
type Template = {
    Resources: Record<
        string,
        { Type: string; Properties: { ManagedPolicyName: string; Path: string; PolicyDocument: unknown; Description?: string } }
    >;
};

function args(used: Record<string, string[]>, over: Partial<CustomerManagedPoliciesArgs> = {}): CustomerManagedPoliciesArgs {
    return {
        policies: [
            customerPolicy("idfed-developer-boundary", { description: "Developer boundary" }),
            customerPolicy("idfed-oncall-boundary"),
            customerPolicy("idfed-unused"),
        ],
        accountsByPolicy: new Map(Object.entries(used)),
        managementAccountId: MANAGEMENT,
        parentOf: (id) => PARENTS.get(id),
        region: "eu-west-1",
        ...over,
    };
}

describe("CustomerManagedPolicies (components/customerManagedPolicies.ts)", function () {
    it("a StackSet of the used policies to the OUs of the accounts that need them, and the policy in the management account", async () => {
        const c = await construct(
            () =>
                new CustomerManagedPolicies(
                    "customer-policies",
                    args({
                        "/idfed/idfed-developer-boundary": [MEMBER, DEV_MEMBER, MANAGEMENT],
                        "/idfed/idfed-oncall-boundary": [DEV_MEMBER],
                    }),
                ),
        );
        assert.deepEqual(c.counts(), { "idfed:aws:CustomerManagedPolicies": 1, [T.stackSet]: 1, [T.instance]: 2, [T.policy]: 1 });
        const ss = c.only(T.stackSet).props;
        assert.equal(ss.name, "idfed-customer-managed-policies");
        assert.equal(ss.permissionModel, "SERVICE_MANAGED");
        assert.deepEqual(ss.autoDeployment, { enabled: true, retainStacksOnAccountRemoval: false });
        assert.equal(ss.callAs, "SELF");
        assert.deepEqual(ss.capabilities, ["CAPABILITY_NAMED_IAM"]);
        const template = jsonOf<Template>(ss.templateBody);
        assert.deepEqual(
            Object.values(template.Resources).map((r) => `${r.Type} ${r.Properties.Path}${r.Properties.ManagedPolicyName}`),
            ["AWS::IAM::ManagedPolicy /idfed/idfed-developer-boundary", "AWS::IAM::ManagedPolicy /idfed/idfed-oncall-boundary"],
            "the unused policy is left out",
        );
        assert.equal(Object.values(template.Resources)[0].Properties.Description, "Developer boundary");
        assert.deepEqual(
            c.ofType(T.instance).map((i) => [i.name, i.props.deploymentTargets, i.props.stackSetInstanceRegion, i.props.callAs]),
            [
                ["customer-policies-ou-ab12-dev00001", { organizationalUnitIds: ["ou-ab12-dev00001"] }, "eu-west-1", "SELF"],
                ["customer-policies-ou-ab12-workload", { organizationalUnitIds: ["ou-ab12-workload"] }, "eu-west-1", "SELF"],
            ],
        );
        const mgmt = c.only(T.policy);
        assert.equal(mgmt.name, "customer-policies-management-idfed-developer-boundary");
        assert.deepEqual(
            [mgmt.props.name, mgmt.props.path, mgmt.props.description],
            ["idfed-developer-boundary", "/idfed/", "Developer boundary"],
        );
        assert.deepEqual(JSON.parse(String(mgmt.props.policy)), customerPolicy().document);
        assert.deepEqual(c.value.ready.length, 3, "assignments wait for both instances and the management policy");
        assert.deepEqual(c.only("idfed:aws:CustomerManagedPolicies").outputs, {
            targets: ["ou-ab12-dev00001", "ou-ab12-workload"],
            policies: ["/idfed/idfed-developer-boundary", "/idfed/idfed-oncall-boundary"],
        });
    });

    it("used only in the management account: the policy there, no StackSet (a service-managed StackSet never deploys there)", async () => {
        const c = await construct(
            () => new CustomerManagedPolicies("customer-policies", args({ "/idfed/idfed-oncall-boundary": [MANAGEMENT] })),
        );
        assert.deepEqual(c.inventory(), [
            `${T.policy}::customer-policies-management-idfed-oncall-boundary`,
            "idfed:aws:CustomerManagedPolicies::customer-policies",
        ]);
    });

    it("no policy used: nothing but the component", async () => {
        const c = await construct(() => new CustomerManagedPolicies("customer-policies", args({ "/idfed/idfed-unused": [] })));
        assert.deepEqual(c.inventory(), ["idfed:aws:CustomerManagedPolicies::customer-policies"]);
        assert.deepEqual(c.value.ready, []);
    });

    it("the template does not depend on the order policies are declared in", () => {
        const ps = [customerPolicy("b-policy"), customerPolicy("a-policy", { path: "/x/" })];
        assert.equal(customerPoliciesTemplate(ps), customerPoliciesTemplate([...ps].reverse()));
    });
});
