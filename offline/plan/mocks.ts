/**
 * Offline answers for the program: Pulumi mocks whose invokes come from an org fixture and whose resources
 * get deterministic ids. Shared by the offline plan, the tests and the benchmark, so all three run the
 * program exactly as `pulumi preview` would, minus the cloud.
 */
import { createHash } from "crypto";
import * as pulumi from "@pulumi/pulumi";
import { OrgAccount, OrgTree } from "../../stacks/model";
import { indexOrg, OrgIndex } from "../../stacks/org/org-index";

/** Deterministic GUID-shaped id from a seed (stable across runs, never random). */
export function fakeGuid(seed: string): string {
    const h = createHash("sha256").update(seed).digest("hex");
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/**
 * The ARN the mocks give a permission set registered under `resourceName` (the component names it
 * `ps-<key>`). One function, so whatever claims to match the mocks (a shard's view of its shared stack)
 * computes the same id.
 */
export function mockPermissionSetArn(instanceArn: string, resourceName: string): string {
    const guid = fakeGuid(`aws:ssoadmin/permissionSet:PermissionSet:${resourceName}`);
    return `${instanceArn.replace(":instance/", ":permissionSet/")}/ps-${guid.replace(/-/g, "").slice(0, 16)}`;
}

/** The identity store group id the mocks give the group SCIM provisioned for an Entra display name. */
export function mockIdentityStoreGroupId(displayName: string): string {
    return fakeGuid(`ic-group:${displayName}`);
}

/** A plausible ARN for an AWS resource type (IAM-style for iam, `service:region:account:kind/name` otherwise). */
export function awsArn(type: string, name: string, inputs: Record<string, unknown>, account: string): string {
    const m = /^aws:([a-z0-9]+)\/([A-Za-z0-9]+):/.exec(type);
    const service = m?.[1] ?? "unknown";
    const kind = (m?.[2] ?? "resource").replace(/([a-z])([A-Z])/g, "$1-$2").toLowerCase();
    const resourceName = typeof inputs.name === "string" && inputs.name !== "" ? inputs.name : name;
    if (service === "iam") {
        if (kind === "open-id-connect-provider") {
            const url = typeof inputs.url === "string" ? inputs.url.replace(/^https:\/\//, "") : resourceName;
            return `arn:aws:iam::${account}:oidc-provider/${url}`;
        }
        const path = typeof inputs.path === "string" ? inputs.path : "/";
        return `arn:aws:iam::${account}:${kind}${path}${resourceName}`;
    }
    return `arn:aws:${service}:eu-west-1:${account}:${kind}/${resourceName}`;
}

/** An invoke answer: a value, or an error the provider would raise. */
export type InvokeHandler = (inputs: Record<string, unknown>) => Record<string, unknown> | Promise<Record<string, unknown>>;

/** Options of {@link OrgMocks}. */
export interface OrgMocksOptions {
    /** Extra or overriding invoke answers by token (tests stub per case). */
    invokes?: ReadonlyMap<string, InvokeHandler>;
    /** Outputs of other stacks by stack name, for `pulumi.StackReference` (sharded deployments). */
    stackOutputs?: ReadonlyMap<string, Record<string, unknown>>;
}

const accountResult = (a: OrgAccount) => ({
    id: a.id, name: a.name, arn: `arn:aws:organizations::000000000000:account/o-example/${a.id}`,
    email: `${a.name}@example.invalid`, status: a.status ?? "ACTIVE", state: a.status === "SUSPENDED" ? "SUSPENDED" : "ACTIVE",
    joinedMethod: "CREATED", joinedTimestamp: "2020-01-01T00:00:00Z",
});

/**
 * `pulumi.runtime.Mocks` for the program. Any invoke it does not know throws (a silent `{}` hides bugs).
 */
export class OrgMocks implements pulumi.runtime.Mocks {
    private readonly index: OrgIndex;
    private readonly handlers: Map<string, InvokeHandler>;

    private readonly stackOutputs: ReadonlyMap<string, Record<string, unknown>>;

    constructor(readonly org: OrgTree, opts: OrgMocksOptions = {}) {
        this.index = indexOrg(org);
        const all = [...this.index.accounts.values()];
        const accountsIn = (parentId: string) => this.index.direct.get(parentId)?.map((id) => this.index.accounts.get(id)!);
        this.stackOutputs = opts.stackOutputs ?? new Map();
        const ou = (id: string) => this.index.units.get(id);
        this.handlers = new Map<string, InvokeHandler>([
            ["aws:organizations/getOrganization:getOrganization", () => ({
                id: "o-example", arn: "arn:aws:organizations::000000000000:organization/o-example",
                masterAccountId: org.managementAccountId, masterAccountArn: "", masterAccountEmail: "", masterAccountName: "",
                featureSet: "ALL", awsServiceAccessPrincipals: [], enabledPolicyTypes: ["SERVICE_CONTROL_POLICY"],
                roots: [{ id: org.root, arn: "", name: "Root", policyTypes: [] }],
                accounts: all.map(accountResult),
                nonMasterAccounts: all.filter((a) => a.id !== org.managementAccountId).map(accountResult),
            })],
            ["aws:organizations/getOrganizationalUnits:getOrganizationalUnits", (i) => {
                const parentId = String(i.parentId);
                const children = parentId === org.root ? org.ous : ou(parentId)?.ous;
                if (children === undefined) throw new Error(`ParentNotFoundException: ${parentId}`);
                return { id: parentId, parentId, children: children.map((c) => ({ id: c.id, name: c.name, arn: "" })) };
            }],
            ["aws:organizations/getOrganizationalUnitChildAccounts:getOrganizationalUnitChildAccounts", (i) => {
                const parentId = String(i.parentId);
                const accounts = accountsIn(parentId);
                if (accounts === undefined) throw new Error(`ParentNotFoundException: ${parentId}`);
                return { id: parentId, parentId, accounts: accounts.map(accountResult) };
            }],
            ["aws:organizations/getResourceTags:getResourceTags", (i) => {
                const a = this.index.accounts.get(String(i.resourceId));
                if (a === undefined) throw new Error(`TargetNotFoundException: ${String(i.resourceId)}`);
                return { id: a.id, resourceId: a.id, tags: { ...a.tags } };
            }],
            ["aws:ssoadmin/getInstances:getInstances", () => ({
                id: "instances", region: "eu-west-1", arns: [org.instanceArn], identityStoreIds: [org.identityStoreId],
            })],
            // As if SCIM had provisioned every Entra group assigned to the app: id derived from the display name.
            ["aws:identitystore/getGroup:getGroup", (i) => {
                const alt = i.alternateIdentifier as { uniqueAttribute?: { attributeValue?: string } } | undefined;
                const dn = alt?.uniqueAttribute?.attributeValue ?? String(i.groupId);
                return { id: dn, groupId: mockIdentityStoreGroupId(dn), displayName: dn, description: "", externalIds: [], identityStoreId: i.identityStoreId };
            }],
            ["azuread:index/getApplicationTemplate:getApplicationTemplate", (i) => ({
                id: "template", templateId: fakeGuid(`template:${String(i.displayName)}`), displayName: i.displayName,
                categories: [], homepageUrl: "", logoUrl: "", publisher: "Amazon", supportedProvisioningTypes: ["sync"],
                supportedSingleSignOnModes: ["saml"],
            })],
            ["azuread:index/getServicePrincipal:getServicePrincipal", (i) => ({
                id: `/servicePrincipals/${String(i.objectId)}`, objectId: i.objectId, clientId: fakeGuid(`client:${String(i.objectId)}`),
                displayName: "AWS IAM Identity Center", appRoleIds: { User: fakeGuid("role:User") },
            })],
            ["azuread:index/getGroup:getGroup", (i) => {
                const dn = typeof i.displayName === "string" && i.displayName !== "" ? i.displayName : `existing-${String(i.objectId)}`;
                return { id: String(i.objectId ?? fakeGuid(`entra-group:${dn}`)), objectId: i.objectId ?? fakeGuid(`entra-group:${dn}`), displayName: dn };
            }],
        ]);
        for (const [token, handler] of opts.invokes ?? []) this.handlers.set(token, handler);
    }

    /**
     * Answers an invoke from the fixture, or throws for a token nobody stubbed. Errors carry `details`, as
     * gRPC errors from a real provider do (the SDK surfaces `details` as the message).
     */
    async call(args: pulumi.runtime.MockCallArgs): Promise<Record<string, unknown>> {
        const handler = this.handlers.get(args.token);
        try {
            if (handler === undefined) {
                throw new Error(`offline plan: no answer for invoke ${args.token}; add it to offline/plan/mocks.ts`);
            }
            return await handler(args.inputs as Record<string, unknown>);
        } catch (err) {
            const e = err instanceof Error ? err : new Error(String(err));
            throw Object.assign(e, { details: e.message });
        }
    }

    /** Gives each resource a deterministic id and the computed outputs the program reads. */
    newResource(args: pulumi.runtime.MockResourceArgs): { id: string | undefined; state: Record<string, unknown> } {
        const inputs = args.inputs as Record<string, unknown>;
        const guid = fakeGuid(`${args.type}:${args.name}`);
        const state: Record<string, unknown> = { ...inputs };
        let id: string = `${args.name}-id`;
        switch (args.type) {
            case "aws:ssoadmin/permissionSet:PermissionSet":
                state.arn = mockPermissionSetArn(String(inputs.instanceArn ?? "arn:aws:sso:::instance/ssoins-0"), args.name);
                break;
            case "azuread:index/group:Group":
                state.objectId = guid;
                id = `/groups/${guid}`;
                break;
            case "azuread:index/applicationFromTemplate:ApplicationFromTemplate":
                state.applicationObjectId = guid;
                state.applicationId = `/applications/${guid}`;
                state.servicePrincipalObjectId = fakeGuid(`sp:${args.name}`);
                state.servicePrincipalId = `/servicePrincipals/${fakeGuid(`sp:${args.name}`)}`;
                break;
            case "azuread:index/servicePrincipal:ServicePrincipal":
                state.objectId = fakeGuid(`sp:${args.name}`);
                state.appRoleIds = { User: fakeGuid("role:User") };
                id = `/servicePrincipals/${String(state.objectId)}`;
                break;
            // Guardrails: the ARNs their children reference.
            case "aws:sns/topic:Topic":
                state.arn = `arn:aws:sns:${String(inputs.region ?? "eu-west-1")}:111111111111:${String(inputs.name ?? args.name)}`;
                break;
            case "aws:kms/key:Key":
                state.arn = `arn:aws:kms:eu-west-1:111111111111:key/${guid}`;
                id = guid;
                break;
            case "pulumi:pulumi:StackReference": {
                const stackName = String(inputs.name ?? args.name);
                const outputs = this.stackOutputs.get(stackName);
                if (outputs === undefined) throw new Error(`offline plan: no outputs for stack reference ${stackName}`);
                state.outputs = outputs;
                state.secretOutputNames = [];
                id = stackName;
                break;
            }
            default:
                break;
        }
        // AWS resources expose an ARN; give one where the provider would (deterministic, account of the
        // management account), so documents built from ARNs are judged as at apply time.
        // Identity Center assignments and attachments have no ARN (and are 95 % of a big stack): none for them.
        if (args.custom !== false && args.type.startsWith("aws:") && !args.type.startsWith("aws:ssoadmin/") && state.arn === undefined) {
            state.arn = awsArn(args.type, args.name, inputs, this.org.managementAccountId);
        }
        return { id: args.custom === false ? undefined : id, state };
    }
}
