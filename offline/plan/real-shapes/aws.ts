/**
 * What AWS (through the aws provider) really answers for Organizations and the identity store, as fixtures
 * for the mocks. Each value names its source; a shape no source backs says ASSUMPTION.
 */

/**
 * One account of `organizations.getOrganizationalUnitChildAccounts` / `getOrganization().accounts`.
 * Source: @pulumi/aws 7.x types/output.d.ts `GetOrganizationalUnitChildAccountsAccount` (arn, email, id,
 * joinedMethod, joinedTimestamp, name, state, status — "(Deprecated use `state` instead)").
 * AWS retired `Status` on 2026-09-09: ASSUMPTION that the provider then reports it as "" (an absent string
 * attribute of the Terraform schema reads as the empty string).
 */
export function organizationAccount(
    a: { id: string; name: string; state?: string },
    orgId = "o-example",
    managementAccountId = "000000000000",
) {
    return {
        arn: `arn:aws:organizations::${managementAccountId}:account/${orgId}/${a.id}`,
        email: `${a.name}@example.invalid`,
        id: a.id,
        joinedMethod: "CREATED",
        joinedTimestamp: "2020-01-01T00:00:00Z",
        name: a.name,
        state: a.state ?? "ACTIVE",
        status: "",
    };
}

/**
 * `roots[]` of `organizations.getOrganization`, with the policy types enabled on the root.
 * Source: @pulumi/aws types/output.d.ts `GetOrganizationRoot` / `GetOrganizationRootPolicyType` ({ status, type });
 * AWS Organizations API reference, `PolicyTypeSummary` (Status: ENABLED | PENDING_ENABLE | PENDING_DISABLE).
 */
export function organizationRoot(id: string, policyTypes: readonly string[], orgId = "o-example", managementAccountId = "000000000000") {
    return {
        arn: `arn:aws:organizations::${managementAccountId}:root/${orgId}/${id}`,
        id,
        name: "Root",
        policyTypes: policyTypes.map((type) => ({ status: "ENABLED", type })),
    };
}

/**
 * `identitystore.getGroup` when no group has that display name (SCIM has not created it yet).
 * Source: hashicorp/terraform-provider-aws internal/service/identitystore/group_data_source.go
 * (`reading IdentityStore Group (%s): %s` around the SDK error of GetGroupId); the AWS SDK for Go v2 error
 * format (`operation error <service>: <op>, https response error StatusCode: …, RequestID: …, <Code>: <msg>`).
 * ASSUMPTION: the text after `ResourceNotFoundException:` (the service's message).
 */
export function identityStoreGroupNotFound(identityStoreId: string): string {
    return (
        `invoking aws:identitystore/getGroup:getGroup: 1 error occurred:\n\t* reading IdentityStore Group (${identityStoreId}): ` +
        "operation error identitystore: GetGroupId, https response error StatusCode: 400, RequestID: 5f1e0c7a-2b4d-4e8f-9a6b-3c2d1e0f9a8b, " +
        "ResourceNotFoundException: GROUP not found."
    );
}

/**
 * `identitystore.getGroup` without `identitystore:GetGroupId` permission.
 * Source: same provider file and SDK error format; the IAM denial text ("User: <arn> is not authorized to perform:
 * <action> on resource: <arn>") from the IAM user guide, "Troubleshoot access denied error messages".
 */
export function identityStoreAccessDenied(identityStoreId: string, principalArn: string): string {
    return (
        `invoking aws:identitystore/getGroup:getGroup: 1 error occurred:\n\t* reading IdentityStore Group (${identityStoreId}): ` +
        "operation error identitystore: GetGroupId, https response error StatusCode: 400, RequestID: 0d6c2f4e-8a1b-4c3d-9e5f-7a6b5c4d3e2f, " +
        `AccessDeniedException: User: ${principalArn} is not authorized to perform: identitystore:GetGroupId on resource: ` +
        `arn:aws:identitystore::111111111111:identitystore/${identityStoreId}`
    );
}

/**
 * `aws.getRegions({})`: the account's enabled regions (opted in or not requiring opt-in).
 * Source: @pulumi/aws GetRegionsResult ({ id, names, allRegions?, filters? }); the names are the 17 regions AWS
 * enables by default (AWS General Reference, "Regions enabled by default"). ASSUMPTION: the example
 * organizations have opted in to no other region.
 */
export const ENABLED_REGIONS = [
    "ap-northeast-1",
    "ap-northeast-2",
    "ap-northeast-3",
    "ap-south-1",
    "ap-southeast-1",
    "ap-southeast-2",
    "ca-central-1",
    "eu-central-1",
    "eu-north-1",
    "eu-west-1",
    "eu-west-2",
    "eu-west-3",
    "sa-east-1",
    "us-east-1",
    "us-east-2",
    "us-west-1",
    "us-west-2",
] as const;
