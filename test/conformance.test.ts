/**
 * Conformance: the pack process, started as the CLI starts it (`run-policy-pack`, which type-checks the pack
 * with ts-node) and driven over the analyzer gRPC protocol, gives exactly the verdicts of the in-process
 * evaluation that the offline plan uses by default. The slow part of the suite, run once: one process for
 * previews and one for updates serve every case, and one offline plan runs with `--pack process`.
 */
import * as assert from "assert/strict";
import * as path from "path";
import {
    CapturedResource,
    loadPolicyConfigFile,
    openPolicyPackSession,
    PolicyConfigError,
    PolicyPackSession,
    RunOptions,
    Violation,
} from "idfed-policy-pack/runner";
import { evaluatePolicyPackInProcess, evaluatePolicyPackInProcessDetailed } from "idfed-policy-pack/runner/in-process";
import * as guardrails from "idfed-policy-pack/policies/guardrails";
import { runPlan } from "../offline";
import { benchCli } from "../scripts/bench";
import { buildStack, prodStack, toCaptured } from "./fixtures/policies/stack";

const PACK = path.join(__dirname, "..", "policy-pack");
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const NOW = new Date("2026-11-23T00:00:00Z");
const TODAY = "2026-11-23";
/** Guardrail policies (break glass, root user) judge resources the policy fixtures do not model. */
const GUARDRAIL_POLICIES = new Set(
    Object.values(guardrails)
        .map((p) => (p as { name?: string }).name)
        .filter(Boolean),
);

const key = (v: Violation) => `${v.urn ?? ""}\u0000${v.policy}\u0000${v.level}\u0000${v.message}`;
const sorted = (vs: readonly Violation[]) => [...vs].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));

function resource(type: string, name: string, props: Record<string, unknown>, stack = "prod"): CapturedResource {
    return { urn: `urn:pulumi:${stack}::idfed::${type}::${name}`, type, name, custom: true, props };
}

function broadPolicy(name: string, doc: object): CapturedResource {
    return resource("aws:iam/policy:Policy", name, { name, path: "/", policy: JSON.stringify(doc) });
}

describe("conformance: the pack process over gRPC = the in-process evaluation", function () {
    this.timeout(300_000);
    let preview: PolicyPackSession;
    let update: PolicyPackSession;
    let prodResources: CapturedResource[];

    before(async () => {
        // Both processes start together (each ~5–10 s), while the program runs.
        [preview, update, prodResources] = await Promise.all([
            openPolicyPackSession(PACK, { stack: "prod", project: "idfed", dryRun: true, today: TODAY }),
            openPolicyPackSession(PACK, { stack: "prod", project: "idfed", dryRun: false, today: TODAY }),
            runPlan({ stack: "prod", now: NOW, policies: false }).then((o) => o.run.resources as CapturedResource[]),
        ]);
    });
    after(() => {
        preview?.close();
        update?.close();
    });

    /** Runs both paths and asserts the same violations in the same order. */
    async function bothPaths(
        session: PolicyPackSession,
        resources: readonly CapturedResource[],
        opts: Pick<RunOptions, "config" | "tags" | "dryRun">,
    ): Promise<Violation[]> {
        const viaProcess = (await session.run(resources, { config: opts.config, tags: opts.tags })).violations;
        const inProcess = await evaluatePolicyPackInProcess(resources, {
            stack: "prod",
            project: "idfed",
            dryRun: opts.dryRun,
            config: opts.config,
            tags: opts.tags,
            today: TODAY,
        });
        assert.deepEqual(sorted(inProcess), sorted(viaProcess));
        assert.deepEqual(inProcess, viaProcess, "same order too: both end with the runner's dedupe-and-sort");
        return inProcess;
    }

    it("the prod example's captured resources, prod policy config (config/prod.json)", async () => {
        const env = process.env.PULUMI_STACK;
        const vs = await bothPaths(preview, prodResources, { dryRun: true });
        assert.ok(vs.length > 0, "the prod example has advisories to compare");
        assert.ok(
            !vs.some((v) => v.level === "mandatory"),
            JSON.stringify(
                vs.filter((v) => v.level === "mandatory"),
                null,
                1,
            ),
        );
        assert.equal(process.env.PULUMI_STACK, env, "the in-process run restores the environment");
        const r = await evaluatePolicyPackInProcessDetailed(prodResources, { stack: "prod", project: "idfed", dryRun: true });
        assert.equal(r.packName, "idfed");
        assert.ok(r.policies.some((p) => p.name === "admin-permission-sets" && p.enforcementLevel === "mandatory"));
    });

    it("the prod example under strict defaults, as an update, with stack tags", async () => {
        const vs = await bothPaths(update, prodResources, { dryRun: false, config: {}, tags: { environment: "prod" } });
        assert.ok(
            vs.some((v) => v.level === "mandatory"),
            "strict defaults block something to compare",
        );
    });

    it("fixtures: levels from config, disabled, remediate, unknowns, every resource policy", async () => {
        const doc = (s: object) => JSON.stringify({ Version: "2012-10-17", Statement: [s] });
        const resources = [
            ...toCaptured(buildStack(prodStack()), "prod"),
            resource("aws:iam/policy:Policy", "too-broad", {
                name: "too-broad",
                path: "/",
                policy: doc({ Effect: "Allow", Action: "s3:*", Resource: "*" }),
            }),
            resource("aws:iam/role:Role", "later", {
                assumeRolePolicy: UNKNOWN,
                inlinePolicies: [{ name: "x", policy: doc({ Effect: "Allow", Action: "iam:PassRole", Resource: "*" }) }],
            }),
            resource("aws:iam/role:Role", "open", {
                name: "r".repeat(70),
                assumeRolePolicy: doc({ Effect: "Allow", Principal: "*", Action: "sts:AssumeRole" }),
            }),
            resource("aws:organizations/policy:Policy", "scp", {
                type: "SERVICE_CONTROL_POLICY",
                content: doc({ Effect: "Deny", Action: "cloudtrail:StopLoging", Resource: "*" }),
            }),
            resource("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "att", {
                role: "r",
                policyArn: "arn:aws:iam::aws:policy/AmazonBraketFullAccess",
            }),
            resource("aws:ssoadmin/permissionSet:PermissionSet", "bad-name", {
                instanceArn: "x",
                name: "A".repeat(40),
                sessionDuration: UNKNOWN,
            }),
        ];
        const vs = await bothPaths(preview, resources, {
            dryRun: true,
            config: {
                all: "mandatory",
                "iam-documents": "advisory",
                "trust-policies": "remediate",
                "scim-token-expiring": "disabled",
                "admin-permission-sets": { adminGroupKeys: ["platform-admins"] },
                "aws-limits": { maxTrustPolicySize: 4096 },
            },
        });
        assert.ok(vs.some((v) => v.policy === "iam-documents" && v.level === "advisory"));
        assert.ok(vs.some((v) => v.policy === "trust-policies" && v.level === "mandatory"));
        assert.ok(vs.some((v) => /can't run policy '.*' from policy pack 'idfed@v/.test(v.message) && v.level === "advisory"));
        assert.ok(!vs.some((v) => v.policy === "scim-token-expiring"));
    });

    it("names violations with levels and policies; an unknown trust policy is advisory until apply", async () => {
        const resources = [
            ...toCaptured(buildStack(prodStack()), "prod"),
            broadPolicy("too-broad", { Statement: [{ Effect: "Allow", Action: "s3:*", Resource: "*" }] }),
            resource("aws:iam/role:Role", "later", { assumeRolePolicy: UNKNOWN }),
        ];
        const r = await preview.run(resources, { config: loadPolicyConfigFile(path.join(PACK, "config", "prod.json")) });
        const mandatory = r.violations.filter((v) => v.level === "mandatory" && !GUARDRAIL_POLICIES.has(v.policy));
        assert.equal(mandatory.length, 1, JSON.stringify(r.violations, null, 1));
        assert.equal(mandatory[0].policy, "iam-documents");
        assert.equal(mandatory[0].urn, "urn:pulumi:prod::idfed::aws:iam/policy:Policy::too-broad");
        assert.match(mandatory[0].message, /`s3:\*` on `\*` reaches .* `s3:Get\*`/);
        const unknown = r.violations.find((v) => v.policy === "trust-policies");
        assert.equal(unknown?.level, "advisory");
        assert.match(unknown?.message ?? "", /cannot judge until apply/);
        assert.ok(r.violations.some((v) => v.policy === "expired-grants-in-config" && v.level === "advisory"));
        assert.equal(r.packName, "idfed");
        assert.ok(r.policies.some((p) => p.name === "admin-permission-sets" && p.enforcementLevel === "mandatory"));
    });

    it("applies enforcement levels and properties from config, strict defaults without it", async () => {
        const resources = [
            ...toCaptured(buildStack(prodStack()), "prod"),
            broadPolicy("too-broad", { Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] }),
        ];
        const r = await update.run(resources, {
            config: {
                "iam-documents": "advisory",
                "admin-permission-sets": { adminGroupKeys: ["platform-admins"] },
                "scim-token-expiring": "disabled",
            },
        });
        const byPolicy = (p: string) => r.violations.filter((v) => v.policy === p);
        assert.equal(byPolicy("iam-documents")[0]?.level, "advisory", JSON.stringify(r.violations, null, 1));
        const admin = byPolicy("admin-permission-sets");
        assert.equal(admin.length, 1, JSON.stringify(admin, null, 1));
        assert.match(admin[0].message, /group `security`/);
        // strict defaults elsewhere: no boundary exemptions, no management-account groups
        assert.ok(byPolicy("prod-permission-boundaries").some((v) => /`billing`/.test(v.message)));
        assert.ok(byPolicy("management-account-assignments").length > 0);
    });

    it("rejects invalid policy config like the CLI, listing every problem", async () => {
        await assert.rejects(
            preview.run([], {
                config: {
                    "scim-token-expiring": { scimTokenWarnDays: 0 },
                    "trust-policies": { trustedAccountIds: ["12"] },
                    "aws-limits": "sometimes",
                },
            }),
            (e: unknown) => e instanceof PolicyConfigError && e.errors.length === 3,
        );
    });

    it("the offline plan with `--pack process` gives the default (in-process) plan's verdicts", async () => {
        const [viaProcess, inProcess] = await Promise.all([
            runPlan({ stack: "prod", now: NOW, packMode: "process" }),
            runPlan({ stack: "prod", now: NOW }),
        ]);
        assert.deepEqual(viaProcess.plan.violations, inProcess.plan.violations);
        assert.ok(inProcess.plan.violations.length > 0);
    });
});

describe("conformance: the benchmark end to end on a tiny org (its shape, never its figures)", function () {
    this.timeout(300_000);
    const KEYS = [
        "accounts",
        "groups",
        "permissionSets",
        "assignments",
        "programMs",
        "floorMs",
        "ratio",
        "planMs",
        "planRatio",
        "devPlanMs",
        "rssMiB",
        "floorRssMiB",
        "policyResourcesPerSecond",
    ];

    it("runs a tiny org through every phase and ends with the JSON line", async () => {
        const lines: string[] = [];
        const code = await benchCli(
            ["--accounts", "8", "--groups", "4", "--permission-sets", "3", "--shards", "1", "--no-pack-process"],
            (s) => lines.push(...s.split("\n")),
            () => undefined,
        );
        assert.equal(code, 0);
        const last = JSON.parse(lines[lines.length - 1]) as Record<string, unknown>;
        for (const k of KEYS) assert.ok(k in last, `missing ${k} in ${lines[lines.length - 1]}`);
        assert.equal(last.accounts, 8);
        assert.ok((last.assignments as number) > 0 && (last.programMs as number) > 0 && (last.floorMs as number) > 0);
        assert.equal(typeof last.policyResourcesPerSecond, "number");
        assert.ok((last.planMs as number) > 0 && (last.devPlanMs as number) > 0, "the whole offline plan is timed");
        assert.equal((last.shards as { stacks: number }).stacks, 2, "one shared stack and one shard");
        assert.ok(
            lines.some((l) => l.startsWith("(b) program under mocks")),
            lines.join("\n"),
        );
    });
});
