/**
 * Duplicate keys in a JSON policy document. `JSON.parse` keeps the last of two equal keys, another parser the
 * first, so `{"Effect":"Allow","Effect":"Deny"}` would be judged on one value and applied with the other.
 * AWS's own validator refuses such documents (IAM policy validation check reference: "Error – Json syntax error",
 * "Error – Duplicate keys with different case"), and so do the checker and the stack model. Keys compare
 * case-insensitively, as that check does. Pure, iterative (no recursion on hostile nesting), linear in the text.
 */

/** One repeated key: where (`Statement[0]`, empty for the top level) and which. */
export interface DuplicateKey {
    /** Path of the object holding the key twice, e.g. `Statement[1].Condition`. */
    readonly path: string;
    /** The repeated key. */
    readonly key: string;
}

type Frame =
    { kind: "object"; keys: Set<string>; expectKey: boolean; key?: string; path: string } | { kind: "array"; index: number; path: string };

const childPath = (f: Frame | undefined): string => {
    if (f === undefined) return "";
    if (f.kind === "array") return `${f.path}[${f.index}]`;
    const k = f.key ?? "";
    return /^[A-Za-z_$][\w$]*$/.test(k) ? (f.path ? `${f.path}.${k}` : k) : `${f.path}[${JSON.stringify(k)}]`;
};

/**
 * Every key that appears twice in the same object of the JSON `text`, in text order (at most `limit`).
 * Meant for text that `JSON.parse` accepts; on anything else the result is best effort, never a throw.
 */
export function findDuplicateKeys(text: string, limit = 20): DuplicateKey[] {
    const out: DuplicateKey[] = [];
    const stack: Frame[] = [];
    for (let i = 0; i < text.length && out.length < limit; i++) {
        const c = text[i];
        const top = stack[stack.length - 1];
        if (c === "{") {
            stack.push({ kind: "object", keys: new Set(), expectKey: true, path: childPath(top) });
        } else if (c === "[") {
            stack.push({ kind: "array", index: 0, path: childPath(top) });
        } else if (c === "}" || c === "]") {
            stack.pop();
        } else if (c === ",") {
            if (top?.kind === "object") top.expectKey = true;
            else if (top?.kind === "array") top.index++;
        } else if (c === '"') {
            let j = i + 1;
            while (j < text.length && text[j] !== '"') j += text[j] === "\\" ? 2 : 1;
            if (top?.kind === "object" && top.expectKey) {
                let key: string;
                try {
                    key = JSON.parse(text.slice(i, j + 1)) as string;
                } catch {
                    key = text.slice(i + 1, j);
                }
                // Case-insensitive, as AWS's check "Duplicate keys with different case" (IAM policy validation check reference).
                if (top.keys.has(key.toLowerCase())) out.push({ path: top.path, key });
                top.keys.add(key.toLowerCase());
                top.key = key;
                top.expectKey = false;
            }
            i = j;
        }
    }
    return out;
}

/** A message for the first duplicates, or undefined when there are none. */
export function duplicateKeyProblem(text: string): string | undefined {
    const dups = findDuplicateKeys(text, 5);
    if (dups.length === 0) return undefined;
    const list = dups.map((d) => `\`${d.key}\`${d.path ? ` in \`${d.path}\`` : " at the top level"}`).join(", ");
    return `duplicate key ${list}: JSON parsers disagree on which value wins and AWS refuses the document; keep one`;
}
