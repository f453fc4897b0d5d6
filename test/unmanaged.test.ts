import { strict as assert } from "assert";
import * as fs from "fs";
import Ajv from "ajv";
import * as path from "path";
import {
    buildAdoption,
    buildReview,
    catalogFromEntries,
    computeAccessDiff,
    parsePlanJson,
    permissionSetDifferences,
    PROJECT_ROOT,
    renderPlan,
    renderReview,
} from "../offline";
import type { PlanOutcome } from "../offline";
import { planSmall } from "./reality-helpers";

const NOW = new Date("2026-11-23T00:00:00Z");

describe("unmanaged access (org snapshot vs declarations)", function () {
    let prod: PlanOutcome;
    before(async () => {
        prod = await planSmall("prod");
    });

    it("lists undeclared assignments (users always), undeclared permission sets and drifted ones", () => {
        const u = prod.plan.unmanaged;
        assert.equal(u.checked, true);
        assert.deepEqual(
            u.assignments.map(
                (a) => `${a.accountId}/${a.permissionSetName}/${a.principalType}/${a.principalDisplayName}/${a.adminReasons.length > 0}`,
            ),
            ["222222222222/ConsoleAdmin/GROUP/Ops/true", "333333333333/ConsoleAdmin/USER/bob@example.com/true"],
        );
        assert.deepEqual(
            u.permissionSets.map((p) => [p.name, p.assignments]),
            [["ConsoleAdmin", 2]],
        );
        // The declared ReadOnly exists with IAMFullAccess attached by hand: admin-level drift.
        assert.deepEqual(
            u.drifted.map((d) => [d.key, d.differences]),
            [["read-only", ["managed policy arn:aws:iam::aws:policy/IAMFullAccess exists but is not declared"]]],
        );
        assert.deepEqual(u.drifted[0].adminReasons, ["managed policy IAMFullAccess"]);
    });

    it("compares policies structurally: key order and the model's boundary shape are no difference", () => {
        const declared = {
            key: "k",
            name: "K",
            sessionDuration: "PT1H",
            managedPolicyArns: ["arn:aws:iam::aws:policy/ReadOnlyAccess"],
            customerManagedPolicies: [],
            inlinePolicy: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: "*" }] },
            permissionsBoundary: { kind: "customerManaged", policy: { name: "b", path: "/idfed/" } },
        };
        const existing = {
            arn: "arn:x",
            name: "K",
            sessionDuration: "PT1H",
            managedPolicies: ["arn:aws:iam::aws:policy/ReadOnlyAccess"],
            customerManagedPolicies: [],
            inlinePolicy: { Statement: [{ Resource: "*", Action: "s3:GetObject", Effect: "Allow" }], Version: "2012-10-17" },
            permissionsBoundary: { customerManagedPolicy: { path: "/idfed/", name: "b" } },
        };
        assert.deepEqual(permissionSetDifferences(declared, existing), []);
        assert.deepEqual(
            permissionSetDifferences(declared, {
                ...existing,
                permissionsBoundary: { managedPolicyArn: "arn:aws:iam::aws:policy/ReadOnlyAccess" },
                sessionDuration: "PT8H",
            }),
            ["permissions boundary differs", "session duration PT8H (declared PT1H)"],
        );
    });

    it("refuses unmanaged admin-level access in prod (mandatory) and only advises elsewhere", async () => {
        const levels = (o: PlanOutcome) => o.plan.violations.filter((v) => v.policy === "unmanaged-admin-access").map((v) => v.level);
        assert.deepEqual(levels(prod), ["mandatory", "mandatory", "mandatory"]);
        assert.equal(prod.plan.summary.violations.mandatory, 3);
        const dev = await planSmall("dev");
        assert.deepEqual(levels(dev), ["advisory", "advisory", "advisory"]);
        assert.equal(dev.plan.summary.violations.mandatory, 0);
    });

    it("shows in the plan (text and JSON), the review and the access diff", () => {
        const text = renderPlan(prod.plan, false, { configFile: "c", orgFile: "o" });
        assert.match(text, /Unmanaged access \(4\)/);
        assert.match(text, /\[ADMIN\] user bob@example\.com → ConsoleAdmin in app-prod 333333333333/);
        assert.ok(JSON.parse(JSON.stringify(prod.plan)).unmanaged.assignments.length === 2);
        const review = renderReview(buildReview(prod.plan, NOW, 30, prod.org), true);
        assert.match(review, /## Unmanaged access[^\n]*\n+- \[ADMIN\] group `Ops` → `ConsoleAdmin` in app-dev 222222222222/);
        const head = parsePlanJson(JSON.parse(JSON.stringify(prod.plan)), "head");
        const base = parsePlanJson({ ...JSON.parse(JSON.stringify(prod.plan)), unmanaged: undefined }, "base");
        const diff = computeAccessDiff(base, head, catalogFromEntries([]), { base: "b", head: "h" });
        assert.deepEqual(
            diff.unmanaged.map((x) => `${x.principalDisplayName}/${x.accountId}/${x.new}`),
            ["Ops/222222222222/true", "bob@example.com/333333333333/true"],
        );
    });

    it("reports nothing unmanaged when the snapshot matches, and `checked: false` without a snapshot", async () => {
        const plain = await planSmall("prod", path.join(PROJECT_ROOT, "test", "fixtures", "orgs", "unmanaged-none.yaml"));
        assert.deepEqual(plain.plan.unmanaged, { checked: false, assignments: [], permissionSets: [], drifted: [] });
    });

    it("writes a pulumi import file that passes the documented schema, with idfed's names and the provider's id formats", () => {
        const a = buildAdoption("small", prod.plan, prod.org, {
            permissionSets: ["ConsoleAdmin"],
            assignments: ["222222222222:ConsoleAdmin:Ops"],
        });
        const schema = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, "test", "fixtures", "pulumi-import-file.schema.json"), "utf8"));
        const validate = new Ajv({ allErrors: true, strict: true }).compile(schema);
        assert.ok(validate(a.importFile), JSON.stringify(validate.errors));
        assert.ok(!validate({ resources: [{ type: "x", name: "y", parnet: "z" }] }), "the schema catches a misspelt field");
        const ps = "arn:aws:sso:::permissionSet/ssoins-72230a1b2c3d4e5f/ps-0000000000000003",
            inst = "arn:aws:sso:::instance/ssoins-72230a1b2c3d4e5f";
        assert.deepEqual(
            a.importFile.resources.map((r) => [r.type, r.name, r.logicalName, r.id ?? "", r.parent ?? ""]),
            [
                ["idfed:aws:PermissionSet", "ps-console-admin-component", "ps-console-admin", "", ""],
                [
                    "aws:ssoadmin/permissionSet:PermissionSet",
                    "ps-console-admin",
                    "ps-console-admin",
                    `${ps},${inst}`,
                    "ps-console-admin-component",
                ],
                [
                    "aws:ssoadmin/managedPolicyAttachment:ManagedPolicyAttachment",
                    "ps-console-admin-managed-AdministratorAccess",
                    "ps-console-admin-managed-AdministratorAccess",
                    `arn:aws:iam::aws:policy/AdministratorAccess,${ps},${inst}`,
                    "ps-console-admin-component",
                ],
                [
                    "aws:ssoadmin/permissionSetInlinePolicy:PermissionSetInlinePolicy",
                    "ps-console-admin-inline",
                    "ps-console-admin-inline",
                    `${ps},${inst}`,
                    "ps-console-admin-component",
                ],
                [
                    "aws:ssoadmin/accountAssignment:AccountAssignment",
                    "assignments-222222222222-ops-console-admin",
                    "assignments-222222222222-ops-console-admin",
                    `906722f4-c2d3-4e4f-8a5b-3c4d5e6f7a8b,GROUP,222222222222,AWS_ACCOUNT,${ps},${inst}`,
                    "assignments",
                ],
            ],
        );
        assert.deepEqual(a.importFile.nameTable, { assignments: "urn:pulumi:small::idfed::idfed:aws:AccountAssignments::assignments" });
        assert.deepEqual(a.config.assignments, [
            {
                group: "ops",
                permissionSet: "console-admin",
                accounts: ["222222222222"],
                reason: "adopted from Identity Center (was unmanaged)",
            },
        ]);
        assert.deepEqual(Object.keys(a.files), ["stacks/policies/adopted-console-admin.json"]);
        assert.throws(
            () =>
                buildAdoption("small", prod.plan, prod.org, {
                    permissionSets: [],
                    assignments: ["333333333333:ConsoleAdmin:bob@example.com"],
                }),
            /user assignment/,
        );
        assert.throws(
            () => buildAdoption("small", prod.plan, prod.org, { permissionSets: [], assignments: ["222222222222:ConsoleAdmin:Ops"] }),
            /--permission-set ConsoleAdmin/,
        );
    });
});

describe("adopt CLI", function () {
    it("writes import.json, config.yaml and the inline policy under --out, and refuses paths outside the working directory", async () => {
        const { adoptCli, parseAdoptArgs } = await import("../scripts/adopt");
        const os = await import("os");
        const cwd = fs.mkdtempSync(path.join(os.tmpdir(), "idfed-adopt-"));
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "idfed-adopt-cfg-"));
        try {
            const { smallConfig, UNMANAGED_ORG } = await import("./reality-helpers");
            const { stringify } = await import("yaml");
            const cfg = path.join(dir, "Pulumi.small.yaml");
            fs.writeFileSync(cfg, stringify({ config: smallConfig("dev") }));
            const io = {
                out: "",
                err: "",
                stdout(t: string) {
                    io.out += t;
                },
                stderr(t: string) {
                    io.err += t;
                },
            };
            const code = await adoptCli(
                [
                    "--stack",
                    "small",
                    "--config",
                    cfg,
                    "--org",
                    UNMANAGED_ORG,
                    "--permission-set",
                    "ConsoleAdmin",
                    "--assignment",
                    "222222222222:ConsoleAdmin:Ops",
                    "--out",
                    "out",
                ],
                io,
                { cwd, now: new Date("2026-11-23T00:00:00Z") },
            );
            assert.equal(code, 0, io.err);
            assert.deepEqual(fs.readdirSync(path.join(cwd, "out")).sort(), ["config.yaml", "import.json", "stacks"]);
            assert.equal(JSON.parse(fs.readFileSync(path.join(cwd, "out", "import.json"), "utf8")).resources.length, 5);
            assert.match(
                fs.readFileSync(path.join(cwd, "out", "config.yaml"), "utf8"),
                /inlinePolicy: stacks\/policies\/adopted-console-admin\.json/,
            );
            assert.ok(fs.existsSync(path.join(cwd, "out", "stacks", "policies", "adopted-console-admin.json")));
            assert.match(
                String(parseAdoptArgs(["--stack", "s", "--permission-set", "x", "--out", "../up"])),
                /relative path inside the current directory/,
            );
            assert.match(String(parseAdoptArgs(["--stack", "s"])), /choose what to adopt/);
        } finally {
            fs.rmSync(cwd, { recursive: true, force: true });
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});
