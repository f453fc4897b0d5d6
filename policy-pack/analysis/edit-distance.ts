/** Bounded Levenshtein distance for did-you-mean suggestions (actions, AWS-managed policy names). */

/** Edit distance between `a` and `b`, or `cap + 1` as soon as it is known to exceed `cap`. */
export function distance(a: string, b: string, cap: number): number {
    if (Math.abs(a.length - b.length) > cap) return cap + 1;
    let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
        const cur = [i];
        let best = i;
        for (let j = 1; j <= b.length; j++) {
            const v = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
            cur.push(v);
            if (v < best) best = v;
        }
        if (best > cap) return cap + 1;
        prev = cur;
    }
    return prev[b.length];
}
