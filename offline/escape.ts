/**
 * Escaping for every place the offline tools' output lands: Markdown (PR comments, rendered by GitHub),
 * HTML, a terminal, CSV (opened in a spreadsheet). Names come from config and from the organization, so
 * they are data, never markup: no HTML (`<!--` would hide the rest of a comment, `</details>` close the
 * workflow's wrapper), no `@mentions`, no line breaks in table rows, no ANSI escape sequences rewriting
 * terminal lines, no spreadsheet formulas. Validation refuses control characters in names; these escapers
 * make the output safe whatever reaches them. Pure.
 */

/**
 * Characters that control a terminal or reorder text: C0 (NUL, ESC, CR, LF…), DEL, C1, the Arabic letter mark,
 * left/right marks, bidi embeddings/overrides/isolates and the Unicode line and paragraph separators.
 */
export const CONTROL_RE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2028\u2029\u2066-\u2069]/g;

/** A control character as visible text (`\u001b`). */
const visible = (c: string): string => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`;

/** For a terminal or a log: every control character (ANSI ESC included) shown as `\uXXXX`, one line. */
export function escapeTerminal(s: string): string {
    return s.replace(CONTROL_RE, visible);
}

const HTML_ENTITIES: Readonly<Record<string, string>> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** For HTML text and attribute values: `& < > " '` as entities, control characters shown as `\uXXXX`. */
export function escapeHtml(s: string): string {
    return escapeTerminal(s).replace(/[&<>"']/g, (c) => HTML_ENTITIES[c]);
}

/** `@name` with a zero-width space after the `@`: GitHub renders it as text, without notifying anyone. */
const noMention = (s: string): string => s.replace(/@(?=[\w-])/g, "@\u200b");

/**
 * For a name (or any data) in Markdown text: HTML neutralized, `@mentions` defused, Markdown punctuation
 * backslash-escaped (no links, emphasis or code spans; names are never at a line start), line breaks and control
 * characters shown as `\uXXXX`. Safe in a table cell too (`|` escaped).
 */
export function escapeMarkdown(s: string): string {
    return noMention(
        escapeTerminal(s)
            .replace(/[\\`*_[\]|~]/g, (c) => `\\${c}`)
            .replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`),
    );
}

/**
 * For a message idfed composed (it may quote names in backtick code spans) in Markdown: HTML neutralized,
 * `@mentions` defused, `|` escaped (table-safe), control characters shown as `\uXXXX`; code spans kept.
 */
export function escapeMarkdownMessage(s: string): string {
    return noMention(
        escapeTerminal(s)
            .replace(/[&<>]/g, (c) => `&#${c.charCodeAt(0)};`)
            .replace(/\|/g, "\\|"),
    );
}

/**
 * One CSV field (RFC 4180): quoted when it holds a comma, quote or line break; a field a spreadsheet would
 * run as a formula (leading `=`, `+`, `-`, `@`, tab or carriage return) is prefixed with `'` (OWASP's
 * advice against CSV injection). Control characters other than those are shown as `\uXXXX`.
 */
export function escapeCsv(s: string): string {
    let v = s.replace(CONTROL_RE, (c) => (c === "\t" || c === "\r" || c === "\n" ? c : visible(c)));
    if (/^[=+\-@\t\r]/.test(v)) v = `'${v}`;
    return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/**
 * For a value in a compact Markdown table cell of the PR comment (offline/gitops/pr-comment.ts): every Markdown
 * and HTML punctuation character as a numeric entity (no raw `<`, `|`, `` ` ``, brackets), control characters and
 * line breaks as spaces, `@mentions` defused, at most 300 characters.
 */
export function escapeMarkdownCell(value: unknown): string {
    return noMention(
        String(value)
            .replace(/[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2028\u2029\u2066-\u2069]+/g, " ")
            .replace(/[\\`*_{}[\]()#+!|~<>&]/g, (c) => `&#${c.charCodeAt(0)};`),
    ).slice(0, 300);
}

/** For an identifier in a Markdown code span: backticks replaced (they would end the span), controls shown. */
export function markdownCode(s: string): string {
    return `\`${escapeTerminal(s).replace(/`/g, "'")}\``;
}
