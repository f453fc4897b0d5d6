import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { loadStackConfigFile, parseStackConfig, SECRET_PLACEHOLDER } from "../stacks/config/stack-config";
import { ConfigError, StackModel } from "../stacks/model";
import { DENY_SECRETS, PROJECT_ROOT, readFile, TOKEN, validRaw } from "./fixtures/stacks-config";

type Raw = Record<string, unknown>;
// Test-only loose access into the raw config.
type Loose = { [k: string]: Loose } & Loose[];

const opts = { stackName: "prod", projectRoot: PROJECT_ROOT, readFile };

function parse(raw: Raw, o: Partial<typeof opts> = {}): StackModel {
    return parseStackConfig(raw, { ...opts, ...o });
}

/** Parses and returns the ConfigError (fails when parsing succeeds or throws anything else). */
function errorOf(raw: Raw, o: Partial<typeof opts> = {}): ConfigError {
    try {
        parse(raw, o);
    } catch (e) {
        if (e instanceof ConfigError) return e;
        assert.fail(`expected ConfigError, got ${String(e)}`);
    }
    return assert.fail("expected a ConfigError, parsing succeeded");
}

function mutated(f: (r: Loose) => void): Raw {
    const raw = validRaw();
    f(raw as unknown as Loose);
    return raw;
}

describe("stacks/config parseStackConfig", () => {
    it("parses the valid config into the exact model", () => {
        const m = parse(validRaw());
        assert.equal(m.environment, "prod");
        assert.equal(m.allowManagementAccount, false);
        assert.equal(m.guardrails, undefined);
        assert.deepEqual(m.entra, {
            tenantId: "8f3e1c2a-4b5d-4e6f-8a9b-0c1d2e3f4a5b",
            appDisplayName: "AWS IAM Identity Center",
            galleryTemplateName: "AWS IAM Identity Center (successor to AWS Single Sign-On)",
            appRole: "User",
            saml: {
                entityId: "https://eu-west-1.signin.aws.amazon.com/platform/saml/d-906700a1b2",
                acsUrl: "https://eu-west-1.signin.aws.amazon.com/platform/saml/acs/0a1b2c3d-1111-2222-3333-444455556666",
                notificationEmails: ["ops@example.com", "security@example.com"],
                certificateYears: 3,
            },
            scim: {
                endpoint: "https://scim.eu-west-1.amazonaws.com/a1b2c3d4e5f-6789-abcd-ef01-23456789abcd/scim/v2",
                tokenExpiresAt: "2027-01-15",
                tokenConfigured: true,
                synchronizationTemplateId: "aWSSingleSignon",
                provisionOnDemandRuleId: "03f7d90d-bf71-41b1-bda6-aaf0ddbee5d8",
                groupWaitTimeoutSeconds: 900,
                groupWaitInitialDelaySeconds: 5,
            },
        });
        assert.deepEqual(m.groups, [
            {
                key: "admins",
                source: { kind: "create", displayName: "AWS Admins" },
                displayName: "AWS Admins",
                owners: ["aaaaaaaa-0000-0000-0000-000000000001", "bbbbbbbb-0000-0000-0000-000000000002"],
            },
            {
                key: "data-eng",
                source: { kind: "existingByName", displayName: "Data Engineers" },
                displayName: "Data Engineers",
                description: "data team",
                owners: [],
            },
            {
                key: "readers",
                source: { kind: "existingById", objectId: "cccccccc-0000-0000-0000-000000000003", displayName: "AWS Readers" },
                displayName: "AWS Readers",
                owners: [],
            },
        ]);
        assert.deepEqual(m.permissionSets, [
            {
                key: "admin",
                name: "AdministratorAccess",
                sessionDuration: "PT2H",
                tags: {},
                managedPolicyArns: ["arn:aws:iam::aws:policy/AdministratorAccess"],
                customerManagedPolicies: [],
            },
            {
                key: "readonly",
                name: "ReadOnly",
                description: "Read-only access",
                sessionDuration: "PT90M",
                tags: { "cost-center": "1234", owner: "platform" },
                managedPolicyArns: ["arn:aws:iam::aws:policy/ReadOnlyAccess", "arn:aws:iam::aws:policy/job-function/ViewOnlyAccess"],
                customerManagedPolicies: [
                    { name: "audit-read", path: "/" },
                    { name: "idfed-extra", path: "/idfed/" },
                ],
                inlinePolicy: DENY_SECRETS,
                inlinePolicySource: "policies/deny-secrets.json",
                permissionsBoundary: { kind: "customerManaged", policy: { name: "idfed-boundary", path: "/" } },
            },
        ]);
        assert.deepEqual(m.assignments, [
            {
                index: 0,
                group: "admins",
                permissionSet: "admin",
                targets: { ous: ["ou-ab12-workload"], recursive: true, accounts: [] },
                exclude: { accounts: [], ous: [] },
            },
            {
                index: 1,
                group: "readers",
                permissionSet: "readonly",
                targets: { ous: [], recursive: true, accounts: [], accountTags: { env: "*" } },
                exclude: { accounts: [], ous: ["ou-ab12-security"] },
            },
            {
                index: 2,
                group: "data-eng",
                permissionSet: "readonly",
                targets: { ous: [], recursive: false, accounts: ["710000000002", "720000000002"] },
                exclude: { accounts: [], ous: [] },
                expiresAt: "2027-03-01T11:00:00.000Z",
                reason: "incident 1234",
            },
        ]);
    });

    it("never puts the SCIM token into the model", () => {
        const m = parse(validRaw());
        assert.ok(!JSON.stringify(m).includes(TOKEN));
        assert.ok(!JSON.stringify(m).includes("NEVER-SHOW"));
    });

    it("is unchanged by reordering keys and lists (zero churn)", () => {
        const a = parse(validRaw());
        const b = parse(
            mutated((r) => {
                const ps = r["idfed:permissionSets"];
                r["idfed:permissionSets"] = { readonly: ps.readonly, admin: ps.admin } as unknown as Loose;
                ps.readonly.managedPolicies.reverse();
                ps.readonly.customerManagedPolicies.reverse();
                r["idfed:groups"].admins.owners.reverse();
                r["idfed:entra"].saml.notificationEmails.reverse();
                r["idfed:assignments"][2].accounts.reverse();
            }),
        );
        assert.deepEqual(b, a);
    });

    it("accepts structured values as JSON strings (as the Pulumi runtime passes them)", () => {
        const raw = validRaw();
        for (const k of ["idfed:entra", "idfed:groups", "idfed:permissionSets", "idfed:assignments"]) raw[k] = JSON.stringify(raw[k]);
        raw["idfed:allowManagementAccount"] = "true";
        const m = parse(raw);
        assert.deepEqual({ ...m, allowManagementAccount: false }, parse(validRaw()));
        assert.equal(m.allowManagementAccount, true);
    });

    it("defaults environment from the stack name and does not require a token outside prod", () => {
        const raw = mutated((r) => {
            delete r["idfed:environment"];
            delete r["idfed:scimToken"];
        });
        const m = parse(raw, { stackName: "dev" });
        assert.equal(m.environment, "dev");
        assert.equal(m.entra.scim?.tokenConfigured, false);
        assert.equal(errorOf(raw, { stackName: "acme-prod-eu" }).issues[0].path, "idfed:scimToken");
    });

    it("validates idfed:guardrails through its parser (unknown sections are errors; see guardrails-config.test.ts)", () => {
        const g = { scp: { denyLeaveOrg: true } };
        assert.ok(errorOf({ ...validRaw(), "idfed:guardrails": g }).issues.some((i) => i.path === "idfed:guardrails.scp"));
        assert.deepEqual(parse({ ...validRaw(), "idfed:guardrails": {} }).guardrails, { accessRoleName: "OrganizationAccountAccessRole" });
    });

    it("ignores other namespaces", () => {
        assert.deepEqual(parse({ ...validRaw(), "aws:whatever": { x: 1 }, "azuread:tenantId": 3 }), parse(validRaw()));
    });

    it("reports every problem at once", () => {
        const e = errorOf(
            mutated((r) => {
                r["idfed:entra"].tenantId = "nope" as unknown as Loose;
                r["idfed:groups"].admins.displayName = 42 as unknown as Loose;
                r["idfed:permissionSets"].admin.sessionDuration = "PT13H" as unknown as Loose;
                r["idfed:assignments"][0].ous[0] = "ou-1" as unknown as Loose;
            }),
        );
        assert.deepEqual(e.issues.map((i) => i.path).sort(), [
            "idfed:assignments[0].ous[0]",
            "idfed:entra.tenantId",
            "idfed:groups.admins.displayName",
            "idfed:permissionSets.admin.sessionDuration",
        ]);
        assert.match(e.message, /^invalid config \(4 problems\)/);
    });
});

interface BadCase {
    readonly name: string;
    readonly raw: () => Raw;
    readonly path: string;
    readonly has: readonly string[];
    readonly opts?: Partial<typeof opts>;
}

const set = (f: (r: Loose) => void) => () => mutated(f);
const big = (n: number) => ({
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Action: Array.from({ length: n }, (_, i) => `s3:GetObject${i}`), Resource: "*" }],
});

const cases: BadCase[] = [
    {
        name: "unknown top-level key",
        raw: () => ({ ...validRaw(), "idfed:grups": {} }),
        path: "idfed:grups",
        has: ["unknown config key", "did you mean `idfed:groups`?"],
    },
    {
        name: "unknown nested key",
        raw: set((r) => {
            r["idfed:groups"].admins.displayname = "x" as unknown as Loose;
        }),
        path: "idfed:groups.admins.displayname",
        has: ["unknown key", "did you mean `displayName`?"],
    },
    {
        name: "unknown key in an assignment",
        raw: set((r) => {
            r["idfed:assignments"][0].ou = [] as unknown as Loose;
        }),
        path: "idfed:assignments[0].ou",
        has: ["did you mean `ous`?"],
    },
    {
        name: "bad OU id",
        raw: set((r) => {
            r["idfed:assignments"][0].ous = ["ou-1"] as unknown as Loose;
        }),
        path: "idfed:assignments[0].ous[0]",
        has: ["`ou-1`", "ou-xxxx-xxxxxxxx"],
    },
    {
        name: "unknown group reference",
        raw: set((r) => {
            r["idfed:assignments"][0].group = "admin" as unknown as Loose;
        }),
        path: "idfed:assignments[0].group",
        has: ["`admin`", "did you mean `admins`?"],
    },
    {
        name: "unknown permission set reference",
        raw: set((r) => {
            r["idfed:assignments"][1].permissionSet = "read-only" as unknown as Loose;
        }),
        path: "idfed:assignments[1].permissionSet",
        has: ["`read-only`", "did you mean `readonly`?"],
    },
    {
        name: "unrelated reference lists known keys",
        raw: set((r) => {
            r["idfed:assignments"][0].group = "zzzzzzzz" as unknown as Loose;
        }),
        path: "idfed:assignments[0].group",
        has: ["known keys: `admins`, `data-eng`, `readers`"],
    },
    {
        name: "bad ISO duration",
        raw: set((r) => {
            r["idfed:permissionSets"].admin.sessionDuration = "2 hours" as unknown as Loose;
        }),
        path: "idfed:permissionSets.admin.sessionDuration",
        has: ["`2 hours`", "PT1H–PT12H"],
    },
    {
        name: "duration 13 h",
        raw: set((r) => {
            r["idfed:permissionSets"].admin.sessionDuration = "PT13H" as unknown as Loose;
        }),
        path: "idfed:permissionSets.admin.sessionDuration",
        has: ["`PT13H`", "13 h", "1 to 12 hours"],
    },
    {
        name: "duration under 1 h",
        raw: set((r) => {
            r["idfed:permissionSets"].admin.sessionDuration = "PT59M" as unknown as Loose;
        }),
        path: "idfed:permissionSets.admin.sessionDuration",
        has: ["`PT59M`", "PT1H–PT12H"],
    },
    {
        name: "name too long",
        raw: set((r) => {
            r["idfed:permissionSets"].admin.name = "A".repeat(33) as unknown as Loose;
        }),
        path: "idfed:permissionSets.admin.name",
        has: ["33 characters", "limit is 32"],
    },
    {
        name: "name with bad characters",
        raw: set((r) => {
            r["idfed:permissionSets"].admin.name = "Admin Access!" as unknown as Loose;
        }),
        path: "idfed:permissionSets.admin.name",
        has: ["`Admin Access!`", "_+=,.@-"],
    },
    {
        name: "inline policy too large",
        raw: set((r) => {
            r["idfed:permissionSets"].admin.inlinePolicy = big(700) as unknown as Loose;
        }),
        path: "idfed:permissionSets.admin.inlinePolicy",
        has: ["characters without whitespace", "at most 10240"],
    },
    {
        name: "inline file escaping the repo",
        raw: set((r) => {
            r["idfed:permissionSets"].admin.inlinePolicy = "../secrets/p.json" as unknown as Loose;
        }),
        path: "idfed:permissionSets.admin.inlinePolicy",
        has: ["`../secrets/p.json`", "escapes the repository"],
    },
    {
        name: "absolute inline file path",
        raw: set((r) => {
            r["idfed:permissionSets"].admin.inlinePolicy = "/etc/policy.json" as unknown as Loose;
        }),
        path: "idfed:permissionSets.admin.inlinePolicy",
        has: ["`/etc/policy.json`", "relative to the repository"],
    },
    {
        name: "missing inline file",
        raw: set((r) => {
            r["idfed:permissionSets"].admin.inlinePolicy = "policies/nope.json" as unknown as Loose;
        }),
        path: "idfed:permissionSets.admin.inlinePolicy",
        has: ["`policies/nope.json`", "cannot read", "ENOENT"],
    },
    {
        name: "inline file with invalid JSON",
        raw: set((r) => {
            r["idfed:permissionSets"].admin.inlinePolicy = "policies/broken.json" as unknown as Loose;
        }),
        path: "idfed:permissionSets.admin.inlinePolicy",
        has: ["`policies/broken.json`", "not valid JSON"],
    },
    {
        name: "inline policy with a wrong Version",
        raw: set((r) => {
            r["idfed:permissionSets"].admin.inlinePolicy = { Version: "2008-10-17", Statement: [{ Effect: "Allow" }] } as unknown as Loose;
        }),
        path: "idfed:permissionSets.admin.inlinePolicy.Version",
        has: ["`2008-10-17`", "2012-10-17"],
    },
    {
        name: "duplicate permission set name",
        raw: set((r) => {
            r["idfed:permissionSets"].readonly.name = "AdministratorAccess" as unknown as Loose;
        }),
        path: "idfed:permissionSets.readonly.name",
        has: ["`AdministratorAccess`", "permission set `admin`", "unique"],
    },
    {
        name: "duplicate group display name",
        raw: set((r) => {
            r["idfed:groups"].readers.displayName = "AWS Admins" as unknown as Loose;
        }),
        path: "idfed:groups.readers.displayName",
        has: ["`AWS Admins`", "group `admins`"],
    },
    {
        name: "account id of 11 digits",
        raw: set((r) => {
            r["idfed:assignments"][2].accounts = ["72000000002"] as unknown as Loose;
        }),
        path: "idfed:assignments[2].accounts[0]",
        has: ["`72000000002`", "exactly 12 digits"],
    },
    {
        name: "account id as an 11-digit number",
        raw: set((r) => {
            r["idfed:assignments"][2].accounts = [12345678901] as unknown as Loose;
        }),
        path: "idfed:assignments[2].accounts[0]",
        has: ["`12345678901`", "quote account ids"],
    },
    {
        name: "malformed expiresAt",
        raw: set((r) => {
            r["idfed:assignments"][2].expiresAt = "next friday" as unknown as Loose;
        }),
        path: "idfed:assignments[2].expiresAt",
        has: ["`next friday`", "ISO-8601"],
    },
    {
        name: "expiresAt on a date that does not exist",
        raw: set((r) => {
            r["idfed:assignments"][2].expiresAt = "2026-02-30" as unknown as Loose;
        }),
        path: "idfed:assignments[2].expiresAt",
        has: ["`2026-02-30`", "must exist in the calendar"],
    },
    {
        name: "expiresAt without a zone",
        raw: set((r) => {
            r["idfed:assignments"][2].expiresAt = "2026-03-01T10:00:00" as unknown as Loose;
        }),
        path: "idfed:assignments[2].expiresAt",
        has: ["`2026-03-01T10:00:00`", "Z or an offset"],
    },
    {
        name: "missing token in prod",
        raw: set((r) => {
            delete r["idfed:scimToken"];
        }),
        path: "idfed:scimToken",
        has: ["required in prod", "pulumi config set --secret idfed:scimToken <token>"],
    },
    {
        name: "bad tenant GUID",
        raw: set((r) => {
            r["idfed:entra"].tenantId = "contoso.onmicrosoft.com" as unknown as Loose;
        }),
        path: "idfed:entra.tenantId",
        has: ["`contoso.onmicrosoft.com`", "GUID"],
    },
    {
        name: "bad SCIM endpoint",
        raw: set((r) => {
            r["idfed:entra"].scim.endpoint = "https://scim.example.com/v2" as unknown as Loose;
        }),
        path: "idfed:entra.scim.endpoint",
        has: ["`https://scim.example.com/v2`", "https://scim.<region>.amazonaws.com/<id>/scim/v2"],
    },
    {
        name: "SAML URL not https",
        raw: set((r) => {
            r["idfed:entra"].saml.acsUrl = "http://example.com/acs" as unknown as Loose;
        }),
        path: "idfed:entra.saml.acsUrl",
        has: ["`http://example.com/acs`", "https://"],
    },
    {
        name: "bad notification e-mail",
        raw: set((r) => {
            r["idfed:entra"].saml.notificationEmails = ["not an email"] as unknown as Loose;
        }),
        path: "idfed:entra.saml.notificationEmails[0]",
        has: ["`not an email`", "e-mail"],
    },
    {
        name: "certificate years out of range",
        raw: set((r) => {
            r["idfed:entra"].saml.certificateYears = 5 as unknown as Loose;
        }),
        path: "idfed:entra.saml.certificateYears",
        has: ["`5`", "1–3"],
    },
    {
        name: "bad group wait duration",
        raw: set((r) => {
            r["idfed:entra"].scim.groupWaitTimeout = "10 minutes" as unknown as Loose;
        }),
        path: "idfed:entra.scim.groupWaitTimeout",
        has: ["`10 minutes`", "PT10M"],
    },
    {
        name: "token expiry not a date",
        raw: set((r) => {
            r["idfed:entra"].scim.tokenExpiresAt = "soon" as unknown as Loose;
        }),
        path: "idfed:entra.scim.tokenExpiresAt",
        has: ["`soon`", "2026-06-30"],
    },
    {
        name: "more than 20 policies",
        raw: set((r) => {
            r["idfed:permissionSets"].admin.managedPolicies = Array.from(
                { length: 20 },
                (_, i) => `arn:aws:iam::aws:policy/P${i}`,
            ) as unknown as Loose;
            r["idfed:permissionSets"].admin.customerManagedPolicies = [{ name: "x" }] as unknown as Loose;
        }),
        path: "idfed:permissionSets.admin",
        has: ["attaches 21 policies", "20 managed + 1 customer-managed", "at most 20"],
    },
    {
        name: "bad managed ARN",
        raw: set((r) => {
            r["idfed:permissionSets"].admin.managedPolicies = ["arn:aws:iam::123456789012:policy/Mine"] as unknown as Loose;
        }),
        path: "idfed:permissionSets.admin.managedPolicies[0]",
        has: ["`arn:aws:iam::123456789012:policy/Mine`", "arn:aws:iam::aws:policy/[path/]Name", "customerManagedPolicies"],
    },
    {
        name: "AWS-managed name that does not exist",
        raw: set((r) => {
            r["idfed:permissionSets"].admin.managedPolicies = ["arn:aws:iam::aws:policy/AdministratorAcess"] as unknown as Loose;
        }),
        path: "idfed:permissionSets.admin.managedPolicies[0]",
        has: ["`AdministratorAcess` is not an AWS-managed policy", "Did you mean `AdministratorAccess`"],
    },
    {
        name: "AWS-managed name under the wrong path",
        raw: set((r) => {
            r["idfed:permissionSets"].admin.managedPolicies = ["arn:aws:iam::aws:policy/ViewOnlyAccess"] as unknown as Loose;
        }),
        path: "idfed:permissionSets.admin.managedPolicies[0]",
        has: ["Did you mean `job-function/ViewOnlyAccess`"],
    },
    {
        name: "deprecated AWS-managed policy",
        raw: set((r) => {
            r["idfed:permissionSets"].admin.managedPolicies = ["arn:aws:iam::aws:policy/AWSLambdaFullAccess"] as unknown as Loose;
        }),
        path: "idfed:permissionSets.admin.managedPolicies[0]",
        has: ["deprecated AWS-managed policy", "`AWSLambda_FullAccess`"],
    },
    {
        name: "duplicate managed ARN",
        raw: set((r) => {
            r["idfed:permissionSets"].admin.managedPolicies.push("arn:aws:iam::aws:policy/AdministratorAccess" as unknown as Loose);
        }),
        path: "idfed:permissionSets.admin.managedPolicies[1]",
        has: ["listed twice"],
    },
    {
        name: "duplicate customer-managed reference",
        raw: set((r) => {
            r["idfed:permissionSets"].readonly.customerManagedPolicies.push({ name: "audit-read", path: "/" } as unknown as Loose);
        }),
        path: "idfed:permissionSets.readonly.customerManagedPolicies[2]",
        has: ["`/audit-read`", "listed twice"],
    },
    {
        name: "boundary naming no AWS-managed policy",
        raw: set((r) => {
            r["idfed:permissionSets"].readonly.permissionsBoundary = {
                managedPolicyArn: "arn:aws:iam::aws:policy/PowerUserAcces",
            } as unknown as Loose;
        }),
        path: "idfed:permissionSets.readonly.permissionsBoundary.managedPolicyArn",
        has: ["`PowerUserAcces` is not an AWS-managed policy", "Did you mean `PowerUserAccess`"],
    },
    {
        name: "boundary with both kinds",
        raw: set((r) => {
            r["idfed:permissionSets"].readonly.permissionsBoundary.managedPolicyArn =
                "arn:aws:iam::aws:policy/PowerUserAccess" as unknown as Loose;
        }),
        path: "idfed:permissionSets.readonly.permissionsBoundary",
        has: ["exactly one of `managedPolicyArn` or `customerManagedPolicy`"],
    },
    {
        name: "tag key with aws: prefix",
        raw: set((r) => {
            r["idfed:permissionSets"].readonly.tags["aws:owner"] = "x" as unknown as Loose;
        }),
        path: 'idfed:permissionSets.readonly.tags["aws:owner"]',
        has: ["`aws:owner`", "not starting with aws:"],
    },
    {
        name: "more than 50 tags",
        raw: set((r) => {
            r["idfed:permissionSets"].admin.tags = Object.fromEntries(
                Array.from({ length: 51 }, (_, i) => [`t${i}`, "v"]),
            ) as unknown as Loose;
        }),
        path: "idfed:permissionSets.admin.tags",
        has: ["51 tags", "at most 50"],
    },
    {
        name: "create and existing conflict",
        raw: set((r) => {
            r["idfed:groups"].readers.create = true as unknown as Loose;
        }),
        path: "idfed:groups.readers.create",
        has: ["`existing` is also given", "not both"],
    },
    {
        name: "create false without existing",
        raw: set((r) => {
            r["idfed:groups"].admins.create = false as unknown as Loose;
        }),
        path: "idfed:groups.admins.create",
        has: ["no `existing` group"],
    },
    {
        name: "owners on an existing group",
        raw: set((r) => {
            r["idfed:groups"].readers.owners = ["aaaaaaaa-0000-0000-0000-000000000001"] as unknown as Loose;
        }),
        path: "idfed:groups.readers.owners",
        has: ["only be set on groups this stack creates"],
    },
    {
        name: "assignment without targets",
        raw: set((r) => {
            r["idfed:assignments"][0].ous = [] as unknown as Loose;
        }),
        path: "idfed:assignments[0]",
        has: ["targets nothing", "`ous`, `accounts` or `accountTags`"],
    },
    {
        name: "non-object groups",
        raw: set((r) => {
            r["idfed:groups"] = ["admins"] as unknown as Loose;
        }),
        path: "idfed:groups",
        has: ["expected a mapping", "got a list", '["admins"]'],
    },
    {
        name: "invalid group key",
        raw: set((r) => {
            r["idfed:groups"].Admins = { displayName: "X" } as unknown as Loose;
        }),
        path: "idfed:groups.Admins",
        has: ["`Admins`", "not a valid key", "lowercase"],
    },
    {
        name: "bad environment",
        raw: () => ({ ...validRaw(), "idfed:environment": "production" }),
        path: "idfed:environment",
        has: ["`production`", "dev, test, staging, prod"],
    },
    {
        name: "unparsable JSON string value",
        raw: () => ({ ...validRaw(), "idfed:groups": "{not json" }),
        path: "idfed:groups",
        has: ["looks like JSON but does not parse"],
    },
    {
        name: "recursive not a boolean",
        raw: set((r) => {
            r["idfed:assignments"][0].recursive = "yes" as unknown as Loose;
        }),
        path: "idfed:assignments[0].recursive",
        has: ["`yes`", "boolean"],
    },
    {
        name: "bad excluded account",
        raw: set((r) => {
            r["idfed:assignments"][1].exclude.accounts = ["abc"] as unknown as Loose;
        }),
        path: "idfed:assignments[1].exclude.accounts[0]",
        has: ["`abc`", "12 digits"],
    },
    {
        name: "tag selector value not a string",
        raw: set((r) => {
            r["idfed:assignments"][1].accountTags.tier = 1 as unknown as Loose;
        }),
        path: "idfed:assignments[1].accountTags.tier",
        has: ["`1`", "quote it"],
    },
    {
        name: "entra missing",
        raw: set((r) => {
            delete r["idfed:entra"];
        }),
        path: "idfed:entra",
        has: ["is required"],
    },
    {
        name: "scimToken not a string",
        raw: () => ({ ...validRaw(), "idfed:scimToken": 12345 }),
        path: "idfed:scimToken",
        has: ["expected a string", "value hidden"],
    },
    {
        name: "assignments not a list",
        raw: () => ({ ...validRaw(), "idfed:assignments": { group: "admins" } }),
        path: "idfed:assignments",
        has: ["expected a list", "got a mapping"],
    },
];

describe("stacks/config bad config", () => {
    for (const c of cases) {
        it(c.name, () => {
            const e = errorOf(c.raw(), c.opts);
            const issue = e.issues.find((i) => i.path === c.path);
            assert.ok(issue, `no issue at ${c.path}; got:\n${e.message}`);
            assert.ok(issue.message.startsWith(`\`${c.path}\``), issue.message);
            for (const s of c.has) assert.ok(issue.message.includes(s), `missing ${JSON.stringify(s)} in: ${issue.message}`);
            assert.ok(e.message.includes(issue.message));
            assert.ok(!e.message.includes(TOKEN), "the SCIM token leaked into a message");
        });
    }

    it("has at least 30 distinct cases", () => assert.ok(cases.length >= 30));
});

describe("stacks/config hostile input", () => {
    it("treats __proto__ keys as invalid keys and leaves Object.prototype untouched", () => {
        const raw = JSON.parse(`{"idfed:__proto__": {"polluted": 1}, "idfed:groups": {"__proto__": {"polluted": 2},
            "admins": {"displayName": "A", "__proto__": {"polluted": 3}}}}`) as Raw;
        Object.assign(raw, { ...validRaw(), "idfed:groups": raw["idfed:groups"] });
        const e = errorOf(raw);
        const paths = e.issues.map((i) => i.path);
        assert.ok(paths.includes("idfed:__proto__"), e.message);
        assert.ok(paths.includes("idfed:groups.__proto__"), e.message);
        assert.ok(paths.includes("idfed:groups.admins.__proto__"), e.message);
        assert.equal(({} as Record<string, unknown>).polluted, undefined);
        assert.equal(Object.prototype.hasOwnProperty.call(Object.prototype, "polluted"), false);
    });

    it("rejects __proto__ as a tag key without polluting", () => {
        const raw = validRaw();
        (raw as unknown as Loose)["idfed:permissionSets"].admin.tags = JSON.parse(`{"__proto__": "x"}`) as Loose;
        const e = errorOf(raw);
        assert.ok(
            e.issues.some((i) => i.path === "idfed:permissionSets.admin.tags.__proto__"),
            e.message,
        );
        assert.equal(({} as Record<string, unknown>).x, undefined);
    });

    it("only ever throws ConfigError, whatever value sits at any key", () => {
        const huge = "x".repeat(1_000_000);
        const values: unknown[] = [
            null,
            0,
            -1,
            NaN,
            Infinity,
            "",
            huge,
            "🙂\u0000\u202e",
            [],
            {},
            [[]],
            [null],
            { __proto__: null },
            true,
            JSON.parse(`{"__proto__": {"a": 1}}`),
            "{",
            "[1,",
            new Date(0),
        ];
        const cyclic: Record<string, unknown> = {};
        cyclic.self = cyclic;
        values.push(cyclic);
        const paths: ((r: Loose, v: unknown) => void)[] = [
            (r, v) => {
                r["idfed:entra"] = v as Loose;
            },
            (r, v) => {
                r["idfed:entra"].saml = v as Loose;
            },
            (r, v) => {
                r["idfed:entra"].scim.endpoint = v as Loose;
            },
            (r, v) => {
                r["idfed:groups"] = v as Loose;
            },
            (r, v) => {
                r["idfed:groups"].admins = v as Loose;
            },
            (r, v) => {
                r["idfed:groups"].readers.existing = v as Loose;
            },
            (r, v) => {
                r["idfed:permissionSets"] = v as Loose;
            },
            (r, v) => {
                r["idfed:permissionSets"].admin.inlinePolicy = v as Loose;
            },
            (r, v) => {
                r["idfed:permissionSets"].admin.managedPolicies = v as Loose;
            },
            (r, v) => {
                r["idfed:permissionSets"].readonly.permissionsBoundary = v as Loose;
            },
            (r, v) => {
                r["idfed:permissionSets"].readonly.tags = v as Loose;
            },
            (r, v) => {
                r["idfed:assignments"] = v as Loose;
            },
            (r, v) => {
                r["idfed:assignments"][0] = v as Loose;
            },
            (r, v) => {
                r["idfed:assignments"][0].ous = v as Loose;
            },
            (r, v) => {
                r["idfed:assignments"][1].accountTags = v as Loose;
            },
            (r, v) => {
                r["idfed:assignments"][2].expiresAt = v as Loose;
            },
            (r, v) => {
                r["idfed:environment"] = v as Loose;
            },
            (r, v) => {
                r["idfed:scimToken"] = v as Loose;
            },
            (r, v) => {
                r["idfed:allowManagementAccount"] = v as Loose;
            },
        ];
        for (const put of paths) {
            for (const v of values) {
                const raw = mutated((r) => put(r, v));
                try {
                    parse(raw);
                } catch (e) {
                    assert.ok(e instanceof ConfigError, `threw ${String(e)}`);
                    for (const i of e.issues) assert.ok(i.message.length < 2000, `message too long: ${i.message.slice(0, 200)}`);
                }
            }
        }
        assert.equal(Object.prototype.hasOwnProperty.call(Object.prototype, "a"), false);
    });

    it("rejects a raw config that is not a mapping", () => {
        assert.throws(() => parseStackConfig([] as unknown as Raw, opts), ConfigError);
        assert.throws(() => parseStackConfig(null as unknown as Raw, opts), ConfigError);
    });
});

describe("stacks/config loadStackConfigFile", () => {
    let dir: string;
    before(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "idfed-stacks-"));
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("returns full keys, replaces secure values and lists them", () => {
        const file = path.join(dir, "Pulumi.dev.yaml");
        fs.writeFileSync(
            file,
            [
                "config:",
                "  aws:region: eu-west-1",
                "  idfed:scimToken:",
                "    secure: AAABAKzVbq3yZ0o=",
                "  environment: dev",
                "  idfed:groups:",
                "    admins: { displayName: AWS Admins }",
                "",
            ].join("\n"),
        );
        const { raw, secureKeys } = loadStackConfigFile(file);
        assert.deepEqual(raw, {
            "aws:region": "eu-west-1",
            "idfed:scimToken": SECRET_PLACEHOLDER,
            "idfed:environment": "dev",
            "idfed:groups": { admins: { displayName: "AWS Admins" } },
        });
        assert.deepEqual(secureKeys, ["idfed:scimToken"]);
    });

    it("names the file and line of a YAML error", () => {
        const file = path.join(dir, "Pulumi.bad.yaml");
        fs.writeFileSync(file, "config:\n  idfed:groups:\n    admins: { displayName: [\n");
        assert.throws(
            () => loadStackConfigFile(file),
            (e: unknown) => e instanceof ConfigError && /Pulumi\.bad\.yaml:\d+:\d+`: invalid YAML/.test(e.message),
        );
    });

    it("names a missing file", () => {
        assert.throws(
            () => loadStackConfigFile(path.join(dir, "nope.yaml")),
            (e: unknown) => e instanceof ConfigError && e.message.includes("nope.yaml") && e.message.includes("ENOENT"),
        );
    });
});
