/**
 * Test helpers: stack configs as mutable objects, the example org, and one-call program runs under mocks.
 */
import * as path from "path";
import { loadStackConfigFile } from "../stacks/config/stack-config";
import { OrgTree } from "../stacks/model";
import {
    DEFAULT_ORG,
    defaultOrgFile,
    loadOrg,
    PROJECT_ROOT,
    toRuntimeConfig,
    CapturedResource,
    ProgramRun,
    runProgram,
    RunProgramOptions,
} from "../offline";

/** A deep copy of a stack file's config map (`idfed:groups` → object). */
export function stackConfig(stack: "dev" | "prod"): Record<string, unknown> {
    const loaded = loadStackConfigFile(path.join(PROJECT_ROOT, `Pulumi.${stack}.yaml`));
    return JSON.parse(JSON.stringify(loaded.raw)) as Record<string, unknown>;
}

/** The prod org fixture (`stacks/orgs/prod.yaml`). */
export function exampleOrg(): OrgTree {
    return loadOrg(DEFAULT_ORG);
}

/** A stack's own org fixture (`stacks/orgs/<stack>.yaml`, else prod's). */
export function orgOf(stack: string): OrgTree {
    return loadOrg(defaultOrgFile(stack));
}

/** Runs the program on a config map (secret keys: `idfed:scimToken`). */
export function runWith(stack: string, config: Record<string, unknown>, extra: Partial<RunProgramOptions> = {}): Promise<ProgramRun> {
    return runProgram({
        stack,
        config: toRuntimeConfig(config),
        secretKeys: ["idfed:scimToken"],
        org: extra.org ?? orgOf(stack),
        now: new Date("2026-11-23T00:00:00Z"),
        quiet: true,
        ...extra,
    });
}

/** Resources of one type. */
export function ofType(run: ProgramRun, type: string): CapturedResource[] {
    return run.resources.filter((r) => r.type === type);
}

/** Everything but the stack resource itself. */
export function registered(run: ProgramRun): CapturedResource[] {
    return run.resources.filter((r) => r.type !== "pulumi:pulumi:Stack");
}

/** Account-assignment resources as `account/groupKey/permissionSetKey` from their names. */
export const ASSIGNMENT = "aws:ssoadmin/accountAssignment:AccountAssignment";

/** Config helpers: a typed view of the parts tests mutate. */
export type Rule = Record<string, unknown>;
