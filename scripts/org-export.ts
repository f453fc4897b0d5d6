/**
 * `npm run org:export -- --out stacks/orgs/<stack>.yaml [--region <region>]`: exports the AWS Organization and
 * IAM Identity Center read-only (credentials from the environment: the scheduled workflow's read-only identity)
 * into the org fixture format. The snapshot is checked with the org fixture parser before it is written, and
 * written atomically; any failed read writes nothing (exit 1), bad arguments exit 2.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { OrganizationsClient } from "@aws-sdk/client-organizations";
import { SSOAdminClient } from "@aws-sdk/client-sso-admin";
import { IdentitystoreClient } from "@aws-sdk/client-identitystore";
import { exportOrganization, snapshotYaml } from "../offline";

const ROOT = path.resolve(__dirname, "..");

function parseArgs(argv: readonly string[]): { out: string; region?: string } {
    const values = new Map<string, string>();
    const problems: string[] = [];
    for (let i = 0; i < argv.length; i += 2) {
        if (argv[i] !== "--out" && argv[i] !== "--region") problems.push(`unknown argument \`${argv[i]}\``);
        else if (argv[i + 1] === undefined) problems.push(`\`${argv[i]}\` needs a value`);
        else values.set(argv[i], argv[i + 1]);
    }
    const out = values.get("--out");
    if (!out) problems.push("`--out` is required (e.g. `--out stacks/orgs/prod.yaml`)");
    else {
        const abs = path.resolve(ROOT, out);
        if (!abs.startsWith(path.join(ROOT, "stacks", "orgs") + path.sep) || !/\.ya?ml$/.test(abs)) {
            problems.push(`\`--out\`: \`${out}\` is not a .yaml file under stacks/orgs/ of this repository`);
        }
    }
    if (problems.length) throw Object.assign(new Error(problems.join("\n")), { exitCode: 2 });
    return { out: path.resolve(ROOT, out as string), ...(values.get("--region") ? { region: values.get("--region") } : {}) };
}

async function main(): Promise<void> {
    const args = parseArgs(process.argv.slice(2));
    const common = { maxAttempts: 10, retryMode: "adaptive" as const, ...(args.region ? { region: args.region } : {}) };
    const snapshot = await exportOrganization({
        organizations: new OrganizationsClient(common),
        ssoAdmin: new SSOAdminClient(common),
        identityStore: new IdentitystoreClient(common),
    });
    const text = snapshotYaml(snapshot, path.relative(ROOT, args.out));
    const tmp = `${args.out}.tmp-${process.pid}`;
    fs.writeFileSync(tmp, text);
    fs.renameSync(tmp, args.out);
    const count = (ous: typeof snapshot.ous): number => ous.reduce((n, u) => n + u.accounts.length + count(u.ous), 0);
    process.stderr.write(
        `org:export: ${snapshot.accounts.length + count(snapshot.ous)} accounts, ${snapshot.identityCenter.permissionSets.length} permission sets, ` +
            `${snapshot.identityCenter.assignments.length} assignments → ${path.relative(ROOT, args.out)}\n`,
    );
}

main().catch((e: unknown) => {
    process.stderr.write(`org:export: ${e instanceof Error ? e.message : String(e)}\nnothing was written\n`);
    process.exitCode = (e as { exitCode?: number }).exitCode ?? 1;
});
