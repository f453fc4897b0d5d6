/**
 * Findings for identity policies (what a principal may do): full admin, service wildcards reaching write
 * levels on `*`, Allow + NotAction/NotResource, privilege escalation, Identity Center takeover, unscoped
 * secret reads and unknown actions. Deny statements are never "broad"; only their typos are reported.
 */
import {
    AccessLevel,
    CatalogAction,
    PatternMatch,
    actionsWithFlag,
    catalogVersion,
    complementOf,
    matchAction,
    serviceActions,
    suggestAction,
} from "./catalog";
import { ParsedDocument, Statement, parseDocument } from "./document";
import { grammarFindings } from "./grammar";
import { conditionApplicability, riskyActionFindings } from "./risky-findings";
import { statementBreadth, hasWildcardResource } from "./resources";
import { ActionFlag, BOUNDABLE_ESCALATIONS, SENSITIVE_SERVICES, hasScopingCondition } from "./sensitive";
import { ADMIN_KINDS, DocumentReport, Finding } from "./types";

const WRITE_LEVELS: readonly AccessLevel[] = ["Write", "Permissions management", "Tagging"];

function quote(names: readonly string[], max = 4): string {
    const shown = names
        .slice(0, max)
        .map((n) => `\`${n}\``)
        .join(", ");
    return names.length > max ? `${shown} and ${names.length - max} more` : shown;
}

function examples(actions: readonly CatalogAction[], max = 4): string {
    const rank: Record<AccessLevel, number> = { "Permissions management": 0, Write: 1, Tagging: 2, Read: 3, List: 4 };
    // One pass keeping the first few of each level: the lists can hold every action of AWS.
    const buckets: CatalogAction[][] = [[], [], [], [], []];
    for (const a of actions) {
        const b = buckets[rank[a.level]];
        if (b.length < max * 4) b.push(a);
    }
    const picked: string[] = [];
    for (const b of buckets) {
        for (const a of b.sort((x, y) => (x.name < y.name ? -1 : x.name > y.name ? 1 : 0))) {
            if (picked.length < max) picked.push(a.name);
        }
    }
    const shown = picked.map((n) => `\`${n}\``).join(", ");
    return actions.length > max ? `${shown} and ${actions.length - max} more` : shown;
}

function levelSummary(m: PatternMatch): string {
    return WRITE_LEVELS.filter((l) => m.levelCounts[l] > 0)
        .map((l) => `${m.levelCounts[l]} ${l}`)
        .join(", ");
}

const verbOf = (a: CatalogAction): string => /^[A-Z][a-z]*/.exec(a.name.slice(a.service.length + 1))?.[0] ?? "";

/**
 * The read-only subset of a wildcard, written compactly: `s3:Get*` when every action of that verb in the
 * service is List/Read, else the individual actions.
 */
export function readOnlyAlternative(m: PatternMatch, max = 8): string {
    const reads = m.actions.filter((a) => a.level === "List" || a.level === "Read");
    if (reads.length === 0) return "";
    const out: string[] = [];
    const seen = new Set<string>();
    for (const a of reads) {
        const verb = verbOf(a);
        const key = `${a.service}:${verb}`;
        if (seen.has(key)) continue;
        seen.add(key);
        const sameVerb = serviceActions(a.service).filter((x) => verbOf(x) === verb);
        if (verb && sameVerb.every((x) => x.level === "List" || x.level === "Read")) out.push(`${a.service}:${verb}*`);
        else for (const x of reads.filter((r) => r.service === a.service && verbOf(r) === verb)) out.push(x.name);
    }
    return quote(out, max);
}

function matchesOf(s: Statement): PatternMatch[] {
    if (s.notActions !== undefined) return [complementOf(s.notActions)];
    return (s.actions ?? []).map(matchAction);
}

function unknownActionFindings(s: Statement, out: Finding[]): void {
    const list = [...(s.actions ?? []), ...(s.notActions ?? [])];
    for (const p of list) {
        if (matchAction(p).actions.length > 0) continue;
        const hint = suggestAction(p);
        const why = s.effect === "Deny" ? " A Deny with a typo denies nothing." : "";
        out.push({
            kind: "unknown-action",
            level: "mandatory",
            statement: s.index,
            subject: p,
            message:
                `${s.label}: \`${p}\` matches no IAM action (catalog ${catalogVersion()}).` +
                (hint ? ` Did you mean \`${hint}\`?` : " Check the service prefix and action name.") +
                why,
        });
    }
}

/** Services a statement's Resource can belong to; undefined means any (`*`, NotResource, wildcard service). */
function resourceServices(s: Statement): Set<string> | undefined {
    if (s.notResources !== undefined || s.resources === undefined) return undefined;
    const out = new Set<string>();
    for (const r of s.resources) {
        const parts = r.split(":");
        if (!/^arn$/i.test(parts[0] ?? "") || parts.length < 3 || /[*?]/.test(parts[2]) || parts[2] === "") return undefined;
        out.add(parts[2].toLowerCase());
    }
    return out;
}

function allowFindings(s: Statement, out: Finding[]): void {
    const breadth = statementBreadth(s.resources, s.notResources);
    const broad = breadth !== "scoped";
    const onWhat = s.notResources
        ? "every resource except those listed in NotResource"
        : breadth === "all"
          ? "`*`"
          : `every resource of a kind (${quote(s.resources ?? [], 2)})`;
    const matches = matchesOf(s);
    // A condition key that never applies to the statement's actions does not scope it (and is reported).
    const scoped = hasScopingCondition([...conditionApplicability(s, matches, out)]);
    const wildReported = new Set<string>();

    if (s.notActions !== undefined) {
        const m = matches[0];
        out.push({
            kind: "not-action-allow",
            level: "mandatory",
            statement: s.index,
            message:
                `${s.label}: Allow with NotAction grants everything except ${quote(s.notActions, 3)} ` +
                `(${m.actions.length} actions, incl. ${examples(actionsWithFlag(m, ActionFlag.WriteLike))}) on ${onWhat}. ` +
                "List the actions it needs in Action instead; keep NotAction for Deny statements.",
        });
    }
    if (s.notResources !== undefined) {
        out.push({
            kind: "not-resource-allow",
            level: "mandatory",
            statement: s.index,
            message:
                `${s.label}: Allow with NotResource grants ${quote(s.actions ?? s.notActions ?? [], 3)} on every resource except ` +
                `${quote(s.notResources, 2)}, including ones created later. List the resources it needs in Resource instead.`,
        });
    }
    if (breadth === "all" && matches.some((m) => m.all)) {
        out.push({
            kind: "full-admin",
            level: "mandatory",
            statement: s.index,
            message:
                `${s.label}: grants full administrator access (\`*\` on \`*\`). Grant a job-function policy ` +
                "(e.g. job-function/ViewOnlyAccess) or list the services, actions and resource ARNs it needs.",
        });
        return;
    }
    if (broad && !scoped) {
        for (const m of matches) {
            if (!m.wildcard || s.notActions !== undefined) continue;
            const sensitive = m.service === undefined ? (m.flags & ActionFlag.SensitiveWrite) !== 0 : SENSITIVE_SERVICES.has(m.service);
            const writes = m.levelCounts.Write + m.levelCounts["Permissions management"] + m.levelCounts.Tagging;
            if (writes === 0 || !(sensitive || m.wholeService)) continue;
            const alt = readOnlyAlternative(m);
            wildReported.add(m.pattern);
            out.push({
                kind: "service-wildcard",
                level: "mandatory",
                statement: s.index,
                message:
                    `${s.label}: \`${m.pattern}\` on ${onWhat} reaches ${levelSummary(m)} actions ` +
                    `(e.g. ${examples(actionsWithFlag(m, ActionFlag.WriteLike))}). Scope Resource to specific ARNs` +
                    (alt ? `, or grant only its read actions: ${alt}.` : ", or list the exact actions it needs."),
            });
        }
    }
    if (broad) {
        const boundable = s.conditionKeys.includes("iam:permissionsboundary") || s.conditionKeys.includes("iam:policyarn");
        const esc = new Map<string, CatalogAction>();
        for (const m of matches) {
            for (const a of actionsWithFlag(m, ActionFlag.Escalation)) {
                if (!(boundable && BOUNDABLE_ESCALATIONS.has(a.key))) esc.set(a.key, a);
            }
            for (const a of actionsWithFlag(m, ActionFlag.PassRole)) esc.set(a.key, a);
        }
        if (esc.size > 0) {
            out.push({
                kind: "privilege-escalation",
                level: "mandatory",
                statement: s.index,
                message:
                    `${s.label}: allows privilege escalation: ${examples([...esc.values()], 5)} on ${onWhat}. ` +
                    "Scope Resource to the exact role/user/policy ARNs, or require an `iam:PermissionsBoundary` / " +
                    "`iam:PolicyARN` condition for attach and put actions.",
            });
        }
        const secrets = new Map<string, CatalogAction>();
        if (!scoped) for (const m of matches) for (const a of actionsWithFlag(m, ActionFlag.SecretRead)) secrets.set(a.key, a);
        if (secrets.size > 0) {
            out.push({
                kind: "unscoped-secret-read",
                level: "mandatory",
                statement: s.index,
                message:
                    `${s.label}: reads secrets on ${onWhat}: ${examples([...secrets.values()], 5)}. Scope Resource ` +
                    "to the secret / parameter / key ARNs it needs, or add an `aws:ResourceTag/...` or `kms:ViaService` condition.",
            });
        }
        if (s.notActions === undefined) riskyActionFindings(s, matches, onWhat, wildReported, () => scoped, out);
    }
    const takeover = new Map<string, CatalogAction>();
    const services = resourceServices(s);
    for (const m of matches) {
        for (const a of actionsWithFlag(m, ActionFlag.Takeover)) if (!services || services.has(a.service)) takeover.set(a.key, a);
    }
    if (takeover.size > 0) {
        out.push({
            kind: "identity-center-takeover",
            level: "mandatory",
            statement: s.index,
            message:
                `${s.label}: can change who gets access to the organization: ${examples([...takeover.values()], 5)}. ` +
                "Only the idfed deployment role may do this; grant the read-only `sso:List*` / `sso:Describe*` / " +
                "`identitystore:List*` actions instead.",
        });
    }
}

function passRoleWithCompute(statements: readonly Statement[], out: Finding[]): void {
    let passRole: Statement | undefined;
    let compute: { s: Statement; a: CatalogAction } | undefined;
    for (const s of statements) {
        if (s.effect !== "Allow") continue;
        for (const m of matchesOf(s)) {
            if (!passRole && m.flags & ActionFlag.PassRole && hasWildcardResource(s.resources, s.notResources)) passRole = s;
            const c = actionsWithFlag(m, ActionFlag.Compute);
            if (!compute && c.length > 0) compute = { s, a: c[0] };
        }
    }
    if (!passRole || !compute) return;
    // A PassRole already reported on `*` is enough; this covers wildcard role paths like role/app-*.
    if (statementBreadth(passRole.resources, passRole.notResources) !== "scoped") return;
    out.push({
        kind: "privilege-escalation",
        level: "mandatory",
        statement: passRole.index,
        message:
            `${passRole.label}: \`iam:PassRole\` on a wildcard role ARN together with \`${compute.a.name}\` ` +
            `(${compute.s.label}) lets the holder run compute as any matching role. Pass one exact role ARN and add an ` +
            "`iam:PassedToService` condition.",
    });
}

/**
 * True when an Allow statement reaches an action that changes state on `*`: Write / Permissions management /
 * Tagging, except actions named as reads (`Get*`, `List*`, `Describe*`, e.g. `iot:ListSubscriptions`, which
 * the catalog files under Write) and S3 Express sessions pinned to `s3express:SessionMode` ReadOnly.
 */
function writesOnStar(statements: readonly Statement[]): boolean {
    return statements.some((s) => s.effect === "Allow" && statementBreadth(s.resources, s.notResources) === "all" && changesState(s));
}

/**
 * True when a statement's actions (Action or NotAction, on any resource) include one that changes state, as
 * {@link writesOnStar} counts them (reads named `Get*`/`List*`/`Describe*` and ReadOnly S3 Express sessions are
 * not). The access review's matrix levels use it too, so the pack and the review agree on "write".
 */
export function changesState(s: Statement): boolean {
    const readOnlySession = s.conditions.some(
        (c) =>
            c.key === "s3express:sessionmode" && !/not/i.test(c.operator) && c.values.length > 0 && c.values.every((v) => v === "ReadOnly"),
    );
    return matchesOf(s).some((m) =>
        actionsWithFlag(m, ActionFlag.StateChange).some((a) => !(a.service === "s3express" && readOnlySession)),
    );
}

/** Builds a report from findings, with the derived admin / write-on-star facts. */
export function report(
    status: DocumentReport["status"],
    findings: Finding[],
    statements: number,
    writeOnStar: boolean,
    extra: Partial<DocumentReport> = {},
): DocumentReport {
    return {
        status,
        findings,
        statements,
        writeOnStar,
        ...extra,
        adminLevel: findings.some((f) => ADMIN_KINDS.has(f.kind)),
    };
}

/** Report for a document that could not be parsed or is unknown at preview. */
export function unparsedReport(doc: Exclude<ParsedDocument, { kind: "ok" }>, what: string): DocumentReport {
    if (doc.kind === "unknown") {
        return report(
            "unknown",
            [
                {
                    kind: "cannot-judge",
                    level: "advisory",
                    message: `${what} is unknown until apply${doc.path ? ` (at ${doc.path})` : ""}: cannot judge it during preview.`,
                },
            ],
            0,
            false,
            { unknownPath: doc.path },
        );
    }
    return report("invalid", [{ kind: "invalid-document", level: "mandatory", message: `${what} is invalid: ${doc.error}.` }], 0, false);
}

/** Analyzes the statements of an already-parsed identity policy. */
export function analyzeIdentityStatements(statements: readonly Statement[]): { findings: Finding[]; writeOnStar: boolean } {
    const findings: Finding[] = [];
    for (const s of statements) {
        unknownActionFindings(s, findings);
        if (s.effect === "Allow") allowFindings(s, findings);
    }
    passRoleWithCompute(statements, findings);
    return { findings, writeOnStar: writesOnStar(statements) };
}

/**
 * Analyzes an identity policy (JSON string or object). Never throws.
 * @param what how messages name the document, e.g. "the inline policy".
 */
export function analyzeIdentityPolicy(input: unknown, what = "the policy document"): DocumentReport {
    const doc = parseDocument(input);
    if (doc.kind !== "ok") return unparsedReport(doc, what);
    const { findings, writeOnStar } = analyzeIdentityStatements(doc.statements);
    findings.push(...grammarFindings(doc.statements, "identity"));
    for (const p of doc.problems) findings.push({ kind: "invalid-document", level: "mandatory", message: `${what}: ${p}.` });
    for (const s of doc.statements) {
        if (s.principal || s.notPrincipal) {
            findings.push({
                kind: "invalid-document",
                level: "mandatory",
                statement: s.index,
                message: `${s.label}: an identity policy cannot name a Principal; remove it (trust policies go in the role's assumeRolePolicy).`,
            });
        }
    }
    return report("ok", findings, doc.statements.length, writeOnStar, { size: doc.size });
}
