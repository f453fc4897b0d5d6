/**
 * Offline answers for the program: Pulumi mocks whose invokes come from an org fixture and whose resources
 * get deterministic ids. Shared by the offline plan, the tests and the benchmark, so all three run the
 * program exactly as `pulumi preview` would, minus the cloud.
 */
import { createHash } from "crypto";
import * as pulumi from "@pulumi/pulumi";
import { OrgAccount, OrgTree } from "../../stacks/model";
import { indexOrg, OrgIndex } from "../../stacks/org/org-index";
import { trustedAccessOf } from "../../stacks/org/org-prereqs";
import { ENABLED_REGIONS, identityStoreGroupNotFound, organizationAccount, organizationRoot } from "./real-shapes/aws";
import {
    APPLICATION_TEMPLATE,
    SERVICE_PRINCIPAL_APP_ROLE_IDS,
    SERVICE_PRINCIPAL_APP_ROLES,
    synchronizationJobId,
    synchronizationJobResourceId,
    templateNotFound,
} from "./real-shapes/entra";

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
    /**
     * This stack's own fully qualified name (`organization/project/stack`): the program reads its last deployed
     * outputs through a reference to itself (the removal guard). Without an entry in `stackOutputs` it answers
     * no outputs, as a stack that was never deployed has none.
     */
    selfStack?: string;
    /**
     * Display names of the groups in the identity store. Default: every group the program looks up (as if
     * SCIM had provisioned them all: the plan of a stack in steady state). A set starts the runbook's empty
     * identity store: a group is added when a provisioning-on-demand request for it is applied (not previewed).
     */
    identityStore?: Set<string>;
}

const accountResult = (a: OrgAccount) => organizationAccount(a);

/**
 * `pulumi.runtime.Mocks` for the program. Any invoke it does not know throws (a silent `{}` hides bugs).
 */
export class OrgMocks implements pulumi.runtime.Mocks {
    private readonly index: OrgIndex;
    private readonly handlers: Map<string, InvokeHandler>;

    private readonly stackOutputs: ReadonlyMap<string, Record<string, unknown>>;
    private readonly selfStack?: string;
    private readonly identityStore?: Set<string>;
    /** Entra group object id → display name (created or looked up), for provisioning on demand. */
    private readonly entraGroups = new Map<string, string>();

    constructor(
        readonly org: OrgTree,
        opts: OrgMocksOptions = {},
    ) {
        this.index = indexOrg(org);
        const all = [...this.index.accounts.values()];
        const accountsIn = (parentId: string) => this.index.direct.get(parentId)?.map((id) => this.index.accounts.get(id)!);
        this.stackOutputs = opts.stackOutputs ?? new Map();
        this.selfStack = opts.selfStack;
        this.identityStore = opts.identityStore;
        const ou = (id: string) => this.index.units.get(id);
        this.handlers = new Map<string, InvokeHandler>([
            [
                "aws:organizations/getOrganization:getOrganization",
                () => ({
                    id: "o-example",
                    arn: "arn:aws:organizations::000000000000:organization/o-example",
                    masterAccountId: org.managementAccountId,
                    masterAccountArn: "",
                    masterAccountEmail: "",
                    masterAccountName: "",
                    // Source: @pulumi/aws GetOrganizationResult. Trusted access and root policy types come from the
                    // fixture; a fixture that does not record them stands for an organization with Identity Center
                    // enabled and nothing else (what enabling Identity Center alone turns on).
                    featureSet: "ALL",
                    awsServiceAccessPrincipals: [...trustedAccessOf(org)],
                    enabledPolicyTypes: [...(org.rootPolicyTypes ?? [])],
                    roots: [organizationRoot(org.root, org.rootPolicyTypes ?? [])],
                    accounts: all.map(accountResult),
                    nonMasterAccounts: all.filter((a) => a.id !== org.managementAccountId).map(accountResult),
                }),
            ],
            [
                "aws:organizations/getOrganizationalUnits:getOrganizationalUnits",
                (i) => {
                    const parentId = String(i.parentId);
                    const children = parentId === org.root ? org.ous : ou(parentId)?.ous;
                    if (children === undefined) throw new Error(`ParentNotFoundException: ${parentId}`);
                    return { id: parentId, parentId, children: children.map((c) => ({ id: c.id, name: c.name, arn: "" })) };
                },
            ],
            [
                "aws:organizations/getOrganizationalUnitChildAccounts:getOrganizationalUnitChildAccounts",
                (i) => {
                    const parentId = String(i.parentId);
                    const accounts = accountsIn(parentId);
                    if (accounts === undefined) throw new Error(`ParentNotFoundException: ${parentId}`);
                    return { id: parentId, parentId, accounts: accounts.map(accountResult) };
                },
            ],
            [
                "aws:organizations/getResourceTags:getResourceTags",
                (i) => {
                    const a = this.index.accounts.get(String(i.resourceId));
                    if (a === undefined) throw new Error(`TargetNotFoundException: ${String(i.resourceId)}`);
                    return { id: a.id, resourceId: a.id, tags: { ...a.tags } };
                },
            ],
            ["aws:index/getRegions:getRegions", () => ({ id: "aws", names: [...ENABLED_REGIONS] })],
            [
                "aws:ssoadmin/getInstances:getInstances",
                () => ({
                    id: "instances",
                    region: "eu-west-1",
                    arns: [org.instanceArn],
                    identityStoreIds: [org.identityStoreId],
                }),
            ],
            // The identity store: by default every group is there (steady state); with `identityStore`, only
            // the groups provisioned so far. A miss is the provider's real not-found error (real-shapes/aws.ts).
            [
                "aws:identitystore/getGroup:getGroup",
                (i) => {
                    const alt = i.alternateIdentifier as { uniqueAttribute?: { attributeValue?: string } } | undefined;
                    const dn = alt?.uniqueAttribute?.attributeValue ?? String(i.groupId);
                    if (this.identityStore !== undefined && !this.identityStore.has(dn))
                        throw new Error(identityStoreGroupNotFound(String(i.identityStoreId)));
                    return {
                        id: mockIdentityStoreGroupId(dn),
                        groupId: mockIdentityStoreGroupId(dn),
                        displayName: dn,
                        description: "",
                        externalIds: [],
                        identityStoreId: i.identityStoreId,
                    };
                },
            ],
            [
                "azuread:index/getApplicationTemplate:getApplicationTemplate",
                (i) => {
                    if (i.displayName !== APPLICATION_TEMPLATE.displayName) throw new Error(templateNotFound(String(i.displayName)));
                    return {
                        ...APPLICATION_TEMPLATE,
                        categories: [...APPLICATION_TEMPLATE.categories],
                        supportedProvisioningTypes: [...APPLICATION_TEMPLATE.supportedProvisioningTypes],
                        supportedSingleSignOnModes: [...APPLICATION_TEMPLATE.supportedSingleSignOnModes],
                    };
                },
            ],
            [
                "azuread:index/getServicePrincipal:getServicePrincipal",
                (i) => ({
                    id: `/servicePrincipals/${String(i.objectId)}`,
                    objectId: i.objectId,
                    clientId: fakeGuid(`client:${String(i.objectId)}`),
                    displayName: "AWS IAM Identity Center",
                    appRoles: SERVICE_PRINCIPAL_APP_ROLES.map((r) => ({ ...r, allowedMemberTypes: [...r.allowedMemberTypes] })),
                    appRoleIds: { ...SERVICE_PRINCIPAL_APP_ROLE_IDS },
                }),
            ],
            [
                "azuread:index/getGroup:getGroup",
                (i) => {
                    const dn = typeof i.displayName === "string" && i.displayName !== "" ? i.displayName : `existing-${String(i.objectId)}`;
                    const objectId = String(i.objectId ?? fakeGuid(`entra-group:${dn}`));
                    this.entraGroups.set(objectId, dn);
                    return { id: objectId, objectId, displayName: dn };
                },
            ],
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
                this.entraGroups.set(guid, String(inputs.displayName));
                break;
            case "azuread:index/applicationFromTemplate:ApplicationFromTemplate":
                state.applicationObjectId = guid;
                state.applicationId = `/applications/${guid}`;
                state.servicePrincipalObjectId = fakeGuid(`sp:${args.name}`);
                state.servicePrincipalId = `/servicePrincipals/${fakeGuid(`sp:${args.name}`)}`;
                break;
            case "azuread:index/servicePrincipal:ServicePrincipal":
                // `useExisting` adopts the service principal the template created: its roles are the gallery app's.
                state.objectId = fakeGuid(`sp:${args.name}`);
                state.appRoles = SERVICE_PRINCIPAL_APP_ROLES.map((r) => ({ ...r, allowedMemberTypes: [...r.allowedMemberTypes] }));
                state.appRoleIds = { ...SERVICE_PRINCIPAL_APP_ROLE_IDS };
                id = `/servicePrincipals/${String(state.objectId)}`;
                break;
            case "azuread:index/servicePrincipalTokenSigningCertificate:ServicePrincipalTokenSigningCertificate":
                // Source: Graph "servicePrincipal: addTokenSigningCertificate" (thumbprint: 40 upper-case hex, SHA-1;
                // keyId a GUID) and @pulumi/azuread ServicePrincipalTokenSigningCertificate outputs.
                state.thumbprint = createHash("sha1")
                    .update(`${args.name}:${String(inputs.endDate)}`)
                    .digest("hex")
                    .toUpperCase();
                state.keyId = guid;
                state.startDate = "2026-01-01T00:00:00Z";
                id = `${String(inputs.servicePrincipalId)}/tokenSigningCertificate/${guid}`;
                break;
            case "azuread:index/appRoleAssignment:AppRoleAssignment":
                // ASSUMPTION (wording): Graph refuses a role the resource app does not define, including the
                // all-zero default-access id on an app that publishes roles.
                if (!SERVICE_PRINCIPAL_APP_ROLES.some((r) => r.id === inputs.appRoleId)) {
                    throw new Error(
                        `AppRoleAssignment ${args.name}: Permission being assigned was not found on application (appRoleId ${String(inputs.appRoleId)})`,
                    );
                }
                break;
            case "azuread:index/synchronizationJob:SynchronizationJob": {
                // ASSUMPTION (wording): the template id is matched exactly; the gallery app has only `aWSSingleSignon`.
                if (inputs.templateId !== "aWSSingleSignon") {
                    throw new Error(
                        `SynchronizationJob ${args.name}: template ${String(inputs.templateId)} not found; the app's templates: aWSSingleSignon`,
                    );
                }
                const spId = String(inputs.servicePrincipalId);
                id = synchronizationJobResourceId(
                    spId,
                    synchronizationJobId("aWSSingleSignon", "7f3c1d2e-5a4b-4c3d-9e8f-0a1b2c3d4e5f", fakeGuid(`client:${spId}`)),
                );
                break;
            }
            case "azuread:index/synchronizationJobProvisionOnDemand:SynchronizationJobProvisionOnDemand": {
                const params = inputs.parameters as { subjects?: { objectId?: string }[] }[] | undefined;
                if (String(inputs.synchronizationJobId).includes("/")) {
                    throw new Error(
                        `SynchronizationJobProvisionOnDemand ${args.name}: synchronizationJobId must be the job id, got the resource id ${String(inputs.synchronizationJobId)}`,
                    );
                }
                if (this.identityStore !== undefined && !pulumi.runtime.isDryRun()) {
                    for (const p of params ?? [])
                        for (const s of p.subjects ?? []) {
                            const dn = this.entraGroups.get(String(s.objectId));
                            if (dn !== undefined) this.identityStore.add(dn);
                        }
                }
                break;
            }
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
                // The program's reference to itself (`previous-deployment`, the removal guard): no outputs unless given,
                // as a stack never deployed has none. Without `selfStack` (a bare setMocks), known by its resource name.
                const self = stackName === this.selfStack || (this.selfStack === undefined && args.name === "previous-deployment");
                const outputs = this.stackOutputs.get(stackName) ?? (self ? {} : undefined);
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
