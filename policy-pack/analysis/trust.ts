/**
 * Findings for trust policies (who may assume a role): wildcard principals without a restricting condition,
 * SAML federation without `SAML:aud`, cross-account principals without ExternalId/MFA (when required),
 * GitHub OIDC without a `sub` condition or with `repo:*`-style wildcards.
 */
import { matchAction, suggestAction, catalogVersion } from "./catalog";
import { ConditionEntry, Statement, parseDocument } from "./document";
import { grammarFindings } from "./grammar";
import { report, unparsedReport } from "./identity";
import { DocumentReport, Finding } from "./types";

/** Settings of the trust analysis (the pack's policy config supplies them). */
export interface TrustOptions {
    /** Require `sts:ExternalId` or MFA for principals of accounts not in `trustedAccountIds`. Default true. */
    readonly requireExternalIdForCrossAccount?: boolean;
    /** Accounts whose principals are not "cross-account" (the organization's own). Default none. */
    readonly trustedAccountIds?: readonly string[];
}

const RESTRICTING_KEYS = new Set([
    "aws:principalorgid",
    "aws:principalorgpaths",
    "aws:principalaccount",
    "aws:principalarn",
    "aws:sourceaccount",
    "aws:sourcearn",
    "aws:sourceorgid",
    "aws:sourceorgpaths",
    "aws:userid",
    "aws:principalservicename",
]);
const GITHUB = "token.actions.githubusercontent.com";

function allows(s: Statement, action: string): boolean {
    const target = action.toLowerCase();
    if (s.notActions) return !s.notActions.some((p) => matchAction(p).actions.some((a) => a.key === target));
    return (s.actions ?? []).some((p) => matchAction(p).actions.some((a) => a.key === target));
}

function accountOf(principal: string): string | undefined {
    if (/^\d{12}$/.test(principal)) return principal;
    const m = /^arn:aws[a-z-]*:(?:iam|sts)::(\d{12}|\*):/.exec(principal);
    return m ? m[1] : undefined;
}

/**
 * Claims AWS puts in the request context for OIDC federation. ASSUMPTION: the list of the IAM User Guide's
 * "Available keys for AWS OIDC federation" (aud, sub, amr, azp, oaud) plus `email` (undocumented but seen working:
 * AWS re:Post "IAM Condition keys: How to access nested attributes in custom OIDC token claims"); GitHub's
 * "Configuring OpenID Connect in Amazon Web Services": AWS supports no custom claims.
 */
const OIDC_CLAIMS: ReadonlySet<string> = new Set(["aud", "sub", "amr", "azp", "oaud", "email"]);

/** Condition entries on `<provider>:<claim>` keys of the statement's OIDC providers. */
function providerConditions(s: Statement, hosts: readonly string[]): ConditionEntry[] {
    return s.conditions.filter((c) => hosts.some((h) => c.key.startsWith(`${h}:`)));
}

/**
 * Conditions on an OIDC provider that can never hold: a claim AWS never sends (always absent: a positive
 * operator fails closed), or `*` / `?` under a non-Like operator (compared literally: no token has that
 * value). Reported as what they are (the statement lets nobody in), not as a wildcard. Returns the entries
 * that can match.
 */
function deadProviderConditions(s: Statement, hosts: readonly string[], out: Finding[]): ConditionEntry[] {
    const live: ConditionEntry[] = [];
    for (const c of providerConditions(s, hosts)) {
        const claim = c.key.slice(c.key.lastIndexOf(":") + 1);
        const positive = !/not|ifexists$/i.test(c.operator) && !/^null$/i.test(c.operator);
        if (!OIDC_CLAIMS.has(claim) && positive) {
            out.push({
                kind: "trust-condition-never-matches",
                level: "mandatory",
                statement: s.index,
                subject: c.key,
                message:
                    `${s.label}: \`${c.key}\` is not a claim AWS puts in the request context (only ${[...OIDC_CLAIMS].join(", ")}; ` +
                    "custom claims are not supported), so the condition is always false and nobody can assume the role " +
                    "through this statement. Put the restriction in `sub` (e.g. `repo:<org>/<repo>:ref:refs/heads/main`).",
            });
            continue;
        }
        const literal = positive && !/like/i.test(c.operator);
        const dead = literal ? c.values.filter((v) => /[*?]/.test(v)) : [];
        if (dead.length > 0) {
            const all = dead.length === c.values.length;
            out.push({
                kind: "trust-condition-never-matches",
                level: all ? "mandatory" : "advisory",
                statement: s.index,
                subject: c.key,
                message:
                    `${s.label}: \`${c.operator}\` compares \`${c.key}\` literally, so ${dead.map((v) => `\`${v}\``).join(", ")} ` +
                    `${dead.length > 1 ? "match" : "matches"} no token (\`*\` is not a wildcard here)` +
                    (all ? "; nobody can assume the role through this statement." : "; those values are dead.") +
                    " Use `StringLike` for a pattern, or name the value exactly.",
            });
            if (all) continue;
            live.push({ ...c, values: c.values.filter((v) => !dead.includes(v)) });
            continue;
        }
        live.push(c);
    }
    return live;
}

function githubFindings(s: Statement, live: readonly ConditionEntry[], out: Finding[]): void {
    const subs = live.filter((c) => c.key === `${GITHUB}:sub`);
    if (subs.length === 0) {
        // A dead condition already says nobody gets in; without any, any repository does.
        if (providerConditions(s, [GITHUB]).length > live.length) return;
        out.push({
            kind: "trust-github-oidc-unscoped",
            level: "mandatory",
            statement: s.index,
            message:
                `${s.label}: GitHub OIDC trust without a \`${GITHUB}:sub\` condition lets any GitHub repository assume ` +
                "the role. Add `StringEquals`/`StringLike` on `sub`, e.g. `repo:<org>/<repo>:ref:refs/heads/main`.",
        });
        return;
    }
    const bad = subs.flatMap((c) => c.values).filter((v) => !/^repo:[^/:*?]+\/[^/:*?]+(:|$)/.test(v));
    if (bad.length > 0) {
        out.push({
            kind: "trust-github-oidc-unscoped",
            level: "mandatory",
            statement: s.index,
            message:
                `${s.label}: GitHub OIDC \`sub\` ${bad.map((v) => `\`${v}\``).join(", ")} matches repositories you do ` +
                "not control. Name the organization and repository exactly: `repo:<org>/<repo>:ref:refs/heads/main` or " +
                "`repo:<org>/<repo>:environment:<env>`.",
        });
    }
}

function statementFindings(s: Statement, opts: TrustOptions, out: Finding[]): void {
    for (const p of [...(s.actions ?? []), ...(s.notActions ?? [])]) {
        if (matchAction(p).actions.length > 0) continue;
        const hint = suggestAction(p);
        out.push({
            kind: "unknown-action",
            level: "mandatory",
            statement: s.index,
            subject: p,
            message: `${s.label}: \`${p}\` matches no IAM action (catalog ${catalogVersion()}).${hint ? ` Did you mean \`${hint}\`?` : ""}`,
        });
    }
    if (s.effect !== "Allow") return;
    const keys = s.conditionKeys;
    const pr = s.principal;
    if (s.notPrincipal || pr?.any) {
        if (!keys.some((k) => RESTRICTING_KEYS.has(k))) {
            out.push({
                kind: "trust-wildcard-principal",
                level: "mandatory",
                statement: s.index,
                message:
                    `${s.label}: ${s.notPrincipal ? "Allow with NotPrincipal" : "Principal `*`"} lets any AWS account assume ` +
                    "the role. Name the principals, or restrict with an `aws:PrincipalOrgID` / `aws:PrincipalAccount` / " +
                    "`aws:SourceArn` condition.",
            });
        }
    }
    if (!pr) return;
    const saml = pr.federated.some((f) => /:saml-provider\//i.test(f));
    if ((saml || pr.federated.length > 0) && allows(s, "sts:AssumeRoleWithSAML") && !keys.includes("saml:aud")) {
        out.push({
            kind: "trust-saml-without-audience",
            level: "mandatory",
            statement: s.index,
            message:
                `${s.label}: SAML federation (\`sts:AssumeRoleWithSAML\`) without a \`SAML:aud\` condition accepts ` +
                'assertions meant for other applications. Add `StringEquals: { "SAML:aud": "https://signin.aws.amazon.com/saml" }`.',
        });
    }
    const hosts = pr.federated.map((f) => /oidc-provider\/(.+)$/i.exec(f)?.[1]?.toLowerCase()).filter((h): h is string => !!h);
    const web = hosts.length > 0 && allows(s, "sts:AssumeRoleWithWebIdentity");
    const live = web ? deadProviderConditions(s, hosts, out) : [];
    if (web && hosts.includes(GITHUB)) {
        githubFindings(s, live, out);
    } else if (web && !live.some((c) => /:(sub|aud|amr)$/.test(c.key)) && providerConditions(s, hosts).length === live.length) {
        out.push({
            kind: "trust-oidc-without-subject",
            level: "mandatory",
            statement: s.index,
            message:
                `${s.label}: OIDC web-identity trust without a \`sub\` or \`aud\` condition lets any identity of that ` +
                "provider assume the role. Add a `<provider>:sub` condition naming the workload.",
        });
    }
    if (opts.requireExternalIdForCrossAccount ?? true) {
        const trusted = new Set(opts.trustedAccountIds ?? []);
        const foreign = pr.aws.filter((a) => a !== "*" && !trusted.has(accountOf(a) ?? ""));
        const guarded =
            keys.includes("sts:externalid") || keys.includes("aws:multifactorauthpresent") || keys.includes("aws:multifactorauthage");
        if (foreign.length > 0 && !guarded) {
            out.push({
                kind: "trust-cross-account-without-condition",
                level: "mandatory",
                statement: s.index,
                message:
                    `${s.label}: cross-account principal ${foreign
                        .slice(0, 3)
                        .map((a) => `\`${a}\``)
                        .join(", ")} may assume ` +
                    'the role without an `sts:ExternalId` or MFA condition. Add `StringEquals: { "sts:ExternalId": ... }` or ' +
                    '`Bool: { "aws:MultiFactorAuthPresent": "true" }`, or list the account in `trustedAccountIds`.',
            });
        }
    }
}

/** Analyzes the statements of an already-parsed trust policy. */
export function analyzeTrustStatements(statements: readonly Statement[], opts: TrustOptions = {}): Finding[] {
    const out: Finding[] = [];
    for (const s of statements) statementFindings(s, opts, out);
    return out;
}

/** Analyzes a trust (assume-role) policy given as a JSON string or an object. Never throws. */
export function analyzeTrustPolicy(input: unknown, opts: TrustOptions = {}, what = "the trust policy"): DocumentReport {
    const doc = parseDocument(input);
    if (doc.kind !== "ok") return unparsedReport(doc, what);
    const findings = analyzeTrustStatements(doc.statements, opts);
    findings.push(...grammarFindings(doc.statements, "trust"));
    for (const p of doc.problems) findings.push({ kind: "invalid-document", level: "mandatory", message: `${what}: ${p}.` });
    for (const s of doc.statements) {
        if (s.effect === "Allow" && !s.principal && !s.notPrincipal) {
            findings.push({
                kind: "invalid-document",
                level: "mandatory",
                statement: s.index,
                message: `${s.label}: a trust policy statement needs a Principal.`,
            });
        }
    }
    return report("ok", findings, doc.statements.length, false, { size: doc.size });
}
