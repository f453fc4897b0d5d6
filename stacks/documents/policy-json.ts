/**
 * Deterministic JSON for IAM documents: object keys sorted at every level, array order kept (statement
 * order is meaningful to readers). Reordering keys in config never shows as a diff.
 */

/** Returns `value` with object keys sorted recursively (arrays keep their order). */
export function sortKeysDeep(value: unknown): unknown {
    if (Array.isArray(value)) {
        return value.map(sortKeysDeep);
    }
    if (value !== null && typeof value === "object") {
        const out: Record<string, unknown> = {};
        for (const key of Object.keys(value).sort()) {
            // defineProperty, not assignment: a `__proto__` key from JSON.parse stays a plain key.
            Object.defineProperty(out, key, {
                value: sortKeysDeep((value as Record<string, unknown>)[key]),
                enumerable: true,
                writable: true,
                configurable: true,
            });
        }
        return out;
    }
    return value;
}

/** Serializes an IAM policy document with sorted keys and no whitespace. */
export function stablePolicyJson(doc: unknown): string {
    return JSON.stringify(sortKeysDeep(doc));
}
