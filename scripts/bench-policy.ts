/**
 * Benchmark of the policy analysis: prints statements analyzed per second (goal ≥ 20,000/s). A figure, not
 * a timed test. `--runner` also times the real pack process over ~100 and ~5,000 captured resources.
 * `--managed` instead judges every AWS-managed policy of the pack's data set (count, errors, time, load time).
 *
 *   npx ts-node --transpile-only scripts/bench-policy.ts [--runner | --managed]
 */
import * as path from "path";
import { allActions } from "idfed-policy-pack/analysis/catalog";
import { analyzeIdentityPolicy } from "idfed-policy-pack/analysis/identity";
import { analyzeTrustPolicy } from "idfed-policy-pack/analysis/trust";
import { runPolicyPackProcessDetailed, CapturedResource } from "idfed-policy-pack/runner";
import { managedDataLoadMs, managedPolicyData } from "idfed-policy-pack/analysis/managed-data";
import { judgeManagedPolicy } from "idfed-policy-pack/analysis/managed-policies";

function prng(seed: number): () => number {
    let s = seed >>> 0;
    return () => {
        s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
        return s / 4294967296;
    };
}

const WILDCARDS = [
    "s3:Get*",
    "s3:List*",
    "ec2:Describe*",
    "logs:*",
    "cloudwatch:Get*",
    "iam:List*",
    "s3:*",
    "kms:*",
    "sso:Describe*",
    "dynamodb:*Item",
    "lambda:Invoke?unction",
];

/** A mix like real documents: mostly exact actions on ARNs, some wildcards, a few broad statements. */
function makeDocs(n: number, r: () => number): { docs: object[]; statements: number } {
    const actions = allActions();
    const docs: object[] = [];
    let statements = 0;
    for (let i = 0; i < n; i++) {
        const st: object[] = [];
        const k = 1 + Math.floor(r() * 5);
        for (let j = 0; j < k; j++) {
            const x = r();
            const acts =
                x < 0.7
                    ? Array.from({ length: 1 + Math.floor(r() * 6) }, () => actions[Math.floor(r() * actions.length)].name)
                    : x < 0.95
                      ? [WILDCARDS[Math.floor(r() * WILDCARDS.length)]]
                      : ["*"];
            const res = r() < 0.6 ? `arn:aws:s3:::bucket-${i}-${j}/*` : "*";
            st.push({ Sid: `S${j}`, Effect: r() < 0.9 ? "Allow" : "Deny", Action: acts, Resource: res });
        }
        statements += st.length;
        docs.push(
            r() < 0.5 ? { Version: "2012-10-17", Statement: st } : JSON.parse(JSON.stringify({ Version: "2012-10-17", Statement: st })),
        );
    }
    return { docs, statements };
}

function benchAnalysis(): void {
    const t0 = Date.now();
    allActions();
    const loadMs = Date.now() - t0;
    const r = prng(1);
    const { docs, statements } = makeDocs(20_000, r);
    for (const d of docs.slice(0, 2_000)) analyzeIdentityPolicy(d); // warm the pattern cache
    const t1 = process.hrtime.bigint();
    for (const d of docs) analyzeIdentityPolicy(JSON.stringify(d));
    const secs = Number(process.hrtime.bigint() - t1) / 1e9;
    const trust = {
        Statement: [
            {
                Effect: "Allow",
                Principal: { Federated: "arn:aws:iam::1:saml-provider/x" },
                Action: "sts:AssumeRoleWithSAML",
                Condition: { StringEquals: { "SAML:aud": "https://signin.aws.amazon.com/saml" } },
            },
        ],
    };
    const t2 = process.hrtime.bigint();
    for (let i = 0; i < 20_000; i++) analyzeTrustPolicy(trust);
    const trustSecs = Number(process.hrtime.bigint() - t2) / 1e9;
    console.log(`catalog load: ${loadMs} ms (${allActions().length} actions)`);
    console.log(
        `identity analysis: ${statements} statements in ${docs.length} documents (JSON strings) in ${secs.toFixed(2)} s = ${Math.round(statements / secs)} statements/s`,
    );
    console.log(`trust analysis: ${Math.round(20_000 / trustSecs)} statements/s`);
}

function capturedStack(n: number): CapturedResource[] {
    const out: CapturedResource[] = [];
    const r = prng(2);
    const { docs } = makeDocs(Math.ceil(n / 2), r);
    for (let i = 0; out.length < n; i++) {
        const name = `p${i}`;
        out.push({
            urn: `urn:pulumi:bench::idfed::aws:iam/policy:Policy::${name}`,
            type: "aws:iam/policy:Policy",
            name,
            custom: true,
            props: { name, policy: JSON.stringify(docs[i % docs.length]) },
        });
        out.push({
            urn: `urn:pulumi:bench::idfed::aws:ssoadmin/accountAssignment:AccountAssignment::a${i}`,
            type: "aws:ssoadmin/accountAssignment:AccountAssignment",
            name: `a${i}`,
            custom: true,
            props: {
                instanceArn: "x",
                permissionSetArn: "y",
                principalId: "g",
                principalType: "GROUP",
                targetId: "222222222222",
                targetType: "AWS_ACCOUNT",
            },
        });
    }
    return out.slice(0, n);
}

async function benchRunner(): Promise<void> {
    const pack = path.join(__dirname, "..", "policy-pack");
    for (const n of [100, 5_000]) {
        const r = await runPolicyPackProcessDetailed(pack, capturedStack(n), {
            stack: "bench",
            project: "idfed",
            dryRun: true,
            config: { "management-account-assignments": { managementAccountId: "111111111111" } },
        });
        const t = r.timings;
        console.log(
            `runner, ${n} resources: start ${t.startMs} ms, Analyze ${t.analyzeMs} ms, AnalyzeStack ${t.analyzeStackMs} ms, total ${t.totalMs} ms (${r.violations.length} violations)`,
        );
    }
}

/** Judges every policy of the data set by ARN, as the pack does; prints count, errors, blocked and time. */
function benchManaged(): void {
    const t0 = process.hrtime.bigint();
    const data = managedPolicyData();
    const keys = Object.keys(data.policies);
    const t1 = process.hrtime.bigint();
    allActions();
    const t2 = process.hrtime.bigint();
    let errors = 0;
    let blocked = 0;
    for (const k of keys) {
        try {
            const r = judgeManagedPolicy(`arn:aws:iam::aws:policy/${k}`);
            if (r.status !== "ok") errors++;
            if (r.findings.some((f) => f.level === "mandatory")) blocked++;
        } catch (e) {
            errors++;
            console.error(`${k}: ${(e as Error).message}`);
        }
    }
    const t3 = process.hrtime.bigint();
    const ms = (a: bigint, b: bigint) => (Number(b - a) / 1e6).toFixed(0);
    console.log(
        `managed policy data: ${data.source}, policies as of ${data.asOf}: load ${managedDataLoadMs().toFixed(0)} ms (read+gunzip+parse, ${ms(t0, t1)} ms with the first call)`,
    );
    console.log(
        `managed policies judged: ${keys.length} in ${ms(t2, t3)} ms (catalog load ${ms(t1, t2)} ms before), ${errors} errors, ${blocked} blocked`,
    );
    if (errors > 0) process.exitCode = 1;
}

if (process.argv.includes("--managed")) benchManaged();
else benchAnalysis();
if (process.argv.includes("--runner")) {
    benchRunner().catch((e) => {
        console.error((e as Error).message);
        process.exitCode = 1;
    });
}
