/**
 * The offline toolchain's public entry point: the plan engine and its mocks, the access diff, the access
 * review and the benchmark. CLI entry points in `scripts/` and the tests import from here only; the files
 * under `offline/` are internals.
 *
 * Layers: `offline/` may import `stacks/`, `index.ts` (the program) and the `idfed-policy-pack` package;
 * nothing under `stacks/`, `components/` or `policy-pack/` imports `offline/`.
 */
export type {
    AccessRow, CapturedResource, PlanCustomerManagedPolicy, PlanJson, PlanPermissionSet, PlanResource, PlanResult, PlanViolation,
} from "./types";

// The plan engine and its mocks.
export { fakeGuid, mockIdentityStoreGroupId, mockPermissionSetArn, OrgMocks } from "./plan/mocks";
export type { InvokeHandler, OrgMocksOptions } from "./plan/mocks";
export { captureRegistrations, refuseDuplicateUrns, runProgram, takeTurn, withOfflineRuntime } from "./plan/run-program";
export { waitForRPCs } from "./plan/sdk";
export { displayInputs } from "./plan/plan-model";
// Real-shape answers of Entra and AWS that the mocks give (each with its source).
export * as realShapesAws from "./plan/real-shapes/aws";
export * as realShapesEntra from "./plan/real-shapes/entra";
export type { ProgramRun, RunProgramOptions } from "./plan/run-program";
export { accountIndex, buildPlan } from "./plan/plan-model";
export { DEFAULT_ORG, defaultOrgFile, loadOrg, PROJECT_ROOT, runPlan, sharedStackOutputs, toRuntimeConfig } from "./plan/plan-run";
export type { PlanOptions, PlanOutcome } from "./plan/plan-run";
export { renderPlan } from "./plan/plan-render";

// Command-line plumbing shared by the plan, review, access diff and bench entry points.
export { parseStackArgs, processIo, reportFailure, runAsMain } from "./cli";
export type { CliIo, StackArgs } from "./cli";

// The access diff.
export { computeAccessDiff } from "./access-diff/access-diff";
export type { AccessDiff } from "./access-diff/access-diff";
export { allowedActions, catalogFromEntries, loadIamCatalog } from "./access-diff/access-diff-iam";
export { parsePlanJson, parsePlanText, PlanShapeError } from "./access-diff/access-diff-plan";
export { accessDiffMarker, renderJson as renderAccessDiffJson, renderMarkdown as renderAccessDiffMarkdown } from "./access-diff/access-diff-render";
export { InputError, loadSide } from "./access-diff/access-diff-source";
export type { LoadOptions, PlanRunOptions, ProcessResult } from "./access-diff/access-diff-source";

// The access review.
export { adminReasons, buildReview, renderReview, renderReviewCsv } from "./review/review";
export type { AccessReview } from "./review/review";

// The benchmark.
export { BENCH_NOW, PHASES, runPhase } from "./bench/bench-phases";
export type { Phase, PhaseResult } from "./bench/bench-phases";
export { orgFixtureYaml, prng, syntheticOrg } from "./bench/synthetic-org";
