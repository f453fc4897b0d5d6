/**
 * The SCIM token from AWS Secrets Manager, so previews never need it (issue 11). During `pulumi up` the deploy
 * identity reads the secret's AWSCURRENT value; during a preview (a PR preview, the deploy's saved plan, the
 * nightly drift check) the value is never read and stays unknown. The synchronization secret then ignores its
 * credentials in diffs and is replaced (delete, then create) when the secret's current version id changes:
 * a rotation shows in the reviewed preview as a replacement, and nothing else ever diffs on the token.
 *
 * Reads: `secretsmanager:ListSecretVersionIds` (metadata, in preview and up) and `secretsmanager:GetSecretValue`
 * (up only; the deploy identity alone may call it on this secret).
 */
import * as pulumi from "@pulumi/pulumi";
import * as secretsmanager from "@pulumi/aws/secretsmanager";

/** Type token of the resource that carries the token. */
export const SYNCHRONIZATION_SECRET_TYPE = "azuread:index/synchronizationSecret:SynchronizationSecret";

/** The token and what a rotation is keyed on. */
export interface ScimTokenSource {
    /** The token, a secret; unknown in a preview. */
    readonly token: pulumi.Output<string>;
    /** The secret's current version id (changes on rotation). */
    readonly versionId: pulumi.Output<string>;
    /** Resource transformation for the component that creates the synchronization secret. */
    readonly transformation: pulumi.ResourceTransformation;
}

type OutputCtor = new (
    resources: Set<pulumi.Resource>,
    value: Promise<unknown>,
    isKnown: Promise<boolean>,
    isSecret: Promise<boolean>,
    allResources: Promise<Set<pulumi.Resource>>,
) => pulumi.Output<string>;

/**
 * A secret whose value is unknown, as the engine shows values not known before `up`. ASSUMPTION: built with the
 * SDK's runtime `Output` class constructor (`@pulumi/pulumi/output.js`, not in its typed surface); the SDK
 * offers no public factory for an unknown output.
 */
export function unknownSecret(): pulumi.Output<string> {
    const Ctor = pulumi.Output as unknown as OutputCtor;
    return new Ctor(new Set(), Promise.resolve(undefined), Promise.resolve(false), Promise.resolve(true), Promise.resolve(new Set()));
}

/** Reads the token of `secretArn` as described above; `dryRun` defaults to the engine's. */
export function scimTokenFromSecretsManager(secretArn: string, opts: { dryRun?: boolean } = {}): ScimTokenSource {
    const versions = secretsmanager.getSecretVersionsOutput({ secretId: secretArn });
    const versionId = versions.versions.apply((vs) => {
        const current = vs.find((v) => (v.versionStages ?? []).includes("AWSCURRENT"));
        if (!current)
            throw new pulumi.RunError(
                `idfed:scimTokenSecretArn: secret ${secretArn} has no AWSCURRENT version; store the SCIM token in it`,
            );
        return current.versionId;
    });
    const dryRun = opts.dryRun ?? pulumi.runtime.isDryRun();
    const token = dryRun
        ? unknownSecret()
        : pulumi.secret(versionId.apply((v) => secretsmanager.getSecretVersionOutput({ secretId: secretArn, versionId: v }).secretString));
    const transformation: pulumi.ResourceTransformation = (args) =>
        args.type !== SYNCHRONIZATION_SECRET_TYPE
            ? undefined
            : {
                  props: args.props,
                  opts: pulumi.mergeOptions(args.opts, {
                      ignoreChanges: ["credentials"],
                      replacementTrigger: versionId,
                      deleteBeforeReplace: true,
                  }),
              };
    return { token, versionId, transformation };
}
