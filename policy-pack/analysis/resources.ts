/** How broad a statement's Resource is, in IAM terms. */

/** `all`: every resource (`*`, `arn:aws:s3:::*`); `type`: every resource of a kind (`role/*`); else `scoped`. */
export type Breadth = "all" | "type" | "scoped";

const ORDER: Record<Breadth, number> = { scoped: 0, type: 1, all: 2 };

/** The breadth of one Resource entry. */
export function resourceBreadth(resource: string): Breadth {
    const r = resource.trim();
    if (r === "" || /^\*+$/.test(r)) return "all";
    if (!/^arn:/i.test(r)) return /^[*?]/.test(r) ? "all" : "scoped";
    const parts = r.split(":");
    if (parts.length < 6) return parts.some((p) => /^\*+$/.test(p)) ? "all" : "scoped";
    const res = parts.slice(5).join(":");
    if (res === "" || /^[*?]/.test(res)) return "all";
    // S3 ARNs carry no resource-type prefix: `bucket/*` is every object of one bucket.
    if (parts[2] === "s3") return "scoped";
    // `role/*`, `function:*`, and nested wildcards such as `dbuser:*/*` or `task/*/*`: every resource of a kind.
    if (/^[a-z0-9_-]+(?:[/:][*?]+)+$/i.test(res)) return "type";
    return "scoped";
}

/** The broadest breadth of a statement's Resource list; NotResource (or no Resource) counts as `all`. */
export function statementBreadth(resources: readonly string[] | undefined, notResources: readonly string[] | undefined): Breadth {
    if (notResources !== undefined || resources === undefined) return "all";
    let b: Breadth = "scoped";
    for (const r of resources) {
        const x = resourceBreadth(r);
        if (ORDER[x] > ORDER[b]) b = x;
        if (b === "all") break;
    }
    return b;
}

/** True when any Resource entry has a wildcard at all (used for PassRole). */
export function hasWildcardResource(resources: readonly string[] | undefined, notResources: readonly string[] | undefined): boolean {
    if (notResources !== undefined || resources === undefined) return true;
    return resources.some((r) => /[*?]/.test(r));
}
