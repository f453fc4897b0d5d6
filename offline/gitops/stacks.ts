/**
 * Stack discovery for the workflows: reads every `Pulumi.<stack>.yaml` at the repository root and prints the
 * deploy order as JSON (`npm run --silent gitops:stacks`): federation stacks (unsharded or `idfed:shard.role:
 * shared`) first, then assignment shards (`role: assignments`). Each entry carries the names the workflows
 * derive from the stack (variable suffix, GitHub environments, policy config, org snapshot) so no workflow
 * spells a stack name out.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";

/** One stack as the workflows see it. */
export interface DiscoveredStack {
    /** Stack name (`Pulumi.<stack>.yaml`). */
    readonly stack: string;
    /** Suffix of its repository variables: upper case, non-alphanumerics as `_` (`prod-eu` → `PROD_EU`). */
    readonly suffix: string;
    /** True when `idfed:environment` is prod (or absent and the name contains "prod"). */
    readonly prod: boolean;
    /** `shared`, `assignments` or `none` (`idfed:shard.role`). */
    readonly role: "none" | "shared" | "assignments";
    /** The policy pack config the engine runs with: `policy-pack/config/<stack>.json`. */
    readonly policyConfig: string;
    /** The org snapshot its offline plan uses: `stacks/orgs/<stack>.yaml`, else the example org. */
    readonly org: string;
}

/** The deploy order: federation stacks first, then assignment shards. */
export interface StackDiscovery {
    readonly federation: readonly DiscoveredStack[];
    readonly shards: readonly DiscoveredStack[];
    readonly all: readonly DiscoveredStack[];
}

const STACK_FILE = /^Pulumi\.([A-Za-z0-9_.-]+)\.ya?ml$/;

/** Discovers the stacks of a repository checkout; throws one error naming every bad file. */
export function discoverStacks(root: string): StackDiscovery {
    const problems: string[] = [];
    const stacks: DiscoveredStack[] = [];
    for (const file of fs
        .readdirSync(root)
        .filter((f) => STACK_FILE.test(f))
        .sort()) {
        const stack = STACK_FILE.exec(file)?.[1] ?? "";
        let config: Record<string, unknown> = {};
        try {
            const doc = parse(fs.readFileSync(path.join(root, file), "utf8"), { maxAliasCount: 100 }) as {
                config?: Record<string, unknown>;
            } | null;
            config = doc?.config ?? {};
        } catch (e) {
            problems.push(`${file}: not valid YAML (${e instanceof Error ? e.message.split("\n")[0] : String(e)})`);
            continue;
        }
        const env = config["idfed:environment"];
        const prod = typeof env === "string" ? env === "prod" : stack.toLowerCase().includes("prod");
        const shard = config["idfed:shard"] as { role?: unknown } | undefined;
        const role = shard?.role === "shared" || shard?.role === "assignments" ? shard.role : "none";
        const policyConfig = `policy-pack/config/${stack}.json`;
        if (!fs.existsSync(path.join(root, policyConfig)))
            problems.push(`${file}: \`${policyConfig}\` is missing (every engine run passes the stack's policy config)`);
        const snapshot = `stacks/orgs/${stack}.yaml`;
        stacks.push({
            stack,
            suffix: stack.toUpperCase().replace(/[^A-Z0-9]/g, "_"),
            prod,
            role,
            policyConfig,
            org: fs.existsSync(path.join(root, snapshot)) ? snapshot : "stacks/orgs/example.yaml",
        });
    }
    if (stacks.length === 0) problems.push("no Pulumi.<stack>.yaml at the repository root");
    if (problems.length) throw new Error(problems.join("\n"));
    const federation = stacks.filter((s) => s.role !== "assignments");
    const shards = stacks.filter((s) => s.role === "assignments");
    return { federation, shards, all: [...federation, ...shards] };
}
