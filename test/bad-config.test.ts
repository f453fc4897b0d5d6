import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { stringify } from "yaml";
import { planCli } from "../scripts/plan";
import { CapturedResource } from "../offline";
import { runWith, stackConfig } from "./helpers";

type Config = Record<string, unknown>;
type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** One bad-config case: a mutation of a valid stack config and what the message must name. */
interface Case {
    name: string;
    stack?: "dev" | "prod";
    mutate: (c: Obj) => void;
    /** Substrings the error output must contain (the key path first). */
    expect: string[];
}

const ps = (c: Obj) => c["idfed:permissionSets"] as Obj;
const groups = (c: Obj) => c["idfed:groups"] as Obj;
const rules = (c: Obj) => c["idfed:assignments"] as Obj[];
const entra = (c: Obj) => c["idfed:entra"] as Obj;

const CASES: Case[] = [
    {
        name: "unknown top-level key",
        mutate: (c) => {
            c["idfed:assignmnets"] = [];
        },
        expect: ["idfed:assignmnets", "did you mean", "idfed:assignments"],
    },
    {
        name: "unknown nested key",
        mutate: (c) => {
            ps(c).admin.sesionDuration = "PT1H";
        },
        expect: ["idfed:permissionSets.admin.sesionDuration", "sessionDuration"],
    },
    {
        name: "bad OU id",
        mutate: (c) => {
            rules(c)[1].ous = ["ou-bad"];
        },
        expect: ["idfed:assignments[1].ous[0]", "ou-bad"],
    },
    {
        name: "OU id not in the org",
        mutate: (c) => {
            rules(c)[1].ous = ["ou-ab12-wkdev002"];
        },
        expect: ["idfed:assignments[1].ous[0]", "ou-ab12-wkdev002"],
    },
    {
        name: "unknown group reference",
        mutate: (c) => {
            rules(c)[1].group = "developer";
        },
        expect: ["idfed:assignments[1].group", "developer", "did you mean", "developers"],
    },
    {
        name: "unknown permission set reference",
        mutate: (c) => {
            rules(c)[0].permissionSet = "admn";
        },
        expect: ["idfed:assignments[0].permissionSet", "admn", "admin"],
    },
    {
        name: "bad ISO duration",
        mutate: (c) => {
            ps(c).admin.sessionDuration = "1 hour";
        },
        expect: ["idfed:permissionSets.admin.sessionDuration", "1 hour"],
    },
    {
        name: "session longer than 12 h",
        mutate: (c) => {
            ps(c).admin.sessionDuration = "PT13H";
        },
        expect: ["idfed:permissionSets.admin.sessionDuration", "PT13H"],
    },
    {
        name: "permission set name too long",
        mutate: (c) => {
            ps(c).admin.name = "A".repeat(33);
        },
        expect: ["idfed:permissionSets.admin.name", "33", "32"],
    },
    {
        name: "permission set name with bad characters",
        mutate: (c) => {
            ps(c).admin.name = "Admin Access!";
        },
        expect: ["idfed:permissionSets.admin.name", "Admin Access!"],
    },
    {
        name: "inline policy too large",
        mutate: (c) => {
            ps(c).admin.inlinePolicy = {
                Version: "2012-10-17",
                Statement: Array.from({ length: 200 }, (_, i) => ({
                    Sid: `S${i}`,
                    Effect: "Allow",
                    Action: `s3:GetObject`,
                    Resource: `arn:aws:s3:::bucket-${i}/*`,
                })),
            };
        },
        expect: ["idfed:permissionSets.admin.inlinePolicy", "10240"],
    },
    {
        name: "inline policy file escaping the repo",
        mutate: (c) => {
            ps(c).admin.inlinePolicy = "../../etc/passwd.json";
        },
        expect: ["idfed:permissionSets.admin.inlinePolicy", "../../etc/passwd.json"],
    },
    {
        name: "inline policy file missing",
        mutate: (c) => {
            ps(c).admin.inlinePolicy = "stacks/policies/nope.json";
        },
        expect: ["idfed:permissionSets.admin.inlinePolicy", "stacks/policies/nope.json"],
    },
    {
        name: "duplicate permission set name",
        mutate: (c) => {
            ps(c).billing.name = "AdministratorAccess";
        },
        expect: ["idfed:permissionSets", "AdministratorAccess"],
    },
    {
        name: "duplicate group display name",
        mutate: (c) => {
            groups(c).billing.displayName = "AWS-Prod-Developers";
        },
        expect: ["idfed:groups", "AWS-Prod-Developers"],
    },
    {
        name: "account id with 11 digits",
        mutate: (c) => {
            rules(c)[6].accounts = ["11111111111"];
        },
        expect: ["idfed:assignments[6].accounts[0]", "11111111111", "12 digits"],
    },
    {
        name: "account id as a number",
        mutate: (c) => {
            rules(c)[6].accounts = [81000000002];
        },
        expect: ["idfed:assignments[6].accounts[0]", "81000000002", "quote"],
    },
    {
        name: "malformed expiresAt",
        mutate: (c) => {
            rules(c)[7].expiresAt = "next friday";
        },
        expect: ["idfed:assignments[7].expiresAt", "next friday"],
    },
    {
        name: "impossible calendar date",
        mutate: (c) => {
            rules(c)[7].expiresAt = "2027-02-30T00:00:00Z";
        },
        expect: ["idfed:assignments[7].expiresAt", "2027-02-30"],
    },
    {
        name: "missing SCIM token in prod",
        mutate: (c) => {
            delete c["idfed:scimToken"];
        },
        expect: ["idfed:scimToken", "pulumi config set --secret idfed:scimToken"],
    },
    {
        name: "tenant id not a GUID",
        mutate: (c) => {
            entra(c).tenantId = "contoso.onmicrosoft.com";
        },
        expect: ["idfed:entra.tenantId", "contoso.onmicrosoft.com"],
    },
    {
        name: "SCIM endpoint not Identity Center's",
        mutate: (c) => {
            entra(c).scim.endpoint = "https://example.com/scim";
        },
        expect: ["idfed:entra.scim.endpoint", "https://example.com/scim"],
    },
    {
        name: "SAML ACS URL not https",
        mutate: (c) => {
            entra(c).saml.acsUrl = "http://insecure.example.com/acs";
        },
        expect: ["idfed:entra.saml.acsUrl", "http://insecure.example.com/acs"],
    },
    {
        name: "more than 20 attached policies",
        mutate: (c) => {
            ps(c).admin.customerManagedPolicies = Array.from({ length: 20 }, (_, i) => ({ name: `p${i}` }));
        },
        expect: ["idfed:permissionSets.admin", "21", "20"],
    },
    {
        name: "bad managed policy ARN",
        mutate: (c) => {
            ps(c).admin.managedPolicies = ["arn:aws:iam::123456789012:policy/Mine"];
        },
        expect: ["idfed:permissionSets.admin.managedPolicies[0]", "arn:aws:iam::123456789012:policy/Mine"],
    },
    {
        name: "create and existing both set",
        mutate: (c) => {
            groups(c).billing.create = true;
            groups(c).billing.existing = { objectId: "2b7d9c4e-1f3a-4e5b-8c6d-7e8f9a0b1c2d" };
        },
        expect: ["idfed:groups.billing"],
    },
    {
        name: "rule without targets",
        mutate: (c) => {
            rules(c)[6] = { group: "billing", permissionSet: "billing" };
        },
        expect: ["idfed:assignments[6]", "ous"],
    },
    {
        name: "groups not a mapping",
        mutate: (c) => {
            c["idfed:groups"] = ["platform-admins"];
        },
        expect: ["idfed:groups"],
    },
    {
        name: "bad group key",
        mutate: (c) => {
            groups(c)["Platform Admins"] = { displayName: "X" };
        },
        expect: ["Platform Admins"],
    },
    {
        name: "environment not allowed",
        mutate: (c) => {
            c["idfed:environment"] = "production";
        },
        expect: ["idfed:environment", "production", "prod"],
    },
    {
        name: "recursive not a boolean",
        mutate: (c) => {
            rules(c)[1].recursive = "no";
        },
        expect: ["idfed:assignments[1].recursive", "no"],
    },
    {
        name: "token expiry not a date",
        mutate: (c) => {
            entra(c).scim.tokenExpiresAt = "soon";
        },
        expect: ["idfed:entra.scim.tokenExpiresAt", "soon"],
    },
    {
        name: "group wait timeout not a duration",
        mutate: (c) => {
            entra(c).scim.groupWaitTimeout = 600;
        },
        expect: ["idfed:entra.scim.groupWaitTimeout", "600"],
    },
    {
        name: "exclude of an unknown OU",
        mutate: (c) => {
            rules(c)[0].exclude = { ous: ["ou-ab12-nothere1"] };
        },
        expect: ["idfed:assignments[0].exclude.ous[0]", "ou-ab12-nothere1"],
    },
];

describe("bad config: the plan exits 2 naming the key, and the program registers nothing", function () {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "idfed-bad-"));
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    for (const [i, c] of CASES.entries()) {
        it(`${c.name}`, async () => {
            const stack = c.stack ?? "prod";
            const config = stackConfig(stack) as Config;
            c.mutate(config as Obj);
            const file = path.join(dir, `case-${i}.yaml`);
            fs.writeFileSync(file, stringify({ config }));
            let stdout = "";
            let stderr = "";
            const code = await planCli(["--stack", stack, "--config", file], {
                stdout: (t) => {
                    stdout += t;
                },
                stderr: (t) => {
                    stderr += t;
                },
            });
            assert.equal(code, 2, `exit ${code}; stderr:\n${stderr}\nstdout:\n${stdout.slice(0, 500)}`);
            assert.equal(stdout, "");
            for (const s of c.expect) assert.ok(stderr.includes(s), `message lacks ${JSON.stringify(s)}:\n${stderr}`);
            assert.ok(!/\n\s+at .+\(.+:\d+:\d+\)/.test(stderr), `stack trace printed:\n${stderr}`);

            // The program itself (what `pulumi up` runs) fails before registering any resource.
            await assert.rejects(runWith(stack, config), (err: Error & { capturedResources?: CapturedResource[] }) => {
                assert.ok(err.message.includes(c.expect[0]), err.message);
                const registered = (err.capturedResources ?? []).filter((r) => r.type !== "pulumi:pulumi:Stack");
                assert.deepEqual(
                    registered.map((r) => r.urn),
                    [],
                );
                return true;
            });
        });
    }

    it("reports every problem at once", async () => {
        const config = stackConfig("prod") as Obj;
        ps(config).admin.sessionDuration = "PT13H";
        rules(config)[1].group = "developer";
        config["idfed:typo"] = 1;
        await assert.rejects(runWith("prod", config), (err: Error) => {
            for (const s of ["idfed:permissionSets.admin.sessionDuration", "idfed:assignments[1].group", "idfed:typo"])
                assert.ok(err.message.includes(s), err.message);
            return true;
        });
    });

    it("a flood of problems: every one is kept, the message lists the first 50 and counts the rest", async () => {
        const config = stackConfig("prod") as Obj;
        rules(config)[6].accounts = Array.from({ length: 120 }, (_, i) => `bad-${i}`);
        await assert.rejects(runWith("prod", config), (err: Error) => {
            assert.match(err.message, /\(120 problems\)/);
            assert.match(err.message, /… and 70 more \(fix these first\)/);
            assert.equal(err.message.split("\n  - ").length - 1, 50);
            return true;
        });
    });

    it("bad arguments and unreadable files exit 2", async () => {
        const io = { stdout: () => undefined, stderr: () => undefined };
        assert.equal(await planCli(["--stack"], io), 2);
        assert.equal(await planCli(["--stak", "dev"], io), 2);
        assert.equal(await planCli(["--stack", "dev", "--format", "pdf"], io), 2);
        assert.equal(await planCli(["--stack", "dev", "--config", path.join(dir, "missing.yaml")], io), 2);
        assert.equal(await planCli(["--stack", "dev", "--org", path.join(dir, "missing-org.yaml")], io), 2);
        const broken = path.join(dir, "broken.yaml");
        fs.writeFileSync(broken, "config:\n  idfed:groups: [unclosed\n");
        assert.equal(await planCli(["--stack", "dev", "--config", broken], io), 2);
    });
});
