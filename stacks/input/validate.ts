/**
 * Small reusable validators and the issue collector shared by every `stacks/` parser. Pure functions, no
 * Pulumi. Everything here is safe on hostile input: keys are read with `hasOwnProperty`, results are
 * built with `defineProperty`, and nothing here throws for bad data (bad data becomes an issue).
 */
import { ConfigIssue } from "../model";

/** Collects validation problems; each message names the key path in backticks, the value and the fix. */
export class Issues {
    private readonly items: ConfigIssue[] = [];

    /** Records one problem at `path`; `text` says what is wrong with the value and what is allowed. */
    add(path: string, text: string): void {
        this.items.push({ path, message: `\`${path}\`: ${text}` });
    }

    /** Every problem recorded so far, in the order found. */
    get list(): readonly ConfigIssue[] {
        return this.items;
    }

    /** Number of problems recorded so far. */
    get count(): number {
        return this.items.length;
    }
}

/**
 * Characters never accepted in a name or other single-line text: C0 controls (NUL, ESC, CR, LF, tab…), DEL,
 * C1 controls, the Arabic letter mark, left/right marks, bidi embeddings/overrides/isolates, and the Unicode
 * line and paragraph separators. They rewrite terminal lines, break tables, or reorder what a reviewer reads.
 */
export const NAME_CONTROL_RE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2028\u2029\u2066-\u2069]/g;
/** The same, minus tab, line feed and carriage return (for multi-line text such as descriptions and XML). */
const TEXT_CONTROL_RE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2028\u2029\u2066-\u2069]/;

/** The first control character of `s` as `U+001B`, or undefined (`multiline` allows tab, LF and CR). */
export function controlCharacter(s: string, multiline = false): string | undefined {
    const m = multiline ? TEXT_CONTROL_RE.exec(s) : new RegExp(NAME_CONTROL_RE.source).exec(s);
    return m ? `U+${m[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}` : undefined;
}

/** Longest rendering of a bad value in a message. */
export const MAX_SHOWN = 80;

/**
 * Renders a value for a message: strings raw (JSON-escaped, without quotes), anything else as JSON,
 * truncated to ~80 characters, in backticks. Never throws (cycles, bigints, symbols).
 */
export function show(value: unknown): string {
    let text: string;
    try {
        if (typeof value === "string") {
            text = JSON.stringify(value.length > MAX_SHOWN * 2 ? value.slice(0, MAX_SHOWN * 2) : value).slice(1, -1);
        } else if (value === undefined) {
            text = "undefined";
        } else if (typeof value === "bigint" || typeof value === "symbol" || typeof value === "function") {
            text = String(value);
        } else {
            text = JSON.stringify(value) ?? String(value);
        }
    } catch {
        text = Array.isArray(value) ? "[…]" : "{…}";
    }
    // JSON escapes C0 controls; bidi overrides, C1 and line separators are made visible too.
    text = text.replace(NAME_CONTROL_RE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
    if (text.length > MAX_SHOWN) text = `${text.slice(0, MAX_SHOWN - 1)}…`;
    return `\`${text.replace(/`/g, "'")}\``;
}

/** Describes a value's type for "expected X, got Y" messages. */
export function typeName(value: unknown): string {
    if (value === null) return "null";
    if (Array.isArray(value)) return "a list";
    if (typeof value === "object") return "a mapping";
    return `a ${typeof value}`;
}

/** Appends an object key to a key path (`a.b`, or `a["odd key"]` for keys that are not identifiers). */
export function at(path: string, key: string): string {
    if (/^[A-Za-z_$][\w$-]*$/.test(key) && key.length <= 64) return path === "" ? key : `${path}.${key}`;
    return `${path}[${JSON.stringify(key.length > 64 ? `${key.slice(0, 63)}…` : key)}]`;
}

/** Appends a list index to a key path (`a[3]`). */
export function idx(path: string, i: number): string {
    return `${path}[${i}]`;
}

/** True for a plain mapping (not null, not a list, not a class instance such as Date). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
    if (value === null || typeof value !== "object" || Array.isArray(value)) return false;
    const proto: unknown = Object.getPrototypeOf(value);
    return proto === Object.prototype || proto === null;
}

/** The object's own property `key`, or undefined (never reads the prototype chain). */
export function own(obj: Record<string, unknown>, key: string): unknown {
    return Object.prototype.hasOwnProperty.call(obj, key) ? obj[key] : undefined;
}

/** True when the object has its own property `key` with a value other than undefined/null. */
export function has(obj: Record<string, unknown>, key: string): boolean {
    const v = own(obj, key);
    return v !== undefined && v !== null;
}

/** Defines an own enumerable property (safe for `__proto__` and friends) and returns the object. */
export function setOwn<T>(obj: Record<string, T>, key: string, value: T): Record<string, T> {
    Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
    return obj;
}

/** Narrows to a mapping, or records "expected a mapping" and returns undefined. */
export function expectObject(value: unknown, path: string, issues: Issues): Record<string, unknown> | undefined {
    if (isPlainObject(value)) return value;
    issues.add(path, `expected a mapping (object), got ${typeName(value)} ${show(value)}`);
    return undefined;
}

/** Narrows to a list, or records "expected a list" and returns undefined. */
export function expectArray(value: unknown, path: string, issues: Issues): readonly unknown[] | undefined {
    if (Array.isArray(value)) return value;
    issues.add(path, `expected a list, got ${typeName(value)} ${show(value)}`);
    return undefined;
}

/** Records every own key of `obj` not in `allowed`, with a did-you-mean suggestion. */
export function checkKeys(obj: Record<string, unknown>, allowed: readonly string[], path: string, issues: Issues): void {
    for (const key of Object.keys(obj)) {
        if (allowed.includes(key)) continue;
        const hint = didYouMean(key, allowed);
        issues.add(
            at(path, key),
            `unknown key ${show(key)}` +
                (hint ? `; did you mean \`${hint}\`?` : `; allowed keys: ${allowed.map((k) => `\`${k}\``).join(", ")}`),
        );
    }
}

/** Options of {@link str}. */
export interface StrOptions {
    /** Record an issue when the key is absent. */
    readonly required?: boolean;
    /** Pattern the value must match (tested only when the length is within `max`). */
    readonly pattern?: RegExp;
    /** What the pattern means, for the message, e.g. "a GUID". */
    readonly expected?: string;
    /** Maximum length in characters (default 2048). */
    readonly max?: number;
    /** Allow the empty string (default false). */
    readonly allowEmpty?: boolean;
    /** Allow tab, line feed and carriage return (descriptions, XML); other control characters are always refused. */
    readonly multiline?: boolean;
}

/** Reads an optional (or required) string property with length and pattern checks. */
export function str(obj: Record<string, unknown>, key: string, path: string, issues: Issues, opts: StrOptions = {}): string | undefined {
    const p = at(path, key);
    const v = own(obj, key);
    if (v === undefined || v === null) {
        if (opts.required) issues.add(p, `is required${opts.expected ? `; expected ${opts.expected}` : ""}`);
        return undefined;
    }
    return checkString(v, p, issues, opts);
}

/** Checks one value is a string with the length/pattern of `opts`; returns it or undefined. */
export function checkString(v: unknown, p: string, issues: Issues, opts: StrOptions = {}): string | undefined {
    const expected = opts.expected ?? "a string";
    if (typeof v !== "string") {
        issues.add(p, `expected ${expected}, got ${typeName(v)} ${show(v)}`);
        return undefined;
    }
    const max = opts.max ?? 2048;
    if (v.length === 0 && !opts.allowEmpty) {
        issues.add(p, `must not be empty (expected ${expected})`);
        return undefined;
    }
    if (v.length > max) {
        issues.add(p, `${show(v)} is ${v.length} characters long; the limit is ${max}`);
        return undefined;
    }
    const control = controlCharacter(v, opts.multiline);
    if (control !== undefined) {
        issues.add(
            p,
            `${show(v)} contains the control character ${control}; ` +
                `${opts.multiline ? "text" : "names and single-line values"} may not contain control characters, ANSI escapes or bidi overrides` +
                (opts.multiline ? "" : " (no line breaks)"),
        );
        return undefined;
    }
    if (opts.pattern && !opts.pattern.test(v)) {
        issues.add(p, `${show(v)} is not ${expected}`);
        return undefined;
    }
    return v;
}

/** Reads an optional boolean property; returns `dflt` when absent. */
export function bool(obj: Record<string, unknown>, key: string, path: string, issues: Issues, dflt: boolean): boolean {
    const v = own(obj, key);
    if (v === undefined || v === null) return dflt;
    if (typeof v === "boolean") return v;
    issues.add(at(path, key), `expected a boolean (true or false), got ${typeName(v)} ${show(v)}`);
    return dflt;
}

/**
 * Reads a list of strings, each checked by `check` (which returns the normalized string, or records an
 * issue and returns undefined). Returns the valid entries, de-duplicated and sorted.
 */
export function stringList(
    obj: Record<string, unknown>,
    key: string,
    path: string,
    issues: Issues,
    check: (v: unknown, p: string) => string | undefined,
): string[] {
    const v = own(obj, key);
    if (v === undefined || v === null) return [];
    const p = at(path, key);
    const list = expectArray(v, p, issues);
    if (!list) return [];
    const out = new Set<string>();
    list.forEach((item, i) => {
        const s = check(item, idx(p, i));
        if (s !== undefined) out.add(s);
    });
    return [...out].sort(compareStrings);
}

/** Ordinal string comparison (locale-independent, fast). */
export function compareStrings(a: string, b: string): number {
    return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Reads a string→string mapping with per-key and per-value checks; the result has sorted keys and
 * rejects `__proto__` as a key.
 */
export function stringMap(
    obj: Record<string, unknown>,
    key: string,
    path: string,
    issues: Issues,
    checkKey: (k: string, p: string) => boolean,
    checkValue: (v: unknown, p: string) => string | undefined,
): Record<string, string> | undefined {
    const v = own(obj, key);
    if (v === undefined || v === null) return undefined;
    const p = at(path, key);
    const map = expectObject(v, p, issues);
    if (!map) return undefined;
    const out: Record<string, string> = {};
    for (const k of Object.keys(map).sort(compareStrings)) {
        const kp = at(p, k);
        if (k === "__proto__") {
            issues.add(kp, "`__proto__` is not allowed as a key");
            continue;
        }
        if (!checkKey(k, kp)) continue;
        const val = checkValue(map[k], kp);
        if (val !== undefined) setOwn(out, k, val);
    }
    return out;
}

/**
 * Edit distance counting insertions, deletions, substitutions and adjacent transpositions (optimal
 * string alignment); inputs are capped at 128 characters.
 */
export function editDistance(a: string, b: string): number {
    a = a.slice(0, 128);
    b = b.slice(0, 128);
    if (a === b) return 0;
    let before: number[] = [];
    let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
        const cur = [i];
        for (let j = 1; j <= b.length; j++) {
            cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
            if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) cur[j] = Math.min(cur[j], before[j - 2] + 1);
        }
        before = prev;
        prev = cur;
    }
    return prev[b.length];
}

/**
 * The candidate nearest to `word` by (case-insensitive) edit distance, when close enough to be a likely
 * typo: distance ≤ max(1, ⌊length/3⌋) of the longer string. Ties go to the alphabetically first.
 */
export function didYouMean(word: string, candidates: Iterable<string>): string | undefined {
    const w = word.toLowerCase();
    let best: string | undefined;
    let bestD = Infinity;
    for (const c of candidates) {
        if (Math.abs(c.length - w.length) > 16) continue;
        const d = editDistance(w, c.toLowerCase());
        const limit = Math.max(1, Math.floor(Math.max(c.length, w.length) / 3));
        if (d <= limit && (d < bestD || (d === bestD && best !== undefined && c < best))) {
            best = c;
            bestD = d;
        }
    }
    return best;
}

/** Formats a did-you-mean tail (`; did you mean \`x\`?`) or the empty string. */
export function hint(word: string, candidates: Iterable<string>): string {
    const h = didYouMean(word, candidates);
    return h === undefined ? "" : `; did you mean \`${h}\`?`;
}

/** GUID, e.g. an Entra tenant or object id. */
export const GUID_RE = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
/** AWS account id: exactly 12 digits. */
export const ACCOUNT_ID_RE = /^\d{12}$/;
/** Organizational unit id. */
export const OU_ID_RE = /^ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}$/;
/** Organization root id. */
export const ROOT_ID_RE = /^r-[0-9a-z]{4,32}$/;
/** Identity Center instance ARN. */
export const INSTANCE_ARN_RE = /^arn:aws:sso:::instance\/ssoins-[a-f0-9]{16}$/;
/** Identity store id. */
export const IDENTITY_STORE_ID_RE = /^d-[0-9a-f]{10}$/;
/** Stable config key of a group or permission set. */
export const KEY_RE = /^[a-z][a-z0-9-]{0,39}$/;
/** A plausible e-mail address (one `@`, a dotted domain, no spaces). */
export const EMAIL_RE = /^[^\s@]{1,64}@[^\s@.]+(?:\.[^\s@.]+)+$/;

/** True for a GUID. */
export function isGuid(s: string): boolean {
    return GUID_RE.test(s);
}

/** True for an absolute `https://` URL with a host. */
export function isHttpsUrl(s: string): boolean {
    if (s.length > 2048 || /\s/.test(s)) return false;
    try {
        const u = new URL(s);
        return u.protocol === "https:" && u.hostname.length > 0;
    } catch {
        return false;
    }
}

/**
 * Parses an ISO-8601 duration of days, hours, minutes and seconds (`P1D`, `PT1H`, `PT90M`, `PT2H30M`,
 * `PT5S`) into seconds; undefined when the text is not such a duration or is zero.
 */
export function parseIsoDuration(s: string): number | undefined {
    const total = isoDurationSeconds(s);
    return total !== undefined && total > 0 ? total : undefined;
}

/** Seconds of an ISO-8601 duration as {@link parseIsoDuration} reads them, 0 for a zero one (`PT0H`). */
export function isoDurationSeconds(s: string): number | undefined {
    if (s.length > 40) return undefined;
    const m = /^P(?:(\d{1,6})D)?(?:T(?:(\d{1,6})H)?(?:(\d{1,6})M)?(?:(\d{1,6}(?:\.\d{1,3})?)S)?)?$/.exec(s);
    if (!m || s === "P" || s.endsWith("T")) return undefined;
    const [d, h, min, sec] = [m[1], m[2], m[3], m[4]].map((x) => (x === undefined ? 0 : Number(x)));
    return d * 86400 + h * 3600 + min * 60 + sec;
}

/** Renders seconds exactly, e.g. `12 h 0 min 1 s`, `90 min`, `1 h`. */
export function formatSeconds(total: number): string {
    const h = Math.floor(total / 3600);
    const m = Math.floor((total % 3600) / 60);
    const s = +(total % 60).toFixed(3);
    const parts = [h ? `${h} h` : "", h && (m || s) ? `${m} min` : m ? `${m} min` : "", s ? `${s} s` : ""].filter(Boolean);
    return parts.length ? parts.join(" ") : "0 s";
}

/** Bounds of {@link checkDuration}. */
export interface DurationBounds {
    /** Shortest allowed, seconds (at least 1: zero is never a duration idfed accepts). */
    readonly min: number;
    /** Longest allowed, seconds. */
    readonly max: number;
    /** The range as users write it, e.g. `PT1H–PT12H`. */
    readonly range: string;
    /** Who imposes the bound, e.g. `Identity Center`. */
    readonly by: string;
}

/**
 * Checks an ISO-8601 duration against bounds; returns its seconds, or records one message that says exactly
 * what is wrong (not a duration, zero, or how long it is and the range) and returns undefined.
 */
export function checkDuration(v: string, p: string, issues: Issues, b: DurationBounds): number | undefined {
    const secs = isoDurationSeconds(v);
    if (secs === undefined) {
        issues.add(p, `${show(v)} is not an ISO-8601 duration (e.g. PT10M, PT1H, PT2H30M); ${b.by} allows ${b.range}`);
        return undefined;
    }
    if (secs === 0) {
        issues.add(p, `${show(v)} is a zero duration; ${b.by} allows ${b.range}`);
        return undefined;
    }
    if (secs < b.min || secs > b.max) {
        issues.add(p, `${show(v)} is ${formatSeconds(secs)}, ${secs < b.min ? "shorter" : "longer"} than ${b.by} allows (${b.range})`);
        return undefined;
    }
    return secs;
}

/**
 * Parses an ISO-8601 date (`2026-03-01`, meaning 00:00 UTC) or date-time with `Z` or an offset
 * (`2026-03-01T12:00:00Z`, `2026-03-01T12:00+01:00`) that names a real calendar date and time.
 * Returns the instant, or undefined.
 */
export function parseIsoInstant(s: string): Date | undefined {
    if (s.length > 40) return undefined;
    const m = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2}))?$/.exec(s);
    if (!m) return undefined;
    const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
    const probe = new Date(Date.UTC(y, mo - 1, d));
    if (probe.getUTCFullYear() !== y || probe.getUTCMonth() !== mo - 1 || probe.getUTCDate() !== d) return undefined;
    if (m[4] !== undefined) {
        const [h, mi, se] = [Number(m[4]), Number(m[5]), Number(m[6] ?? 0)];
        if (h > 23 || mi > 59 || se > 59) return undefined;
        const off = m[7];
        if (off !== "Z" && (Number(off.slice(1, 3)) > 23 || Number(off.slice(-2)) > 59)) return undefined;
    }
    const t = Date.parse(m[4] === undefined ? `${m[1]}-${m[2]}-${m[3]}T00:00:00Z` : s.replace(/([+-]\d{2})(\d{2})$/, "$1:$2"));
    return Number.isNaN(t) ? undefined : new Date(t);
}

/**
 * Checks an AWS account id: a string of exactly 12 digits, or a YAML number that is exactly 12 digits once
 * stringified. A number of fewer digits most likely lost a leading zero: the message says to quote it.
 */
export function checkAccountId(v: unknown, p: string, issues: Issues): string | undefined {
    if (typeof v === "number") {
        const s = Number.isSafeInteger(v) && v >= 0 ? String(v) : "";
        if (ACCOUNT_ID_RE.test(s)) return s;
        issues.add(
            p,
            `${show(v)} is a number, not a 12-digit account id; YAML drops leading zeros from ` +
                `unquoted numbers, so quote account ids (e.g. "012345678901")`,
        );
        return undefined;
    }
    if (typeof v !== "string") {
        issues.add(p, `expected a 12-digit account id (quoted string), got ${typeName(v)} ${show(v)}`);
        return undefined;
    }
    if (!ACCOUNT_ID_RE.test(v)) {
        issues.add(p, `${show(v)} is not an account id (expected exactly 12 digits, e.g. "123456789012")`);
        return undefined;
    }
    return v;
}

/** Checks an OU id (`ou-xxxx-xxxxxxxx`) or, when `allowRoot`, a root id (`r-xxxx`). */
export function checkOuId(v: unknown, p: string, issues: Issues, allowRoot = true): string | undefined {
    const expected = allowRoot ? "an OU id (ou-xxxx-xxxxxxxx) or the root id (r-xxxx)" : "an OU id (ou-xxxx-xxxxxxxx)";
    if (typeof v !== "string") {
        issues.add(p, `expected ${expected}, got ${typeName(v)} ${show(v)}`);
        return undefined;
    }
    if (OU_ID_RE.test(v) || (allowRoot && ROOT_ID_RE.test(v))) return v;
    issues.add(p, `${show(v)} is not ${expected}`);
    return undefined;
}
