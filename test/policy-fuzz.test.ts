/**
 * 2,500 generated and mutated documents (deterministic PRNG) never make the analysis, the checker or any
 * policy throw: every outcome is a verdict, a finding, or @pulumi/policy's "unknown during preview".
 */
import * as assert from "assert/strict";
import { analyzeIdentityPolicy } from "idfed-policy-pack/analysis/identity";
import { analyzeTrustPolicy } from "idfed-policy-pack/analysis/trust";
import { analyzeScp } from "idfed-policy-pack/analysis/scp";
import { checkDocumentText } from "idfed-policy-pack/analysis/check";
import { iamDocuments, iamDocumentsAdvisories, serviceControlPolicies } from "idfed-policy-pack/policies/documents";
import { trustPolicies } from "idfed-policy-pack/policies/trust";
import { awsLimits } from "idfed-policy-pack/policies/limits";
import { policies } from "idfed-policy-pack/policies";
import { StackValidationPolicy } from "@pulumi/policy";
import { resourceArgs, runResourcePolicy, runStackPolicy, stackArgs } from "./fixtures/policies/harness";
import { buildStack, prodStack } from "./fixtures/policies/stack";
import { prng } from "../offline";

const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const ACTIONS = [
    "*",
    "*:*",
    "s3:*",
    "S3:get?bject",
    "iam:PassRole",
    "iam:Pass*",
    "sso:*",
    "kms:Decrypt",
    "ec2:RunInstances",
    "iam:PassRloe",
    "secretsmanager:GetSecretValue",
    "organizations:*",
    "sts:AssumeRole*",
    "s3:(",
    "[iam]:*",
    "x",
    "",
    ":",
    "iam:",
    ":Get*",
    "*:Describe*",
    "a\\b:c",
    "ssm:GetParameter*",
    "identitystore:Create*",
];
const RESOURCES = [
    "*",
    "arn:aws:s3:::b/*",
    "arn:aws:iam::123456789012:role/*",
    "arn:*",
    "arn:aws:secretsmanager:*:*:secret:*",
    "",
    "arn",
    "arn:aws:iam::*:role/a?b",
    UNKNOWN,
];
const PRINCIPALS = [
    "*",
    { AWS: "*" },
    { AWS: ["123456789012", "arn:aws:iam::999999999999:root"] },
    { Service: "ec2.amazonaws.com" },
    { Federated: "arn:aws:iam::1:saml-provider/x" },
    { Federated: "arn:aws:iam::1:oidc-provider/token.actions.githubusercontent.com" },
    { CanonicalUser: 5 },
    [],
    null,
    UNKNOWN,
];
const CONDITIONS = [
    undefined,
    { StringEquals: { "aws:PrincipalOrgID": "o-1" } },
    { StringLike: { "token.actions.githubusercontent.com:sub": ["repo:*", 3] } },
    { Bool: "true" },
    [],
    { StringEquals: { "SAML:aud": null } },
    { "ForAnyValue:StringLike": { "aws:ResourceTag/x": ["a"] } },
    UNKNOWN,
];
const WEIRD: unknown[] = [null, 0, -1, 1.5, true, "", [], {}, [[]], [null], UNKNOWN, "Allow", { toString: 1 }, "__proto__"];

function pick<T>(r: () => number, xs: readonly T[]): T {
    return xs[Math.floor(r() * xs.length)];
}

function statement(r: () => number): Record<string, unknown> {
    const s: Record<string, unknown> = { Effect: r() < 0.8 ? "Allow" : "Deny" };
    const many = (xs: readonly unknown[]) => (r() < 0.5 ? pick(r, xs) : Array.from({ length: 1 + Math.floor(r() * 4) }, () => pick(r, xs)));
    s[r() < 0.85 ? "Action" : "NotAction"] = many(ACTIONS);
    s[r() < 0.9 ? "Resource" : "NotResource"] = many(RESOURCES);
    if (r() < 0.4) s[r() < 0.9 ? "Principal" : "NotPrincipal"] = pick(r, PRINCIPALS);
    const c = pick(r, CONDITIONS);
    if (c !== undefined) s.Condition = c;
    if (r() < 0.3) s.Sid = r() < 0.5 ? `S${Math.floor(r() * 100)}` : pick(r, WEIRD);
    return s;
}

function mutate(r: () => number, v: unknown, depth = 0): unknown {
    if (depth > 4 || r() < 0.6) return v;
    if (Array.isArray(v)) return r() < 0.3 ? pick(r, WEIRD) : v.map((x) => mutate(r, x, depth + 1));
    if (v && typeof v === "object") {
        const o: Record<string, unknown> = {};
        for (const [k, x] of Object.entries(v)) {
            const key = r() < 0.1 ? k.toLowerCase() : r() < 0.05 ? `${k}x` : k;
            if (r() < 0.1) continue;
            o[key] = r() < 0.15 ? pick(r, WEIRD) : mutate(r, x, depth + 1);
        }
        return o;
    }
    return r() < 0.5 ? pick(r, WEIRD) : v;
}

/** One generated document: object, JSON string, truncated JSON, or something that is not a document. */
export function generate(r: () => number): unknown {
    const doc = {
        Version: "2012-10-17",
        Statement: r() < 0.2 ? statement(r) : Array.from({ length: 1 + Math.floor(r() * 4) }, () => statement(r)),
    };
    const m = mutate(r, doc);
    const form = r();
    if (form < 0.5) return m;
    const text = JSON.stringify(m) ?? "null";
    if (form < 0.85) return text;
    if (form < 0.95) return text.slice(0, Math.floor(r() * text.length));
    return pick(r, WEIRD);
}

describe("policy fuzz: generated documents never throw", function () {
    this.timeout(60_000);
    const N = 2_500;

    it(`analysis and checker survive ${N} documents`, () => {
        const r = prng(4242);
        for (let i = 0; i < N; i++) {
            const d = generate(r);
            const ctx = () => `#${i}: ${JSON.stringify(d)?.slice(0, 300)}`;
            try {
                for (const rep of [analyzeIdentityPolicy(d), analyzeTrustPolicy(d), analyzeScp(d)]) {
                    assert.ok(["ok", "invalid", "unknown"].includes(rep.status), ctx());
                    for (const f of rep.findings) assert.ok(typeof f.message === "string" && f.message.length > 0, ctx());
                }
                const c = checkDocumentText(typeof d === "string" ? d : (JSON.stringify(d) ?? ""));
                assert.ok(c.verdict === "block" || c.verdict === "allow", ctx());
            } catch (e) {
                assert.fail(`${ctx()}\n${(e as Error).stack}`);
            }
        }
    });

    it("resource policies survive 1,000 mutated resources", async () => {
        const r = prng(7);
        const cases: [string, () => Record<string, unknown>][] = [
            ["aws:iam/policy:Policy", () => ({ policy: generate(r) })],
            [
                "aws:iam/role:Role",
                () => ({
                    assumeRolePolicy: generate(r),
                    inlinePolicies: mutate(r, [{ name: "a", policy: generate(r) }]),
                    managedPolicyArns: mutate(r, ["arn:aws:iam::aws:policy/PowerUserAccess", "arn:aws:iam::aws:policy/Nope"]),
                }),
            ],
            [
                "aws:organizations/policy:Policy",
                () => ({ type: pick(r, ["SERVICE_CONTROL_POLICY", "TAG_POLICY", UNKNOWN, 3]), content: generate(r) }),
            ],
            [
                "aws:ssoadmin/permissionSet:PermissionSet",
                () => ({
                    name: pick(r, WEIRD),
                    sessionDuration: pick(r, ["PT1H", "PT0H", "P1D", UNKNOWN, 5]),
                    description: pick(r, WEIRD),
                }),
            ],
        ];
        for (let i = 0; i < 1_000; i++) {
            const [type, make] = cases[i % cases.length];
            const props = make();
            for (const p of [iamDocuments, iamDocumentsAdvisories, trustPolicies, serviceControlPolicies, awsLimits]) {
                try {
                    await runResourcePolicy(p, resourceArgs(type, props));
                } catch (e) {
                    assert.fail(`${p.name} on ${type} #${i}: ${JSON.stringify(props).slice(0, 300)}\n${(e as Error).stack}`);
                }
            }
        }
    });

    it("stack policies survive 100 stacks with mutated permission sets and metadata", async () => {
        const r = prng(99);
        const stackPolicies = policies.filter((p): p is StackValidationPolicy => "validateStack" in p);
        for (let i = 0; i < 100; i++) {
            const resources = buildStack(prodStack()).map((res) => {
                if (res.type.includes("InlinePolicy")) return { ...res, props: { ...res.props, inlinePolicy: generate(r) } };
                if (res.type.startsWith("idfed:") && r() < 0.5) return { ...res, props: mutate(r, res.props) as Record<string, unknown> };
                if (res.type.includes("accountAssignment") && r() < 0.1)
                    return { ...res, props: mutate(r, res.props) as Record<string, unknown> };
                return res;
            });
            for (const p of stackPolicies) {
                try {
                    await runStackPolicy(p, stackArgs(resources, { config: {} }));
                } catch (e) {
                    assert.fail(`${p.name} on stack #${i}\n${(e as Error).stack}`);
                }
            }
        }
    });
});
