/**
 * Evaluates IAM documents for one action (and optionally one resource) with the pack's parser and matching
 * (`policy-pack/analysis`): Action/NotAction and Resource/NotResource globs, explicit Deny over Allow,
 * conditions NOT evaluated (a statement with a Condition gives a "conditional" answer). Pure; cached by the
 * callers, not here.
 */
import { CatalogAction, getAction, globToRegExp, suggestAction } from "idfed-policy-pack/analysis/catalog";

export { suggestAction };
import { parseDocument, Statement } from "idfed-policy-pack/analysis/document";
import { managedPolicyDocument } from "idfed-policy-pack/analysis/managed-policies";

/** What a set of documents says about an action. */
export type Effect = "allow" | "conditional" | "none" | "deny" | "unknown";

/** A statement that decided, named for people: `AWS-managed AdministratorAccess statement 1`. */
export interface StatementRef {
    /** The document, e.g. `AWS-managed AdministratorAccess`, `inline policy`, `SCP DenyLeaveOrg (p-…)`. */
    source: string;
    /** The statement's label (`statement 2 ("Sid")`). */
    statement: string;
    /** True when the statement has a Condition (not evaluated). */
    conditional: boolean;
    /** The statement's Resource when it does not cover every resource (no `--resource` given). */
    scope?: string[];
}

/** The answer of one or more documents. */
export interface DocEval {
    effect: Effect;
    /** Statements that allow the action (conditionally or not). */
    allows: StatementRef[];
    /** Statements that deny it on every resource asked (conditionally or not). */
    denies: StatementRef[];
    /** Documents that could not be read (customer-managed, unknown AWS-managed, summarized). */
    unknown: string[];
}

/** What is asked: an exact catalog action, and a resource ARN or undefined for "any resource". */
export interface Question {
    action: CatalogAction;
    resource?: string;
}

/** The catalog action for a name (case-insensitive), or undefined. */
export function actionFor(name: string): CatalogAction | undefined {
    return getAction(name);
}

const globs = new Map<string, RegExp>();
function glob(p: string, caseless: boolean): RegExp {
    const k = `${caseless ? "i" : "c"}${p}`;
    let re = globs.get(k);
    if (!re) {
        if (caseless) re = globToRegExp(p);
        else {
            let s = "^";
            for (const ch of p) s += ch === "*" ? ".*" : ch === "?" ? "." : ch.replace(/[.+^${}()|[\]\\/-]/g, "\\$&");
            re = new RegExp(s + "$");
        }
        if (globs.size > 20_000) globs.clear();
        globs.set(k, re);
    }
    return re;
}

function actionMatches(s: Statement, a: CatalogAction): boolean {
    if (s.actions) return s.actions.some((p) => glob(p.trim(), true).test(a.key));
    return !(s.notActions ?? []).some((p) => glob(p.trim(), true).test(a.key));
}

const allResources = (r: string) => /^\*+$/.test(r.trim());

/** Does the statement cover the resource? `all`: every resource; `some`: some (no resource asked); `no`. */
function resourceMatch(s: Statement, q: Question): "all" | "some" | "no" {
    if (q.resource !== undefined) {
        if (s.resources) return s.resources.some((r) => glob(r.trim(), false).test(q.resource!)) ? "all" : "no";
        if (s.notResources) return s.notResources.some((r) => glob(r.trim(), false).test(q.resource!)) ? "no" : "all";
        return "all";
    }
    if (s.notResources) return "some";
    if (!s.resources || s.resources.some(allResources)) return "all";
    return "some";
}

/** Evaluates one parsed statement list. `source` names the document in answers. */
export function evaluateStatements(statements: readonly Statement[], source: string, q: Question): DocEval {
    const allows: StatementRef[] = [];
    const denies: StatementRef[] = [];
    for (const s of statements) {
        if (!actionMatches(s, q.action)) continue;
        const m = resourceMatch(s, q);
        if (m === "no") continue;
        const conditional = s.conditions.length > 0;
        if (s.effect === "Deny") {
            // A Deny on some resources only does not take the action away everywhere.
            if (m === "all") denies.push({ source, statement: s.label, conditional });
        } else {
            allows.push({
                source,
                statement: s.label,
                conditional,
                ...(m === "some" ? { scope: [...(s.resources ?? s.notResources?.map((r) => `not ${r}`) ?? [])] } : {}),
            });
        }
    }
    return combine(allows, denies, []);
}

function combine(allows: StatementRef[], denies: StatementRef[], unknown: string[]): DocEval {
    let effect: Effect;
    if (denies.some((d) => !d.conditional)) effect = "deny";
    else if (allows.some((a) => !a.conditional) && denies.length === 0) effect = "allow";
    else if (allows.length) effect = "conditional";
    else effect = unknown.length ? "unknown" : "none";
    return { effect, allows, denies, unknown };
}

/** Evaluates one document (object or JSON string). An unreadable document is `unknown`. */
export function evaluateDocument(doc: unknown, source: string, q: Question): DocEval {
    const parsed = parseDocument(doc);
    if (parsed.kind !== "ok") return combine([], [], [`${source} (${parsed.kind === "unknown" ? "unknown at preview" : "invalid"})`]);
    return evaluateStatements(parsed.statements, source, q);
}

/**
 * Evaluates an AWS-managed policy by its real document (the pack's data set, via `managedPolicyDocument`). An
 * ARN the data set does not have (customer-managed, unknown or too new) is `unknown`.
 */
export function evaluateManagedPolicy(arn: string, q: Question): DocEval {
    const name = arn.replace(/^arn:[^:]+:iam::aws:policy\//, "");
    const doc = managedPolicyDocument(arn);
    if (doc) return evaluateDocument(doc, `AWS-managed ${name}`, q);
    return combine([], [], [`${arn.includes(":iam::aws:policy/") ? `AWS-managed ${name}` : arn} (not in the pack's data set)`]);
}

/** Merges several documents' answers as IAM does within one policy set: any Deny wins, then any Allow. */
export function mergeEvals(evals: readonly DocEval[]): DocEval {
    return combine(
        evals.flatMap((e) => e.allows),
        evals.flatMap((e) => e.denies),
        evals.flatMap((e) => e.unknown),
    );
}

/** The statements to show for an answer: the denies for `deny`, else the allows. */
export function via(e: DocEval): StatementRef[] {
    return e.effect === "deny" ? e.denies.filter((d) => !d.conditional) : e.allows;
}
