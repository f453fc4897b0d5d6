import { strict as assert } from "assert";
import { actionFor, grantsOf, runPlan, WhoCan } from "../offline";
import type { PlanOutcome, WhoCanResult } from "../offline";
import { reviewCli } from "../scripts/review";
import { planSmall } from "./reality-helpers";

const NOW = new Date("2026-11-23T00:00:00Z");
const can = (r: WhoCanResult) => r.answers.map((a) => `${a.answer} ${a.principal} ${a.permissionSet} ${a.accountId}`);
const blocked = (r: WhoCanResult) => r.blocked.map((b) => `${b.blockedBy} ${b.principal} ${b.permissionSet} ${b.accountId}`);

describe("who can (hand-computed answers on a small org)", function () {
    let o: PlanOutcome;
    let w: WhoCan;
    const ask = (action: string, resource?: string, account?: string) =>
        w.ask({ action: actionFor(action)!, ...(resource ? { resource } : {}) }, account);
    before(async () => {
        o = await planSmall("dev");
        w = new WhoCan(o.org, grantsOf(o.plan, o.org));
    });

    it("iam:CreateUser: an SCP denies what a permission set allows, a boundary removes it, a Deny statement wins, NotAction iam:* excludes it", () => {
        const r = ask("iam:CreateUser");
        assert.deepEqual(can(r), ["allowed Admins Admin 222222222222", "allowed Ops ConsoleAdmin 222222222222"]);
        assert.deepEqual(
            blocked(r),
            [
                "deny Denied DenyUsers 222222222222",
                "boundary Bounded Bounded 222222222222",
                "scp Admins Admin 333333333333",
                "scp bob@example.com ConsoleAdmin 333333333333",
            ].sort((a, b) => a.split(" ")[3].localeCompare(b.split(" ")[3]) || a.split(" ")[1].localeCompare(b.split(" ")[1])),
        );
        assert.match(r.blocked.find((b) => b.blockedBy === "scp")!.reason, /SCP NoIamUsers \(p-noiamusers1\) statement 1 \("NoUsers"\)/);
        assert.match(r.blocked.find((b) => b.blockedBy === "deny")!.reason, /inline policy statement 1 \("NoUsers"\)/);
        const ops = r.answers.find((a) => a.principal === "Ops")!;
        assert.equal(ops.managed, false);
        assert.deepEqual(
            ops.via.map((v) => `${v.source} ${v.statement}`),
            ["AWS-managed AdministratorAccess statement 1"],
        );
    });

    it("NotAction grants everything else; the boundary lets its own reads through; read-only sets stay silent on writes", () => {
        const put = ask("s3:PutBucketPolicy");
        assert.ok(can(put).includes("allowed NotIam NotIam 222222222222"));
        assert.ok(!can(put).some((x) => x.includes("Readers")));
        assert.ok(blocked(put).includes("boundary Bounded Bounded 222222222222"));
        const get = ask("iam:GetUser", undefined, "222222222222");
        assert.ok(can(get).includes("allowed Bounded Bounded 222222222222"));
        assert.ok(!can(get).some((x) => x.includes("NotIam")));
        assert.deepEqual(ask("iam:CreateUser", undefined, "333333333333").answers, []);
    });

    it("an AWS-managed ARN the data set does not have, or a customer-managed policy, makes the answer unknown, not no", () => {
        const mk = (arns: string[], cm: { name: string; path: string }[] = []) => ({
            id: arns.join() + cm.length,
            name: "X",
            managedPolicyArns: arns,
            customerManagedPolicies: cm,
        });
        const grant = (ps: ReturnType<typeof mk>) => ({
            principalType: "GROUP" as const,
            principal: "G",
            accountId: "222222222222",
            managed: true,
            permissionSet: ps,
        });
        const r = new WhoCan(o.org, [
            grant(mk(["arn:aws:iam::aws:policy/NoSuchPolicyXyz"])),
            grant(mk([], [{ name: "cm", path: "/" }])),
            grant(mk(["arn:aws:iam::aws:policy/ReadOnlyAccess"])),
        ]).ask({ action: actionFor("iam:CreateUser")! });
        assert.deepEqual(
            r.answers.map((a) => [a.answer, a.unknown]),
            [
                ["unknown", ["AWS-managed NoSuchPolicyXyz (not in the pack's data set)"]],
                ["unknown", ["customer-managed /cm"]],
            ],
        );
    });

    it("a Deny or Allow on other resources does not decide a question about one resource", () => {
        const trail = "arn:aws:cloudtrail:eu-west-1:222222222222:trail/other";
        assert.ok(can(ask("cloudtrail:StopLogging", trail, "222222222222")).includes("allowed Admins Admin 222222222222"));
    });

    it("SCPs: a level with only Deny SCPs allows nothing; a conditional SCP Deny makes it conditional; the management account is exempt", () => {
        const scps = o.org.snapshot!.scps!;
        const full = scps.find((x) => x.id === "p-FullAWSAccess")!;
        const cond = {
            id: "p-conditional1",
            name: "OnlyFromVpn",
            targets: ["222222222222"],
            document: {
                Version: "2012-10-17",
                Statement: [
                    { Effect: "Deny", Action: "iam:*", Resource: "*", Condition: { NotIpAddress: { "aws:SourceIp": ["10.0.0.0/8"] } } },
                ],
            },
        };
        const org = {
            ...o.org,
            snapshot: { ...o.org.snapshot, scps: [{ ...full, targets: ["r-ab12", "ou-ab12-workload", "222222222222"] }, scps[1], cond] },
        };
        const mgmtGrant = {
            principalType: "GROUP" as const,
            principal: "Admins",
            accountId: "111111111111",
            managed: true,
            permissionSet: {
                id: "admin",
                name: "Admin",
                managedPolicyArns: ["arn:aws:iam::aws:policy/AdministratorAccess"],
                customerManagedPolicies: [],
            },
        };
        const r = new WhoCan(org, [...grantsOf(o.plan, org), mgmtGrant]).ask({ action: actionFor("iam:CreateRole")! });
        assert.ok(blocked(r).includes("scp Admins Admin 333333333333"), JSON.stringify([can(r), blocked(r)]));
        assert.match(r.blocked.find((b) => b.accountId === "333333333333")!.reason, /no SCP attached to ou-ab12-wkprd001 allows it/);
        assert.ok(can(r).includes("conditionally Admins Admin 222222222222"), JSON.stringify(can(r)));
        assert.ok(can(r).includes("allowed Admins Admin 111111111111"), JSON.stringify(can(r)));
    });

    it("prod example: --who-can iam:CreateUser lists admin groups where they hold admin, no read-only group, SCP-denied accounts blocked", async () => {
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
        assert.equal(await reviewCli(["--stack", "prod", "--who-can", "iam:CreateUser", "--format", "json"], io, { now: NOW }), 0, io.err);
        const r = JSON.parse(io.out) as WhoCanResult;
        const { plan } = await runPlan({ stack: "prod", now: NOW, policies: false });
        const adminRows = plan.access.filter((x) => x.permissionSet === "admin");
        const prodOu = new Set(["720000000001", "720000000002", "720000000003"]);
        const allowed = r.answers
            .filter((a) => a.answer === "allowed")
            .map((a) => `${a.groupKey}/${a.accountId}`)
            .sort();
        assert.deepEqual(
            allowed,
            adminRows
                .filter((x) => !prodOu.has(x.accountId))
                .map((x) => `${x.group}/${x.accountId}`)
                .sort(),
        );
        assert.deepEqual(
            r.blocked.map((b) => `${b.groupKey}/${b.accountId}/${b.blockedBy}`).sort(),
            adminRows
                .filter((x) => prodOu.has(x.accountId))
                .map((x) => `${x.group}/${x.accountId}/scp`)
                .sort(),
        );
        assert.ok(!r.answers.some((a) => a.groupKey === "readonly-auditors" || a.groupKey === "developers"));
        const csv = {
            out: "",
            err: "",
            stdout(t: string) {
                csv.out += t;
            },
            stderr(t: string) {
                csv.err += t;
            },
        };
        assert.equal(
            await reviewCli(["--stack", "prod", "--who-can", "iam:CreateUser", "--account", "444444444444", "--format", "csv"], csv, {
                now: NOW,
            }),
            0,
            csv.err,
        );
        assert.deepEqual(
            csv.out
                .trim()
                .split("\n")
                .map((l) => l.split(",").slice(1, 4).join(",")),
            ["answer,principal_type,principal", "allowed,GROUP,AWS-Prod-PlatformAdmins"],
        );
        assert.equal(await reviewCli(["--stack", "prod", "--who-can", "iam:CreateUsr"], io, { now: NOW }), 2);
        assert.match(io.err, /did you mean `iam:CreateUser`/);
    });
});
