/**
 * What Microsoft Entra (through the azuread provider) really answers for the AWS IAM Identity Center gallery
 * app, as fixtures for the mocks. Each value names its source; shapes are the provider's (camelCase Pulumi
 * names of the Terraform schema), values the Graph documentation's. A shape no source backs says ASSUMPTION.
 */

/** Display name of the gallery template (and so the default `idfed:entra.galleryTemplateName`). */
export const GALLERY_TEMPLATE_NAME = "AWS IAM Identity Center (successor to AWS Single Sign-On)";

/**
 * `azuread.getApplicationTemplate({ displayName })` for the gallery app.
 * Source: microsoftgraph/microsoft-graph-docs-contrib, "Configure SAML-based single sign-on for your application
 * using the Microsoft Graph API" (GET /applicationTemplates?$filter=displayName eq '…': id 21ed01d2-…,
 * supportedSingleSignOnModes [saml, external], supportedProvisioningTypes [sync]); fields as in
 * @pulumi/azuread `GetApplicationTemplateResult`.
 */
export const APPLICATION_TEMPLATE = {
    id: "21ed01d2-ec13-4e9e-86c1-cd546719ebc4",
    templateId: "21ed01d2-ec13-4e9e-86c1-cd546719ebc4",
    displayName: GALLERY_TEMPLATE_NAME,
    homepageUrl: "https://aws.amazon.com/",
    logoUrl: "https://galleryapplogos1.azureedge.net/app-logo/awssinglesignon_FC86917E_215.png",
    publisher: "Amazon Web Services, Inc.",
    categories: ["developerServices", "itInfrastructure", "security", "New"],
    supportedProvisioningTypes: ["sync"],
    supportedSingleSignOnModes: ["saml", "external"],
} as const;

/**
 * The provider's error when no template has that display name.
 * ASSUMPTION: wording modelled on hashicorp/terraform-provider-azuread
 * internal/services/applications/application_template_data_source.go ("No application template found …").
 */
export function templateNotFound(displayName: string): string {
    return `invoking azuread:index/getApplicationTemplate:getApplicationTemplate: No application template found matching display name: "${displayName}"`;
}

/**
 * The service principal's `appRoles` after instantiating the gallery app: two roles, **no `value`**.
 * Source: microsoftgraph/microsoft-graph-docs-contrib, "Configure provisioning using Microsoft Graph API" and the
 * SAML tutorial above (POST /applicationTemplates/21ed01d2-…/instantiate → servicePrincipal.appRoles: "User"
 * 8774f594-…, "msiam_access" e7f1a7f3-…, both `"value": null`). The provider flattens a null value to ""
 * (hashicorp/terraform-provider-azuread internal/helpers FlattenAppRoles: `role.Value.GetOrZero()`).
 */
export const SERVICE_PRINCIPAL_APP_ROLES = [
    {
        allowedMemberTypes: ["User"],
        description: "User",
        displayName: "User",
        enabled: true,
        id: "8774f594-1d59-4279-b9d9-59ef09a23530",
        value: "",
    },
    {
        allowedMemberTypes: ["User"],
        description: "msiam_access",
        displayName: "msiam_access",
        enabled: true,
        id: "e7f1a7f3-9eda-48e0-9963-bd67bf531afd",
        value: "",
    },
] as const;

/**
 * `appRoleIds` of that service principal: empty. The provider maps value → id and skips roles without a value.
 * Source: hashicorp/terraform-provider-azuread internal/helpers FlattenAppRoleIDs (`if value != "" && role.Id != nil`).
 */
export const SERVICE_PRINCIPAL_APP_ROLE_IDS: Readonly<Record<string, string>> = {};

/**
 * The provider's error while a just-created service principal has not replicated yet.
 * ASSUMPTION: wording modelled on the provider's data sources ("User not found with object ID: %q" in
 * hashicorp/terraform-provider-azuread internal/services/users/user_data_source.go).
 */
export function servicePrincipalNotFound(objectId: string): string {
    return `invoking azuread:index/getServicePrincipal:getServicePrincipal: Service principal not found with object ID: "${objectId}"`;
}

/**
 * A synchronization job id: `<templateId>.<tenant id without dashes>.<client id>`.
 * Source: microsoftgraph/microsoft-graph-docs-contrib, "Configure provisioning using Microsoft Graph API"
 * (POST …/synchronization/jobs → "id": "aWSSingleSignon.ff8bf889e03141ac8f7baedb059892ee.bfc8712e-0986-…").
 */
export function synchronizationJobId(templateId: string, tenantId: string, clientId: string): string {
    return `${templateId}.${tenantId.replace(/-/g, "")}.${clientId}`;
}

/**
 * The provider's resource id of a synchronization job: `<servicePrincipalId>/job/<jobId>`.
 * Source: hashicorp/terraform-provider-azuread acceptance test of azuread_synchronization_job_provision_on_demand
 * (`trimprefix(azuread_synchronization_job.test.id, "${…service_principal_object_id}/job/")`).
 */
export function synchronizationJobResourceId(servicePrincipalObjectId: string, jobId: string): string {
    return `${servicePrincipalObjectId}/job/${jobId}`;
}
