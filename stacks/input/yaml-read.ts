/**
 * The one YAML reader of every input file (stack configs, org fixtures): bounded in size, nesting and alias
 * expansion, so a small hostile file ends in a {@link ConfigError} naming the file and line, never in an
 * out-of-memory crash or a stack overflow.
 *
 * Two paths give the same values. Plain files (no anchors, aliases or tags; no duplicate keys; valid syntax)
 * are read with js-yaml's YAML 1.2 core schema (~10–40 ms for a 120 KB file). Anything else, or a result
 * that shares a node (an alias js-yaml resolved by reference, in block or flow syntax), is read with the
 * `yaml` package's document model, which knows lines: its alias graph is measured before any value is
 * built (self-references and expansions past the budget are refused), then converted.
 */
import * as fs from "fs";
import { CORE_SCHEMA, load } from "js-yaml";
import { Document, isAlias, isCollection, isPair, LineCounter, Node, parseDocument } from "yaml";
import { ConfigError } from "../model";

/** Largest input file read, in characters (a stack config at 20,000 assignments is ~2 MB). */
export const MAX_YAML_CHARS = 16 * 1024 * 1024;
/** Deepest nesting of mappings and lists (idfed's inputs are under 15 levels deep). */
export const MAX_YAML_DEPTH = 64;
/** Nodes that alias expansion may add beyond the file's own nodes (whichever is larger). */
export const MAX_ALIAS_NODES = 10_000;

/** A token that may start an anchor, alias or tag (`&a`, `*a`, `!t`) after whitespace or a flow indicator. */
const SPECIAL = /(^|[\s[{,])[&*!][^\s,[\]{}]/m;

/** Why a hostile, deeply nested file is refused (the parsers recurse once per level). */
const TOO_DEEP = `nested more than ${MAX_YAML_DEPTH} levels deep; idfed's inputs are a few levels deep, so flatten the value`;

/** Options of {@link readYaml}. */
export interface ReadYamlOptions {
    /** What the file is, for the error heading (e.g. `stack config Pulumi.dev.yaml`). */
    readonly source: string;
    /**
     * Checks of the document model, run only when the file has anchors or aliases (e.g. the org fixture
     * refuses an alias used as an OU). Returns problems as `[line, message]`.
     */
    readonly inspectAliases?: (doc: Document, lineOf: (n: Node) => number | undefined) => [number | undefined, string][];
}

/** Depth of a plain JS value (a tree) up to `limit + 1`, or -1 when a node is shared (an alias was resolved). */
function treeDepth(value: unknown, limit: number): number {
    const seen = new Set<object>();
    let max = 0;
    const walk = (v: unknown, depth: number): boolean => {
        if (v === null || typeof v !== "object") return true;
        if (seen.has(v)) return false;
        seen.add(v);
        if (depth > max) max = depth;
        if (depth > limit) return true;
        const items = Array.isArray(v) ? v : Object.values(v as Record<string, unknown>);
        for (const item of items) if (!walk(item, depth + 1)) return false;
        return true;
    };
    return walk(value, 1) ? max : -1;
}

/**
 * The line where flow brackets (`[`, `{`) first nest deeper than `limit`, or undefined. A linear scan that
 * skips quoted strings and comments, run before any parser: the parsers take seconds on a few hundred KB of
 * nested brackets. Brackets inside plain scalars count too, which can only overestimate (never by 128 levels
 * in an idfed input).
 */
function flowNestingLine(text: string, limit: number): number | undefined {
    let depth = 0;
    let line = 1;
    for (let i = 0; i < text.length; i++) {
        const c = text[i];
        if (c === "\n") line++;
        else if (c === "[" || c === "{") {
            if (++depth > limit) return line;
        } else if (c === "]" || c === "}") {
            if (depth > 0) depth--;
        } else if (c === "#" && (i === 0 || /\s/.test(text[i - 1]))) {
            while (i + 1 < text.length && text[i + 1] !== "\n") i++;
        } else if (c === '"') {
            for (i++; i < text.length && text[i] !== '"'; i++) {
                if (text[i] === "\\") i++;
                else if (text[i] === "\n") line++;
            }
        } else if (c === "'" && (i === 0 || /[\s[{,:]/.test(text[i - 1]))) {
            for (i++; i < text.length && !(text[i] === "'" && text[i + 1] !== "'"); i++) {
                if (text[i] === "'") i++;
                else if (text[i] === "\n") line++;
            }
        }
    }
    return undefined;
}

/** The fast path's value, or undefined when the text needs the document model (see module comment). */
function loadPlain(text: string): unknown {
    if (SPECIAL.test(text)) return undefined;
    let value: unknown;
    try {
        value = load(text, { schema: CORE_SCHEMA, json: false });
    } catch {
        return undefined;
    }
    const depth = treeDepth(value, MAX_YAML_DEPTH);
    return depth < 0 || depth > MAX_YAML_DEPTH ? undefined : value;
}

/**
 * Measures the expanded size and depth of the document, following aliases, each node once (memoized), so
 * the cost is linear in the file. Returns the first problem as `[node, message]`, or undefined.
 */
function measure(
    doc: Document,
    literalNodes: number,
    targets: ReadonlyMap<Node, Node | undefined>,
): [Node | undefined, string] | undefined {
    const memo = new Map<Node, { size: number; depth: number }>();
    const open = new Set<Node>();
    let problem: [Node | undefined, string] | undefined;
    const visit = (n: unknown, level: number): { size: number; depth: number } => {
        if (problem) return { size: 0, depth: 0 };
        if (level > MAX_YAML_DEPTH) {
            problem = [n as Node, TOO_DEEP];
            return { size: 0, depth: 0 };
        }
        if (isAlias(n)) {
            const target = targets.get(n);
            if (target === undefined) {
                problem = [n, `the alias \`*${n.source}\` has no anchor before it`];
                return { size: 0, depth: 0 };
            }
            if (open.has(target)) {
                problem = [n, `the alias \`*${n.source}\` refers to a value that contains it (a cycle); write the value out`];
                return { size: 0, depth: 0 };
            }
            const r = visit(target, level);
            return r;
        }
        if (isPair(n)) {
            const k = visit(n.key, level);
            const v = visit(n.value, level);
            return { size: k.size + v.size, depth: Math.max(k.depth, v.depth) };
        }
        if (!isCollection(n)) return { size: 1, depth: 0 };
        const known = memo.get(n);
        if (known) {
            if (level + known.depth > MAX_YAML_DEPTH) problem = [n, TOO_DEEP];
            return known;
        }
        open.add(n);
        let size = 1;
        let depth = 0;
        for (const item of n.items) {
            const r = visit(item, level + 1);
            size += r.size;
            depth = Math.max(depth, r.depth);
            if (size > literalNodes + Math.max(MAX_ALIAS_NODES, literalNodes) && !problem) {
                problem = [
                    n,
                    `aliases expand this value past ${Math.max(MAX_ALIAS_NODES, literalNodes)} extra nodes ` +
                        "(a resource exhaustion attack, or far more reuse than a config needs); write the values out",
                ];
            }
            if (problem) break;
        }
        open.delete(n);
        const r = { size, depth: depth + 1 };
        memo.set(n, r);
        return r;
    };
    visit(doc.contents, 0);
    return problem;
}

/** The document model path: line-numbered errors, bounded aliases, then the value. */
function loadFull(text: string, file: string, opts: ReadYamlOptions): unknown {
    const lines = new LineCounter();
    const fail = (line: number | undefined, message: string, col?: number): never => {
        const where = line === undefined ? file : `${file}:${line}`;
        throw new ConfigError([{ path: where, message: `\`${where}${col === undefined ? "" : `:${col}`}\`: ${message}` }], opts.source);
    };
    let doc: Document;
    try {
        doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: false });
    } catch (e) {
        // The parser recurses per nesting level: hostile nesting ends here, not in a stack trace.
        return fail(undefined, `cannot read the YAML (${e instanceof RangeError ? TOO_DEEP : e instanceof Error ? e.message : String(e)})`);
    }
    if (doc.errors.length > 0) {
        const e = doc.errors[0];
        const pos = e.linePos?.[0] ?? lines.linePos(e.pos[0]);
        const why = /call stack/i.test(e.message) ? TOO_DEEP : e.message.split("\n")[0];
        const more = doc.errors.length > 1 ? ` (and ${doc.errors.length - 1} more YAML error${doc.errors.length > 2 ? "s" : ""})` : "";
        fail(pos.line, `invalid YAML: ${why}${more}`, pos.col);
    }
    const lineOf = (n: Node): number | undefined => (n?.range ? lines.linePos(n.range[0]).line : undefined);
    // One pass in document order: nodes counted, each alias resolved to the latest anchor before it (as YAML
    // defines; the library's own `resolve` walks the whole document per alias, quadratic on hostile input).
    let literal = 0;
    const anchors = new Map<string, Node>();
    const targets = new Map<Node, Node | undefined>();
    try {
        const count = (n: unknown, level: number): void => {
            if (level > MAX_YAML_DEPTH) throw new RangeError(TOO_DEEP);
            literal++;
            if (isAlias(n)) {
                targets.set(n, anchors.get(n.source));
                return;
            }
            if (isPair(n)) {
                count(n.key, level);
                count(n.value, level);
                return;
            }
            const anchor = (n as { anchor?: string } | null)?.anchor;
            if (anchor) anchors.set(anchor, n as Node);
            if (isCollection(n)) for (const i of n.items) count(i, level + 1);
        };
        count(doc.contents, 0);
    } catch {
        return fail(undefined, TOO_DEEP);
    }
    const hasAlias = targets.size > 0;
    if (hasAlias) {
        const more = opts.inspectAliases?.(doc, lineOf) ?? [];
        if (more.length > 0) {
            throw new ConfigError(
                more.map(([line, message]) => {
                    const where = line === undefined ? file : `${file}:${line}`;
                    return { path: where, message: `\`${where}\`: ${message}` };
                }),
                opts.source,
            );
        }
        const problem = measure(doc, literal, targets);
        if (problem) fail(problem[0] ? lineOf(problem[0]) : undefined, problem[1]);
    }
    try {
        // Bounded above: expansion measured, cycles refused. The library's own per-anchor count is off.
        return doc.toJS({ maxAliasCount: -1 });
    } catch (e) {
        return fail(undefined, `cannot read the YAML (${e instanceof RangeError ? TOO_DEEP : e instanceof Error ? e.message : String(e)})`);
    }
}

/**
 * Reads YAML text from `file` (named in messages) into plain values, within the bounds above. Throws one
 * {@link ConfigError} (heading `invalid <source>`) naming the file and line on bad syntax, duplicate keys,
 * an alias cycle, an expansion or nesting past the bounds, or a file past {@link MAX_YAML_CHARS}.
 */
export function readYaml(text: string, file: string, opts: ReadYamlOptions): unknown {
    if (text.length > MAX_YAML_CHARS) {
        throw new ConfigError(
            [
                {
                    path: file,
                    message:
                        `\`${file}\`: is ${text.length} characters long; the limit is ` +
                        `${MAX_YAML_CHARS} (an idfed input file is far smaller: check it is the right file)`,
                },
            ],
            opts.source,
        );
    }
    const deep = flowNestingLine(text, 2 * MAX_YAML_DEPTH);
    if (deep !== undefined) {
        const where = `${file}:${deep}`;
        throw new ConfigError([{ path: where, message: `\`${where}\`: ${TOO_DEEP}` }], opts.source);
    }
    const plain = loadPlain(text);
    return plain !== undefined ? plain : loadFull(text, file, opts);
}

/**
 * Reads an input file's text, refusing one past {@link MAX_YAML_CHARS} bytes before reading it (a huge file
 * must not exhaust memory before the parser's own bound applies). Throws a {@link ConfigError} naming the file.
 */
export function readInputFile(file: string, source: string): string {
    const fail = (message: string): never => {
        throw new ConfigError([{ path: file, message: `\`${file}\`: ${message}` }], source);
    };
    try {
        const size = fs.statSync(file).size;
        if (size > MAX_YAML_CHARS)
            fail(`is ${size} bytes; the limit is ${MAX_YAML_CHARS} (an idfed input file is far smaller: check it is the right file)`);
        return fs.readFileSync(file, "utf8");
    } catch (e) {
        if (e instanceof ConfigError) throw e;
        return fail(`cannot read the file (${(e as { code?: string })?.code ?? String(e)})`);
    }
}

/** The fast path alone (for tests): the value, or undefined when the document model is needed. */
export function loadPlainYaml(text: string): unknown | undefined {
    return loadPlain(text);
}
