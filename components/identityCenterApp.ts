import * as pulumi from "@pulumi/pulumi";
import * as azuread from "@pulumi/azuread";
import { EntraSettings } from "../stacks/model";

/** Arguments of {@link IdentityCenterApp}. */
export interface IdentityCenterAppArgs {
    /** Validated Entra settings (tenant, SAML, SCIM). */
    entra: EntraSettings;
    /**
     * The SCIM access token, a secret. When absent (dev stacks only), provisioning is not configured and the
     * Identity Center groups must come from elsewhere.
     */
    scimToken?: pulumi.Output<string>;
    /** Stack environment tag written on the service principal's notes. */
    environment: string;
    /** Clock for the signing certificate's end date on first creation (default now). */
    now?: Date;
}

/** End date of a token-signing certificate issued at `now`, valid `years` years (ISO-8601, UTC). */
export function certificateEndDate(now: Date, years: number): string {
    const end = new Date(now.getTime());
    end.setUTCFullYear(end.getUTCFullYear() + years);
    return end.toISOString();
}

/** Default app-role id Entra uses for "default access" when an app publishes no matching role. */
export const DEFAULT_ACCESS_APP_ROLE_ID = "00000000-0000-0000-0000-000000000000";

/** Where Entra publishes the federation metadata of one app (what the Identity Center console step needs). */
export function samlEndpoints(tenantId: string, clientId: string): { metadataUrl: string; entityId: string; signOnUrl: string; signOutUrl: string } {
    return {
        metadataUrl: `https://login.microsoftonline.com/${tenantId}/federationmetadata/2007-06/federationmetadata.xml?appid=${clientId}`,
        entityId: `https://sts.windows.net/${tenantId}/`,
        signOnUrl: `https://login.microsoftonline.com/${tenantId}/saml2`,
        signOutUrl: `https://login.microsoftonline.com/${tenantId}/saml2`,
    };
}

/**
 * The Entra enterprise app for AWS IAM Identity Center: instantiated from the gallery template, its service
 * principal in SAML mode with identifier and reply URLs from the Identity Center console, a token-signing
 * certificate, the SCIM provisioning secret (endpoint + token) and a started synchronization job.
 */
export class IdentityCenterApp extends pulumi.ComponentResource {
    /** Client (application) id of the enterprise app. */
    public readonly clientId: pulumi.Output<string>;
    /** Object id of the service principal (the resource groups are assigned to). */
    public readonly servicePrincipalObjectId: pulumi.Output<string>;
    /** Resource id of the service principal (`/servicePrincipals/<id>`), for synchronization resources. */
    public readonly servicePrincipalId: pulumi.Output<string>;
    /** App role id groups are assigned with. */
    public readonly appRoleId: pulumi.Output<string>;
    /** Synchronization job id, when provisioning is configured. */
    public readonly synchronizationJobId?: pulumi.Output<string>;
    /** Entra SAML metadata URL to paste into the Identity Center console. */
    public readonly samlMetadataUrl: pulumi.Output<string>;
    /** Entra IdP entity id (issuer). */
    public readonly samlEntityId: pulumi.Output<string>;
    /** Entra IdP sign-on URL. */
    public readonly samlSignOnUrl: pulumi.Output<string>;
    /** Expiry of the SCIM token (published for the policy pack's expiry check). */
    public readonly scimTokenExpiresAt: string;

    constructor(name: string, args: IdentityCenterAppArgs, opts?: pulumi.ComponentResourceOptions) {
        super("idfed:entra:IdentityCenterApp", name, {}, opts);
        const child = { parent: this };
        const e = args.entra;

        const template = azuread.getApplicationTemplateOutput({ displayName: e.galleryTemplateName }, child);
        const app = new azuread.ApplicationFromTemplate(name, {
            displayName: e.appDisplayName,
            templateId: template.templateId,
        }, child);
        const existingSp = azuread.getServicePrincipalOutput({ objectId: app.servicePrincipalObjectId }, child);
        const sp = new azuread.ServicePrincipal(`${name}-sp`, {
            clientId: existingSp.clientId,
            useExisting: true,
            appRoleAssignmentRequired: true,
            preferredSingleSignOnMode: "saml",
            samlSingleSignOn: e.saml.relayState === undefined ? undefined : { relayState: e.saml.relayState },
            loginUrl: e.saml.signOnUrl,
            notificationEmailAddresses: [...e.saml.notificationEmails],
            featureTags: [{ enterprise: true, gallery: true }],
            notes: `Managed by idfed (${args.environment}). SAML and SCIM settings come from the AWS IAM Identity Center console.`,
        }, child);
        new azuread.ApplicationIdentifierUri(`${name}-identifier`, {
            applicationId: app.applicationId,
            identifierUri: e.saml.entityId,
        }, child);
        new azuread.ApplicationRedirectUris(`${name}-reply`, {
            applicationId: app.applicationId,
            type: "Web",
            redirectUris: [e.saml.acsUrl],
        }, child);
        new azuread.ServicePrincipalTokenSigningCertificate(`${name}-signing`, {
            servicePrincipalId: sp.id,
            displayName: `CN=${e.appDisplayName.replace(/[,=+<>#;"\\]/g, " ")}`,
            endDate: certificateEndDate(args.now ?? new Date(), e.saml.certificateYears),
            // The end date is set when the certificate is created; later runs must not show it as a diff.
            // Rotate by replacing the resource (`pulumi up --replace <urn>`), then re-upload the metadata.
        }, { parent: this, ignoreChanges: ["endDate"] });

        if (args.scimToken !== undefined) {
            const secret = new azuread.SynchronizationSecret(`${name}-scim`, {
                servicePrincipalId: sp.id,
                credentials: [
                    { key: "BaseAddress", value: e.scim.endpoint },
                    { key: "SecretToken", value: pulumi.secret(args.scimToken) },
                ],
            }, child);
            const job = new azuread.SynchronizationJob(`${name}-sync`, {
                servicePrincipalId: sp.id,
                templateId: e.scim.synchronizationTemplateId,
                enabled: true,
            }, { parent: this, dependsOn: [secret] });
            this.synchronizationJobId = job.id;
        }

        const endpoints = existingSp.clientId.apply((clientId) => samlEndpoints(e.tenantId, clientId));
        this.clientId = existingSp.clientId;
        this.servicePrincipalObjectId = sp.objectId;
        this.servicePrincipalId = sp.id;
        this.appRoleId = sp.appRoleIds.apply((ids) => (ids ?? {})[e.appRole] ?? DEFAULT_ACCESS_APP_ROLE_ID);
        this.samlMetadataUrl = endpoints.metadataUrl;
        this.samlEntityId = endpoints.entityId;
        this.samlSignOnUrl = endpoints.signOnUrl;
        this.scimTokenExpiresAt = e.scim.tokenExpiresAt;
        this.registerOutputs({
            clientId: this.clientId,
            servicePrincipalObjectId: this.servicePrincipalObjectId,
            samlMetadataUrl: this.samlMetadataUrl,
            samlEntityId: this.samlEntityId,
            samlSignOnUrl: this.samlSignOnUrl,
            scimTokenExpiresAt: this.scimTokenExpiresAt,
            scimEndpoint: e.scim.endpoint,
            provisioningConfigured: args.scimToken !== undefined,
        });
    }
}
