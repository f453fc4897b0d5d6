import assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import type * as scimModule from "../components/scimToken";

const ARN = "arn:aws:secretsmanager:eu-west-1:111111111111:secret:idfed/prod/scim-token-AbCdEf";
const invoked: Array<{ token: string; args: Record<string, unknown> }> = [];
// Invoke answers in the provider's shape (terraform-provider-aws data sources aws_secretsmanager_secret_versions and
// aws_secretsmanager_secret_version, docs website/docs/d/secretsmanager_secret_version(s).html.markdown; the Pulumi
// types GetSecretVersionsResult / GetSecretVersionResult in node_modules/@pulumi/aws/secretsmanager).
const ANSWERS: Record<string, Record<string, unknown>> = {
    "aws:secretsmanager/getSecretVersions:getSecretVersions": {
        arn: ARN,
        id: ARN,
        name: "idfed/prod/scim-token",
        region: "eu-west-1",
        secretId: ARN,
        includeDeprecated: false,
        versions: [
            {
                createdTime: "2026-01-10T09:00:00Z",
                lastAccessedDate: "2026-11-01T00:00:00Z",
                versionId: "old-version-0001",
                versionStages: ["AWSPREVIOUS"],
            },
            {
                createdTime: "2026-10-01T09:00:00Z",
                lastAccessedDate: "2026-11-28T00:00:00Z",
                versionId: "cur-version-0002",
                versionStages: ["AWSCURRENT"],
            },
        ],
    },
    "aws:secretsmanager/getSecretVersion:getSecretVersion": {
        arn: ARN,
        id: `${ARN}|cur-version-0002`,
        createdDate: "2026-10-01T09:00:00Z",
        region: "eu-west-1",
        secretArn: ARN,
        secretBinary: "",
        secretId: ARN,
        secretString: "scim-token-value",
        versionId: "cur-version-0002",
        versionStages: ["AWSCURRENT"],
    },
};

async function settle(): Promise<void> {
    await (require("@pulumi/pulumi/runtime/settings") as { waitForRPCs(): Promise<void> }).waitForRPCs();
}

/** Resolves an output with its known/secret flags (the internal promise accessors tests in pulumi use). */
async function inspect(o: pulumi.Output<string>): Promise<{ known: boolean; secret: boolean; value?: string }> {
    const internal = o as unknown as {
        isKnown: Promise<boolean>;
        isSecret: Promise<boolean>;
        promise(withUnknowns?: boolean): Promise<string | undefined>;
    };
    const known = await internal.isKnown;
    return { known, secret: await internal.isSecret, ...(known ? { value: await internal.promise() } : {}) };
}

describe("SCIM token from AWS Secrets Manager (components/scimToken.ts)", () => {
    let m: typeof scimModule;
    beforeEach(async () => {
        invoked.length = 0;
        await pulumi.runtime.setMocks(
            {
                newResource: (a) => ({ id: `${a.name}-id`, state: a.inputs }),
                call: (a) => {
                    invoked.push({ token: a.token, args: a.inputs as Record<string, unknown> });
                    const hit = ANSWERS[a.token];
                    if (!hit) throw new Error(`unexpected invoke ${a.token}`);
                    return hit;
                },
            },
            "idfed",
            "test",
            true,
        );
        m = require("../components/scimToken") as typeof scimModule;
    });

    it("in a preview: reads only the version metadata, never the value; the token is an unknown secret", async () => {
        const src = m.scimTokenFromSecretsManager(ARN, { dryRun: true });
        assert.deepEqual(await inspect(src.token), { known: false, secret: true });
        assert.equal(await new Promise((r) => src.versionId.apply(r)), "cur-version-0002");
        await settle();
        assert.deepEqual(
            invoked.map((i) => i.token),
            ["aws:secretsmanager/getSecretVersions:getSecretVersions"],
        );
    });

    it("in an update: reads the AWSCURRENT version's value as a secret", async () => {
        const src = m.scimTokenFromSecretsManager(ARN, { dryRun: false });
        assert.deepEqual(await inspect(src.token), { known: true, secret: true, value: "scim-token-value" });
        await settle();
        const read = invoked.find((i) => i.token === "aws:secretsmanager/getSecretVersion:getSecretVersion");
        assert.deepEqual([read?.args.secretId, read?.args.versionId], [ARN, "cur-version-0002"]);
    });

    it("makes only the synchronization secret ignore its credentials and replace on a new version", async () => {
        const src = m.scimTokenFromSecretsManager(ARN, { dryRun: true });
        const base = { name: "x", props: { a: 1 }, opts: {} as pulumi.CustomResourceOptions };
        assert.equal(
            src.transformation({ ...base, type: "azuread:index/servicePrincipal:ServicePrincipal", resource: undefined as never }),
            undefined,
        );
        const out = src.transformation({ ...base, type: m.SYNCHRONIZATION_SECRET_TYPE, resource: undefined as never });
        const opts = out?.opts as pulumi.CustomResourceOptions;
        assert.deepEqual([opts.ignoreChanges, opts.deleteBeforeReplace], [["credentials"], true]);
        assert.equal(await new Promise((r) => pulumi.output(opts.replacementTrigger).apply(r)), "cur-version-0002");
        assert.deepEqual(out?.props, { a: 1 });
    });
});

describe("idfed:scimTokenSecretArn (config)", () => {
    const { parseStackConfig } = require("../stacks/config/stack-config") as typeof import("../stacks/config/stack-config");
    const fx = require("./fixtures/stacks-config") as typeof import("./fixtures/stacks-config");
    const opts = { stackName: "prod", projectRoot: fx.PROJECT_ROOT, readFile: fx.readFile };
    const withoutToken = () => {
        const raw = fx.validRaw();
        delete raw["idfed:scimToken"];
        return raw;
    };

    it("replaces idfed:scimToken in prod: provisioning stays configured, the ARN is in the model", () => {
        const model = parseStackConfig({ ...withoutToken(), "idfed:scimTokenSecretArn": ARN }, opts);
        assert.deepEqual([model.scimTokenSecretArn, model.entra.scim?.tokenConfigured], [ARN, true]);
    });

    it("rejects a non-ARN and a second token source, naming the keys", () => {
        assert.throws(
            () => parseStackConfig({ ...withoutToken(), "idfed:scimTokenSecretArn": "idfed/prod/scim" }, opts),
            /idfed:scimTokenSecretArn`: `idfed\/prod\/scim` is not a Secrets Manager secret ARN/,
        );
        assert.throws(
            () => parseStackConfig({ ...fx.validRaw(), "idfed:scimTokenSecretArn": ARN }, opts),
            /idfed:scimToken.*is set as well as `idfed:scimTokenSecretArn`/s,
        );
    });
});
