import * as pulumi from "@pulumi/pulumi";
import * as azuread from "@pulumi/azuread";
import { EntraSettings } from "../stacks/model";
import { isReplicationNotFound, pickAppRoleId } from "./appRole";
import { PollOptions, pollUntilFound } from "./waitFor";

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
    /** Test hooks for the service principal read while Entra replicates it (sleep and clock). */
    poll?: Pick<PollOptions, "sleep" | "now" | "maxDelayMs">;
}

/**
 * Subject of the token-signing certificate: fixed, the provider's (and Entra's) default name, "CN=Microsoft Azure
 * Federated SSO Certificate" (@pulumi/azuread ServicePrincipalTokenSigningCertificate `displayName`: "If not
 * specified, it will default to …"). Never derived from the app's display name: a changed `displayName` forces
 * a new certificate, which breaks sign-in until the new metadata is uploaded to Identity Center.
 */
export const SIGNING_CERTIFICATE_SUBJECT = "CN=Microsoft Azure Federated SSO Certificate";

/** How long a first `pulumi up` waits for the new service principal to be readable (Entra replication). */
export const SERVICE_PRINCIPAL_READ_TIMEOUT_MS = 5 * 60_000;

/** End date of a token-signing certificate issued at `now`, valid `years` years (ISO-8601, UTC). */
export function certificateEndDate(now: Date, years: number): string {
    const end = new Date(now.getTime());
    end.setUTCFullYear(end.getUTCFullYear() + years);
    return end.toISOString();
}

/** Where Entra publishes the federation metadata of one app (what the Identity Center console step needs). */
export function samlEndpoints(
    tenantId: string,
    clientId: string,
): { metadataUrl: string; entityId: string; signOnUrl: string; signOutUrl: string } {
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
    /** App role id groups are assigned with (the role named `idfed:entra.appRole`, by display name). */
    public readonly appRoleId: pulumi.Output<string>;
    /** Thumbprint of the token-signing certificate (for the one-time activation, README "First rollout"). */
    public readonly signingCertificateThumbprint: pulumi.Output<string>;
    /** Synchronization job id, when provisioning is configured. */
    public readonly synchronizationJobId?: pulumi.Output<string>;
    /** Entra SAML metadata URL to paste into the Identity Center console. */
    public readonly samlMetadataUrl: pulumi.Output<string>;
    /** Entra IdP entity id (issuer). */
    public readonly samlEntityId: pulumi.Output<string>;
    /** Entra IdP sign-on URL. */
    public readonly samlSignOnUrl: pulumi.Output<string>;
    /** Expiry of the SCIM token (published for the policy pack's expiry check); absent before SCIM is configured. */
    public readonly scimTokenExpiresAt?: string;

    constructor(name: string, args: IdentityCenterAppArgs, opts?: pulumi.ComponentResourceOptions) {
        super("idfed:entra:IdentityCenterApp", name, {}, opts);
        const child = { parent: this };
        const e = args.entra;

        const template = azuread.getApplicationTemplateOutput({ displayName: e.galleryTemplateName }, child);
        const app = new azuread.ApplicationFromTemplate(
            name,
            {
                displayName: e.appDisplayName,
                templateId: template.templateId,
            },
            child,
        );
        // Entra replicates a new app for a while: the first read can answer "not found". Retry that (bounded);
        // any other error fails at once.
        const existingSp = app.servicePrincipalObjectId.apply(async (objectId) => {
            const r = await pollUntilFound(
                async () => {
                    try {
                        return await azuread.getServicePrincipal({ objectId }, child);
                    } catch (err) {
                        if (isReplicationNotFound(err)) return undefined;
                        throw err;
                    }
                },
                { timeoutMs: SERVICE_PRINCIPAL_READ_TIMEOUT_MS, initialDelayMs: 2000, maxDelayMs: 30_000, ...args.poll },
            );
            if (!r.found) {
                throw new pulumi.RunError(
                    `idfed: the service principal ${objectId} of "${e.appDisplayName}" was still not readable ` +
                        `after ${r.attempts} reads over ${SERVICE_PRINCIPAL_READ_TIMEOUT_MS / 60_000} min (Entra replication); run \`pulumi up\` again.`,
                );
            }
            return r.value;
        });
        const clientId = existingSp.apply((x) => x.clientId);
        const sp = new azuread.ServicePrincipal(
            `${name}-sp`,
            {
                clientId,
                useExisting: true,
                appRoleAssignmentRequired: true,
                preferredSingleSignOnMode: "saml",
                samlSingleSignOn: e.saml.relayState === undefined ? undefined : { relayState: e.saml.relayState },
                loginUrl: e.saml.signOnUrl,
                notificationEmailAddresses: [...e.saml.notificationEmails],
                featureTags: [{ enterprise: true, gallery: true }],
                notes: `Managed by idfed (${args.environment}). SAML and SCIM settings come from the AWS IAM Identity Center console.`,
            },
            child,
        );
        // Identifier URI and reply URL only once the service principal is in SAML mode: tenants with the 2025
        // identifier-URI restriction reject a non-verified-domain URI on an app that is not a SAML app yet.
        const samlMode = { parent: this, dependsOn: [sp] };
        new azuread.ApplicationIdentifierUri(
            `${name}-identifier`,
            {
                applicationId: app.applicationId,
                identifierUri: e.saml.entityId,
            },
            samlMode,
        );
        new azuread.ApplicationRedirectUris(
            `${name}-reply`,
            {
                applicationId: app.applicationId,
                type: "Web",
                redirectUris: [e.saml.acsUrl],
            },
            samlMode,
        );
        // Rotation: set `idfed:entra.saml.certificateIssuedOn` to the day of rotation; the end date changes and
        // the provider creates a new certificate valid `certificateYears` from that day. Without it, the end date
        // is fixed when the certificate is first created (ignored afterwards: no daily diff).
        const issuedOn = e.saml.certificateIssuedOn;
        const cert = new azuread.ServicePrincipalTokenSigningCertificate(
            `${name}-signing`,
            {
                servicePrincipalId: sp.id,
                displayName: SIGNING_CERTIFICATE_SUBJECT,
                endDate: certificateEndDate(
                    issuedOn !== undefined ? new Date(issuedOn) : (args.now ?? new Date()),
                    e.saml.certificateYears,
                ),
            },
            { parent: this, ignoreChanges: issuedOn !== undefined ? ["displayName"] : ["displayName", "endDate"] },
        );

        if (args.scimToken !== undefined && e.scim !== undefined) {
            const secret = new azuread.SynchronizationSecret(
                `${name}-scim`,
                {
                    servicePrincipalId: sp.id,
                    credentials: [
                        { key: "BaseAddress", value: e.scim.endpoint },
                        { key: "SecretToken", value: pulumi.secret(args.scimToken) },
                    ],
                },
                child,
            );
            const job = new azuread.SynchronizationJob(
                `${name}-sync`,
                {
                    servicePrincipalId: sp.id,
                    templateId: e.scim.synchronizationTemplateId,
                    enabled: true,
                },
                { parent: this, dependsOn: [secret] },
            );
            this.synchronizationJobId = job.id;
        }

        const endpoints = clientId.apply((id) => samlEndpoints(e.tenantId, id));
        this.clientId = clientId;
        this.servicePrincipalObjectId = sp.objectId;
        this.servicePrincipalId = sp.id;
        this.appRoleId = sp.appRoles.apply((roles) => {
            try {
                return pickAppRoleId(roles, e.appRole, e.appDisplayName);
            } catch (err) {
                throw new pulumi.RunError((err as Error).message);
            }
        });
        this.signingCertificateThumbprint = cert.thumbprint;
        this.samlMetadataUrl = endpoints.metadataUrl;
        this.samlEntityId = endpoints.entityId;
        this.samlSignOnUrl = endpoints.signOnUrl;
        if (e.scim !== undefined) this.scimTokenExpiresAt = e.scim.tokenExpiresAt;
        this.registerOutputs({
            clientId: this.clientId,
            servicePrincipalObjectId: this.servicePrincipalObjectId,
            samlMetadataUrl: this.samlMetadataUrl,
            samlEntityId: this.samlEntityId,
            samlSignOnUrl: this.samlSignOnUrl,
            signingCertificateThumbprint: this.signingCertificateThumbprint,
            ...(e.scim !== undefined ? { scimTokenExpiresAt: e.scim.tokenExpiresAt, scimEndpoint: e.scim.endpoint } : {}),
            provisioningConfigured: this.synchronizationJobId !== undefined,
        });
    }
}
