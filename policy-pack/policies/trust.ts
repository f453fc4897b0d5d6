/** Trust policies of IAM roles: who may assume them. */
import * as iam from "@pulumi/aws/iam";
import { ResourceValidationPolicy, StackValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import { analyzeTrustPolicy } from "../analysis/trust";
import { Unknowns, config, reportFindings, stringList } from "./common";
import { withoutKnownActions } from "./documents";
import { documentsOf } from "./extract";
import { ENVIRONMENT_SCHEMA, stackEnvironment } from "./environment";

/** Settings of `trust-policies`. */
export interface TrustConfig {
    /** Require `sts:ExternalId` or MFA for principals of accounts not in `trustedAccountIds`. Default true. */
    requireExternalIdForCrossAccount: boolean;
    /** Account ids whose principals are not cross-account (your organization's accounts). Default none. */
    trustedAccountIds: string[];
    /** Role resource names whose trust policy was reviewed and is accepted. Default none. */
    exemptResourceNames: string[];
    /** Actions newer than the bundled catalog, accepted as known. Default none. */
    knownActions: string[];
}

const DEFAULTS: TrustConfig = {
    requireExternalIdForCrossAccount: true,
    trustedAccountIds: [],
    exemptResourceNames: [],
    knownActions: [],
};

/** Blocks trust policies that let strangers assume a role. */
export const trustPolicies: ResourceValidationPolicy = {
    name: "trust-policies",
    description:
        "Role trust policies name their principals and carry the conditions (SAML:aud, sub, ExternalId/MFA, org id) that keep strangers out.",
    configSchema: {
        properties: {
            requireExternalIdForCrossAccount: {
                type: "boolean",
                default: true,
                description: "Require an sts:ExternalId or MFA condition for principals of accounts not listed in trustedAccountIds.",
            },
            trustedAccountIds: {
                ...stringList("Account ids treated as your own (not cross-account)."),
                items: { type: "string", pattern: "^\\d{12}$" },
            },
            exemptResourceNames: stringList("Role resource names whose trust policy was reviewed and is accepted."),
            knownActions: stringList("IAM actions newer than the bundled catalog, accepted as known."),
        },
    },
    validateResource: validateResourceOfType(iam.Role, (props, args, report) => {
        const cfg = config(args, DEFAULTS);
        if (cfg.exemptResourceNames.includes(args.name)) return;
        const unknowns = new Unknowns();
        for (const d of documentsOf(args.type, props)) {
            if (d.kind !== "trust" || unknowns.check(d.value, d.what)) continue;
            if (d.value === undefined) continue;
            const r = analyzeTrustPolicy(d.value, cfg, d.what);
            if (r.status === "unknown") unknowns.add(`${d.what} at ${r.unknownPath ?? ""}`);
            reportFindings(withoutKnownActions(r.findings, cfg.knownActions), "mandatory", report, `${d.what}: `);
        }
        unknowns.finish();
    }),
};

const GITHUB_ISSUER = "token.actions.githubusercontent.com";
const GITHUB_SUB = `${GITHUB_ISSUER}:sub`;
/** `repo:<owner>[@id]/<name>[@id]:` then the context and an optional `job_workflow_ref` (GitHub OIDC reference). */
const REPO = "repo:(?:[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+|[A-Za-z0-9_.-]+@\\d+/[A-Za-z0-9_.-]+@\\d+)";
const ENV_SUBJECT = new RegExp(`^${REPO}:environment:[A-Za-z0-9_.-]+(?::job_workflow_ref:[^*?]+)?$`);
/** The only wildcard accepted anywhere: a whole last segment of a branch or tag folder. */
const FOLDER_WILDCARD = new RegExp(`^${REPO}:ref:refs/(?:heads|tags)/[A-Za-z0-9_./-]+/\\*$`);

/** The `sub` values a GitHub-federated statement accepts, under any condition operator; undefined when it has none. */
export function githubSubjectsOf(statement: unknown): string[] | undefined {
    if (typeof statement !== "object" || statement === null) return undefined;
    const s = statement as { Principal?: { Federated?: unknown }; Condition?: Record<string, Record<string, unknown>> };
    const fed = s.Principal?.Federated;
    const feds = Array.isArray(fed) ? fed : [fed];
    if (!feds.some((f) => typeof f === "string" && f.includes(GITHUB_ISSUER))) return undefined;
    const values: string[] = [];
    for (const block of Object.values(s.Condition ?? {})) {
        for (const [key, v] of Object.entries(block ?? {})) {
            if (key.toLowerCase() !== GITHUB_SUB) continue;
            for (const x of Array.isArray(v) ? v : [v]) if (typeof x === "string") values.push(x);
        }
    }
    return values;
}

/** Problems of one GitHub-trusting statement: no `sub`, a wildcard wider than a folder, or (prod) a non-environment subject. */
export function githubSubjectProblems(subjects: readonly string[], prod: boolean): string[] {
    if (subjects.length === 0) return ["trusts GitHub's OIDC provider without a `sub` condition: any repository on GitHub could assume it"];
    const out: string[] = [];
    for (const sub of subjects) {
        if (/[*?]/.test(sub) && !FOLDER_WILDCARD.test(sub)) {
            out.push(
                `trusts \`${sub}\`: a wildcard wider than one branch or tag folder (\`ref:refs/heads/m*\` matches every branch starting with m)`,
            );
        } else if (prod && !ENV_SUBJECT.test(sub)) {
            out.push(
                `trusts \`${sub}\`: a prod role trusts only \`repo:<owner>/<name>:environment:<name>\` subjects (jobs behind a GitHub environment with required reviewers)`,
            );
        }
    }
    return out;
}

/** Roles trusted by GitHub Actions: no wildcard wider than a folder anywhere; in prod only environment subjects. */
export const githubOidcTrust: StackValidationPolicy = {
    name: "github-oidc-trust",
    description: "Roles trusted by GitHub Actions OIDC name exact subjects; in prod only GitHub environment subjects.",
    configSchema: { properties: { ...ENVIRONMENT_SCHEMA } },
    validateStack: (args, report) => {
        const { env } = stackEnvironment(args);
        for (const r of args.resources) {
            if (r.type !== "aws:iam/role:Role") continue;
            const raw = (r.props as { assumeRolePolicy?: unknown }).assumeRolePolicy;
            let doc: unknown = raw;
            if (typeof raw === "string") {
                try {
                    doc = JSON.parse(raw);
                } catch {
                    continue;
                }
            }
            const statements = (doc as { Statement?: unknown } | undefined)?.Statement;
            for (const st of Array.isArray(statements) ? statements : [statements]) {
                if ((st as { Effect?: unknown } | undefined)?.Effect !== "Allow") continue;
                const subs = githubSubjectsOf(st);
                if (subs === undefined) continue;
                for (const p of githubSubjectProblems(subs, env.prod))
                    report(`role \`${r.name}\` ${p} (${env.name}: ${env.source}).`, r.urn);
            }
        }
    },
};
