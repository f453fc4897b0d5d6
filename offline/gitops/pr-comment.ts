/**
 * The PR comment (`npm run --silent gitops:pr-comment -- <report dir>`): a short summary per stack built from
 * the access diff's JSON and the offline plan's exit code, with every config value escaped, bounded well under
 * GitHub's 65,536-character comment limit whatever the organization's size. The full Markdown reports go to
 * the job summary and the workflow artifacts.
 *
 * Escaping is local (issue 14's shared escaper was not on main when this was written): no raw HTML, no
 * `@mention`, no table or link breaking.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { escapeMarkdownCell } from "../escape";

/** Hidden marker that finds the comment again on the next push. */
export const MARKER = "<!-- idfed-gitops-report -->";
/** Budget of the whole body (GitHub rejects comments over 65,536 characters). */
export const MAX_BODY = 60000;
/** Rows of gains / losses / verdicts shown per stack before "… and N more". */
export const MAX_ROWS = 25;

/** The compact Markdown escaper of the one escaping module (offline/escape.ts). */
const escapeMarkdown = escapeMarkdownCell;

interface Entry {
    group: string;
    groupDisplayName?: string;
    accountId: string;
    accountName?: string;
    permissionSet: string;
    permissionSetName?: string;
    expiresAt?: string;
    highRisk?: boolean;
    reason?: string;
}
interface Verdict {
    policy: string;
    level: string;
    message: string;
}
interface DiffJson {
    accessChanged?: boolean;
    gains?: Entry[];
    losses?: Entry[];
    verdictsAppeared?: Verdict[];
    verdictsResolved?: Verdict[];
    summary?: {
        gains: number;
        losses: number;
        highRisk: number;
        permissionSetsChanged: number;
        verdictsAppeared: number;
        verdictsResolved: number;
    };
}

/** What the workflow wrote for one stack. */
export interface StackReport {
    readonly stack: string;
    /** Exit code of the offline plan (`0`, `1` mandatory violation, `2` bad input, else internal). */
    readonly planExit: string;
    /** The access diff's JSON, or undefined when it failed. */
    readonly diff?: DiffJson;
    /** The access diff's error output when it failed. */
    readonly diffError?: string;
}

function verdictOf(exit: string): string {
    return exit === "0"
        ? "clean or advisory only"
        : exit === "1"
          ? "**mandatory policy violation**"
          : `**failed (exit ${escapeMarkdown(exit)})**`;
}

function rows(title: string, entries: readonly Entry[], extra: (e: Entry) => string): string[] {
    if (entries.length === 0) return [];
    const shown = entries
        .slice(0, MAX_ROWS)
        .map(
            (e) =>
                `| ${escapeMarkdown(e.groupDisplayName ?? e.group)} | ${escapeMarkdown(e.permissionSetName ?? e.permissionSet)} | ` +
                `${escapeMarkdown(e.accountName ?? "")} \`${/^\d{12}$/.test(e.accountId) ? e.accountId : "?"}\` | ${extra(e)} |`,
        );
    const more = entries.length > MAX_ROWS ? [`| … and ${entries.length - MAX_ROWS} more (job summary / artifacts) | | | |`] : [];
    return [
        "",
        `**${title}** (${entries.length})`,
        "",
        "| group | permission set | account | |",
        "| --- | --- | --- | --- |",
        ...shown,
        ...more,
    ];
}

/** The summary of one stack. */
export function stackSection(r: StackReport): string {
    const out = [`### \`${escapeMarkdown(r.stack)}\`: ${verdictOf(r.planExit)}`];
    if (!r.diff) {
        out.push("", `Access diff unavailable: ${escapeMarkdown((r.diffError ?? "no output").split("\n")[0])}`);
        return out.join("\n");
    }
    const s = r.diff.summary;
    if (!r.diff.accessChanged) out.push("", "No change in access.");
    if (s) {
        out.push(
            "",
            `Gains ${s.gains} (high risk ${s.highRisk}) · losses ${s.losses} · permission sets changed ${s.permissionSetsChanged} · ` +
                `verdicts appeared ${s.verdictsAppeared}, resolved ${s.verdictsResolved}`,
        );
    }
    out.push(
        ...rows("Gains", r.diff.gains ?? [], (e) =>
            e.highRisk ? "**HIGH RISK**" : e.expiresAt ? `until ${escapeMarkdown(e.expiresAt)}` : "",
        ),
    );
    out.push(...rows("Losses", r.diff.losses ?? [], (e) => escapeMarkdown(e.reason ?? "")));
    const verdicts = r.diff.verdictsAppeared ?? [];
    if (verdicts.length) {
        out.push("", `**Verdicts appeared** (${verdicts.length})`, "");
        for (const v of verdicts.slice(0, MAX_ROWS))
            out.push(`- ${escapeMarkdown(v.level)} \`${escapeMarkdown(v.policy)}\`: ${escapeMarkdown(v.message)}`);
        if (verdicts.length > MAX_ROWS) out.push(`- … and ${verdicts.length - MAX_ROWS} more`);
    }
    return out.join("\n");
}

/** The whole comment body, never longer than {@link MAX_BODY}. */
export function commentBody(reports: readonly StackReport[], header: { commit: string; runUrl: string }): string {
    const head = [
        MARKER,
        "## idfed: access diff and policy verdicts",
        "",
        `Commit \`${escapeMarkdown(header.commit.slice(0, 12))}\` · [workflow run](${encodeURI(header.runUrl)}) · full plans and diffs: the run's job summary and artifacts`,
    ].join("\n");
    let body = head;
    for (const [i, r] of reports.entries()) {
        const section = `\n\n${stackSection(r)}`;
        if (body.length + section.length > MAX_BODY - 200) {
            body += `\n\n_${reports.length - i} more stack(s) not shown here (comment size limit); see the job summary._`;
            break;
        }
        body += section;
    }
    return body;
}

/** Reads the report directory the plan job wrote (`plan-<stack>.exit`, `access-diff-<stack>.json|.err`). */
export function readReports(dir: string): StackReport[] {
    const stacks = fs
        .readdirSync(dir)
        .map((f) => /^plan-([A-Za-z0-9_.-]+)\.exit$/.exec(f)?.[1])
        .filter((s): s is string => !!s)
        .sort();
    return stacks.map((stack) => {
        const read = (f: string) => (fs.existsSync(path.join(dir, f)) ? fs.readFileSync(path.join(dir, f), "utf8") : undefined);
        const planExit = (read(`plan-${stack}.exit`) ?? "?").trim();
        const raw = read(`access-diff-${stack}.json`);
        let diff: DiffJson | undefined;
        try {
            diff = raw ? (JSON.parse(raw) as DiffJson) : undefined;
        } catch {
            diff = undefined;
        }
        return { stack, planExit, ...(diff ? { diff } : { diffError: read(`access-diff-${stack}.err`) ?? "no access diff" }) };
    });
}
