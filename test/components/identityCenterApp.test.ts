/**
 * IdentityCenterApp (components/identityCenterApp.ts) alone, on minimal Entra settings, under the plan's mocks
 * (the gallery template and service principal answers of offline/plan/real-shapes/entra.ts): the app from the
 * gallery template, its service principal in SAML mode, identifier and reply URLs, the signing certificate, and
 * the SCIM secret and started job only when provisioning is configured. The SCIM token stays a secret.
 */
import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";
import { IdentityCenterApp, IdentityCenterAppArgs, SIGNING_CERTIFICATE_SUBJECT } from "../../components/identityCenterApp";
import { fakeGuid, realShapesEntra } from "../../offline";
import { construct, constructFails, isSecret } from "./harness";
import { entraSettings, IDENTITY_STORE } from "./models";

const T = {
    app: "azuread:index/applicationFromTemplate:ApplicationFromTemplate",
    sp: "azuread:index/servicePrincipal:ServicePrincipal",
    uri: "azuread:index/applicationIdentifierUri:ApplicationIdentifierUri",
    reply: "azuread:index/applicationRedirectUris:ApplicationRedirectUris",
    cert: "azuread:index/servicePrincipalTokenSigningCertificate:ServicePrincipalTokenSigningCertificate",
    secret: "azuread:index/synchronizationSecret:SynchronizationSecret",
    job: "azuread:index/synchronizationJob:SynchronizationJob",
} as const;
const TOKEN = "scim-tok-3f9a1c7e-NEVER-PRINT-ME";
const NOW = new Date("2026-11-23T00:00:00Z");

const app =
    (over: Partial<IdentityCenterAppArgs> = {}) =>
    () =>
        new IdentityCenterApp("entra-app", {
            entra: entraSettings(),
            scimToken: pulumi.secret(TOKEN),
            environment: "prod",
            now: NOW,
            ...over,
        });

describe("IdentityCenterApp (components/identityCenterApp.ts)", function () {
    it("registers the gallery app, its SAML service principal, identifier/reply URLs, certificate, SCIM secret and a started job: nothing else", async () => {
        const c = await construct(app());
        assert.deepEqual(c.counts(), {
            "idfed:entra:IdentityCenterApp": 1,
            [T.app]: 1,
            [T.sp]: 1,
            [T.uri]: 1,
            [T.reply]: 1,
            [T.cert]: 1,
            [T.secret]: 1,
            [T.job]: 1,
        });
        assert.deepEqual(c.only(T.app).props, {
            displayName: "AWS IAM Identity Center",
            templateId: realShapesEntra.APPLICATION_TEMPLATE.templateId,
        });
        const sp = c.only(T.sp).props;
        const spObjectId = fakeGuid("sp:entra-app");
        assert.equal(sp.clientId, fakeGuid(`client:${spObjectId}`), "the client id read from the template's service principal");
        assert.equal(sp.useExisting, true);
        assert.equal(sp.appRoleAssignmentRequired, true);
        assert.equal(sp.preferredSingleSignOnMode, "saml");
        assert.deepEqual(sp.notificationEmailAddresses, ["identity-team@example.com"]);
        assert.deepEqual(sp.featureTags, [{ enterprise: true, gallery: true }]);
        assert.equal(sp.samlSingleSignOn, undefined, "no relay state configured");
        assert.match(String(sp.notes), /Managed by idfed \(prod\)/);
        assert.equal(c.only(T.uri).props.identifierUri, `https://eu-west-1.signin.aws.amazon.com/platform/saml/${IDENTITY_STORE}`);
        assert.deepEqual(c.only(T.reply).props.redirectUris, [
            "https://eu-west-1.signin.aws.amazon.com/platform/saml/acs/9c8b7a6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d",
        ]);
        assert.equal(c.only(T.reply).props.type, "Web");
        const spUrn = c.only(T.sp).urn;
        for (const t of [T.uri, T.reply]) assert.ok(c.only(t).dependencies?.includes(spUrn), `${t} waits for SAML mode`);
        const cert = c.only(T.cert).props;
        assert.equal(cert.endDate, "2029-11-23T00:00:00.000Z", "3 years from the clock (certificateYears)");
        assert.equal(cert.displayName, SIGNING_CERTIFICATE_SUBJECT);
        const job = c.only(T.job);
        assert.equal(job.props.enabled, true);
        assert.equal(job.props.templateId, "aWSSingleSignon");
        assert.ok(job.dependencies?.includes(c.only(T.secret).urn), "the job starts once the secret is set");
        const outputs = c.only("idfed:entra:IdentityCenterApp").outputs!;
        assert.equal(outputs.provisioningConfigured, true);
        assert.equal(outputs.scimTokenExpiresAt, "2027-10-31");
        assert.equal(outputs.samlEntityId, "https://sts.windows.net/2b7d9c4e-1f3a-4e5b-8c6d-7e8f9a0b1c2d/");
    });

    it("the SCIM token is a secret in the provisioning secret's credentials and nowhere else", async () => {
        const c = await construct(app());
        const secret = c.only(T.secret);
        assert.ok(isSecret(secret.props.credentials), "credentials are not marked secret");
        assert.ok(JSON.stringify(secret.props.credentials).includes(TOKEN), "the provider gets the token");
        assert.ok(
            JSON.stringify(secret.props.credentials).includes("https://scim.eu-west-1.amazonaws.com/abc123/scim/v2"),
            "and the endpoint",
        );
        for (const r of c.resources) {
            if (r !== secret) assert.ok(!JSON.stringify(r.props).includes(TOKEN), `token in inputs of ${r.urn}`);
            assert.ok(!JSON.stringify(r.outputs ?? {}).includes(TOKEN), `token in outputs of ${r.urn}`);
        }
    });

    it("without SCIM (rollout stage 1) or without a token: no secret, no job, provisioning reported off", async () => {
        for (const over of [{ entra: entraSettings({ scim: undefined }) }, { scimToken: undefined }]) {
            const c = await construct(app(over));
            assert.equal(c.ofType(T.secret).length + c.ofType(T.job).length, 0);
            assert.equal(c.only("idfed:entra:IdentityCenterApp").outputs?.provisioningConfigured, false);
            assert.equal(c.ofType(T.sp).length, 1);
        }
    });

    it("a relay state is set on the service principal; certificateIssuedOn fixes the certificate's end date", async () => {
        const entra = entraSettings();
        const c = await construct(
            app({
                entra: {
                    ...entra,
                    saml: {
                        ...entra.saml,
                        relayState: "https://console.aws.amazon.com/",
                        certificateIssuedOn: "2026-03-01",
                        certificateYears: 2,
                    },
                },
            }),
        );
        assert.deepEqual(c.only(T.sp).props.samlSingleSignOn, { relayState: "https://console.aws.amazon.com/" });
        assert.equal(c.only(T.cert).props.endDate, "2028-03-01T00:00:00.000Z");
    });

    it("a gallery template that does not exist fails with the provider's not-found error", async () => {
        const f = await constructFails(app({ entra: entraSettings({ galleryTemplateName: "AWS SSO (old)" }) }));
        assert.match(f.error.message, /No application template found matching display name: "AWS SSO \(old\)"/);
    });

    it("an app role the gallery app does not publish fails naming the roles it has", async () => {
        const f = await constructFails(app({ entra: entraSettings({ appRole: "Admin" }) }));
        assert.match(f.error.message, /has no app role named `Admin`; its roles are `User`, `msiam_access`/);
    });
});
