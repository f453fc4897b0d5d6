/**
 * The offline toolchain's public entry point: the plan engine and its mocks, the access diff, the access
 * review and the benchmark. CLI entry points in `scripts/` and the tests import from here only; the files
 * under `offline/` are internals.
 *
 * Layers: `offline/` may import `stacks/`, `index.ts` (the program) and the `idfed-policy-pack` package;
 * nothing under `stacks/`, `components/` or `policy-pack/` imports `offline/`.
 */
export type {
    AccessRow,
    CapturedResource,
    DriftedPermissionSet,
    PlanCustomerManagedPolicy,
    PlanJson,
    PlanPermissionSet,
    PlanResource,
    PlanResult,
    PlanViolation,
    UnmanagedAssignment,
    UnmanagedPermissionSet,
    UnmanagedReport,
} from "./types";

// The plan engine and its mocks.
export { fakeGuid, mockIdentityStoreGroupId, mockPermissionSetArn, OrgMocks } from "./plan/mocks";
export type { InvokeHandler, OrgMocksOptions } from "./plan/mocks";
export { captureRegistrations, refuseDuplicateUrns, runProgram, selfStackName, takeTurn, withOfflineRuntime } from "./plan/run-program";
export { waitForRPCs } from "./plan/sdk";
export { displayInputs } from "./plan/plan-model";
// Real-shape answers of Entra and AWS that the mocks give (each with its source).
export * as realShapesAws from "./plan/real-shapes/aws";
export * as realShapesEntra from "./plan/real-shapes/entra";
export type { ProgramRun, RunProgramOptions } from "./plan/run-program";
export { accountIndex, buildPlan } from "./plan/plan-model";
export {
    DEFAULT_ORG,
    defaultOrgFile,
    loadOrg,
    PROJECT_ROOT,
    readPreviousPlan,
    runPlan,
    sharedStackOutputs,
    toRuntimeConfig,
} from "./plan/plan-run";
export type { PlanOptions, PlanOutcome } from "./plan/plan-run";
export { renderPlan } from "./plan/plan-render";
export { findUnmanaged, permissionSetDifferences, UNMANAGED_ADMIN_POLICY, unmanagedViolations } from "./plan/unmanaged";

// Escaping for every place output lands (Markdown, HTML, terminal, CSV).
export { escapeCsv, escapeHtml, escapeMarkdown, escapeMarkdownCell, escapeMarkdownMessage, escapeTerminal, markdownCode } from "./escape";

// Command-line plumbing shared by the plan, review, access diff and bench entry points.
export { parseStackArgs, processIo, reportFailure, runAsMain } from "./cli";
export type { CliIo, StackArgs } from "./cli";

// The access diff.
export { computeAccessDiff } from "./access-diff/access-diff";
export type { AccessDiff } from "./access-diff/access-diff";
export { allowedActions, catalogFromEntries, loadIamCatalog } from "./access-diff/access-diff-iam";
export { parsePlanJson, parsePlanText, PlanShapeError } from "./access-diff/access-diff-plan";
export {
    accessDiffMarker,
    renderJson as renderAccessDiffJson,
    renderMarkdown as renderAccessDiffMarkdown,
} from "./access-diff/access-diff-render";
export { InputError, loadSide } from "./access-diff/access-diff-source";
export type { LoadOptions, PlanRunOptions, ProcessResult } from "./access-diff/access-diff-source";

// The access review.
export { adminReasons, buildReview, csvCell, renderReview, renderReviewCsv } from "./review/review";
export type { AccessReview } from "./review/review";

// Who can do what (the pack's analysis, SCPs and boundaries applied), and the dangerous actions.
export { actionFor, suggestAction } from "./review/policy-eval";
export { accountPaths, grantsOf, WhoCan } from "./review/who-can";
export type { BlockedAnswer, GrantRef, PermissionSetContent, WhoCanAnswer, WhoCanResult } from "./review/who-can";
export { DANGEROUS_ACTIONS, dangerousActions, WHO_CAN_CSV_HEAD, whoCanLines, whoCanRows } from "./review/who-can-render";
export { accessLevelOf, LEVELS } from "./review/access-level";

// The HTML report (plan and review).
export { buildHtmlData, FLAG_EXPIRING, FLAG_UNMANAGED, renderHtmlPage, renderHtmlReport, scriptJson } from "./report/html-report";
export type { HtmlData } from "./report/html-report";
export { LEVEL_COLOURS } from "./report/html-page";
export { CHROMIUM_ARGS, CHROMIUM_PATH } from "./report/chromium";

// Adoption of unmanaged access (pulumi import file + config entries).
export { AdoptError, buildAdoption, keyFromName } from "./adopt/adopt";
export type { Adoption, ImportFile, ImportSpec } from "./adopt/adopt";

// The benchmark.
export { BENCH_NOW, PHASES, runPhase } from "./bench/bench-phases";
export type { Phase, PhaseResult } from "./bench/bench-phases";
export { orgFixtureYaml, prng, syntheticOrg } from "./bench/synthetic-org";

// GitOps helpers the workflows run (stack discovery, expiry targets, PR comment, settings audit).
export { discoverStacks } from "./gitops/stacks";
export type { DiscoveredStack, StackDiscovery } from "./gitops/stacks";
export { assignmentUrn, expiredTargets } from "./gitops/expired-targets";
export type { ExpiredGrant } from "./gitops/expired-targets";
export { commentBody, MARKER as PR_COMMENT_MARKER, MAX_BODY as PR_COMMENT_MAX_BODY, readReports } from "./gitops/pr-comment";
export type { StackReport } from "./gitops/pr-comment";
export { auditSettings, environmentsOf, readGitHubSettings } from "./gitops/audit-github";
export type { GitHubSettings } from "./gitops/audit-github";

// The org export (read-only AWS Organizations / Identity Center snapshot into the fixture format).
export { allPages, exportOrganization, withRetry } from "./org-export/org-export";
export type { ExportClients, OrgSnapshot, RetryOptions } from "./org-export/org-export";
export { snapshotYaml } from "./org-export/org-export-yaml";
