/**
 * PermissionSet (components/permissionSet.ts) alone, on minimal models: every policy kind with exact inputs,
 * child names from the component name and the policy's identity, and no child for a kind the model lacks.
 */
import { strict as assert } from "assert";
import { PermissionSet } from "../../components/permissionSet";
import { mockPermissionSetArn } from "../../offline";
import { construct, jsonOf } from "./harness";
import { INSTANCE_ARN, permissionSetModel } from "./models";

const T = {
    ps: "aws:ssoadmin/permissionSet:PermissionSet",
    managed: "aws:ssoadmin/managedPolicyAttachment:ManagedPolicyAttachment",
    customer: "aws:ssoadmin/customerManagedPolicyAttachment:CustomerManagedPolicyAttachment",
    inline: "aws:ssoadmin/permissionSetInlinePolicy:PermissionSetInlinePolicy",
    boundary: "aws:ssoadmin/permissionsBoundaryAttachment:PermissionsBoundaryAttachment",
} as const;

describe("PermissionSet (components/permissionSet.ts)", function () {
    it("a managed-policy-only set: the permission set and one attachment, nothing else", async () => {
        const c = await construct(() => new PermissionSet("ps-read-only", { instanceArn: INSTANCE_ARN, model: permissionSetModel() }));
        assert.deepEqual(c.inventory(), [
            `${T.managed}::ps-read-only-managed-ReadOnlyAccess`,
            `${T.ps}::ps-read-only`,
            "idfed:aws:PermissionSet::ps-read-only",
        ]);
        const ps = c.only(T.ps);
        assert.deepEqual(ps.props, {
            instanceArn: INSTANCE_ARN,
            name: "ReadOnly",
            sessionDuration: "PT1H",
            tags: { "idfed:permission-set-key": "read-only" },
        });
        const att = c.only(T.managed);
        assert.equal(att.props.managedPolicyArn, "arn:aws:iam::aws:policy/ReadOnlyAccess");
        assert.equal(att.props.instanceArn, INSTANCE_ARN);
        assert.equal(att.props.permissionSetArn, mockPermissionSetArn(INSTANCE_ARN, "ps-read-only"));
        assert.equal(att.parent, c.only("idfed:aws:PermissionSet").urn);
        assert.deepEqual(c.only("idfed:aws:PermissionSet").outputs, {
            arn: mockPermissionSetArn(INSTANCE_ARN, "ps-read-only"),
            key: "read-only",
            name: "ReadOnly",
        });
    });

    it("every policy kind, each with its exact inputs: managed (job-function path), customer-managed, inline (keys sorted), boundary", async () => {
        const model = permissionSetModel({
            key: "developer",
            name: "Developer",
            description: "Build and run workloads",
            sessionDuration: "PT8H",
            relayState: "https://console.aws.amazon.com/",
            managedPolicyArns: ["arn:aws:iam::aws:policy/PowerUserAccess", "arn:aws:iam::aws:policy/job-function/ViewOnlyAccess"],
            customerManagedPolicies: [{ name: "idfed-extra", path: "/idfed/" }],
            inlinePolicy: {
                Version: "2012-10-17",
                Statement: [
                    { Resource: "*", Effect: "Deny", Action: "iam:*" },
                    { Effect: "Allow", Action: "s3:ListBucket", Resource: "*" },
                ],
            },
            permissionsBoundary: { kind: "customerManaged", policy: { name: "idfed-developer-boundary", path: "/idfed/" } },
            tags: { team: "platform" },
        });
        const c = await construct(() => new PermissionSet("ps-developer", { instanceArn: INSTANCE_ARN, model }));
        assert.deepEqual(c.counts(), {
            "idfed:aws:PermissionSet": 1,
            [T.ps]: 1,
            [T.managed]: 2,
            [T.customer]: 1,
            [T.inline]: 1,
            [T.boundary]: 1,
        });
        assert.deepEqual(c.only(T.ps).props, {
            instanceArn: INSTANCE_ARN,
            name: "Developer",
            description: "Build and run workloads",
            sessionDuration: "PT8H",
            relayState: "https://console.aws.amazon.com/",
            tags: { team: "platform", "idfed:permission-set-key": "developer" },
        });
        assert.deepEqual(
            c
                .ofType(T.managed)
                .map((a) => [a.name, a.props.managedPolicyArn])
                .sort(),
            [
                ["ps-developer-managed-PowerUserAccess", "arn:aws:iam::aws:policy/PowerUserAccess"],
                ["ps-developer-managed-job-function-ViewOnlyAccess", "arn:aws:iam::aws:policy/job-function/ViewOnlyAccess"],
            ],
        );
        assert.equal(c.only(T.customer).name, "ps-developer-customer-idfed-idfed-extra");
        assert.deepEqual(c.only(T.customer).props.customerManagedPolicyReference, { name: "idfed-extra", path: "/idfed/" });
        const inline = c.only(T.inline);
        assert.equal(inline.name, "ps-developer-inline");
        assert.equal(
            inline.props.inlinePolicy,
            '{"Statement":[{"Action":"iam:*","Effect":"Deny","Resource":"*"},{"Action":"s3:ListBucket","Effect":"Allow","Resource":"*"}],"Version":"2012-10-17"}',
        );
        assert.equal(jsonOf<{ Statement: unknown[] }>(inline.props.inlinePolicy).Statement.length, 2);
        const boundary = c.only(T.boundary);
        assert.equal(boundary.name, "ps-developer-boundary");
        assert.deepEqual(boundary.props.permissionsBoundary, {
            customerManagedPolicyReference: { name: "idfed-developer-boundary", path: "/idfed/" },
        });
        for (const r of [...c.ofType(T.managed), c.only(T.customer), inline, boundary]) {
            assert.equal(r.props.permissionSetArn, mockPermissionSetArn(INSTANCE_ARN, "ps-developer"), r.name);
        }
    });

    it("an AWS-managed boundary is referenced by ARN", async () => {
        const model = permissionSetModel({
            permissionsBoundary: { kind: "managed", managedPolicyArn: "arn:aws:iam::aws:policy/PowerUserAccess" },
        });
        const c = await construct(() => new PermissionSet("ps-x", { instanceArn: INSTANCE_ARN, model }));
        assert.deepEqual(c.only(T.boundary).props.permissionsBoundary, { managedPolicyArn: "arn:aws:iam::aws:policy/PowerUserAccess" });
        assert.equal(c.ofType(T.inline).length + c.ofType(T.customer).length, 0);
    });

    it("names children from the component name, not from list position (reordering policies renames nothing)", async () => {
        const arns = ["arn:aws:iam::aws:policy/ReadOnlyAccess", "arn:aws:iam::aws:policy/SecurityAudit"];
        const a = await construct(
            () => new PermissionSet("ps-audit", { instanceArn: INSTANCE_ARN, model: permissionSetModel({ managedPolicyArns: arns }) }),
        );
        const b = await construct(
            () =>
                new PermissionSet("ps-audit", {
                    instanceArn: INSTANCE_ARN,
                    model: permissionSetModel({ managedPolicyArns: [...arns].reverse() }),
                }),
        );
        assert.deepEqual(b.resources.map((r) => r.urn).sort(), a.resources.map((r) => r.urn).sort());
        assert.ok(a.inventory().every((n) => n.split("::")[1].startsWith("ps-audit")));
    });
});
