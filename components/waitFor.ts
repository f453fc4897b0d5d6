/**
 * Bounded polling with exponential backoff, used to wait for SCIM to create a group in the identity store.
 * Pure over its callbacks: tests inject `sleep` and `now` so no real time passes.
 */

/** Options of {@link pollUntilFound}. */
export interface PollOptions {
    /** Give up after this many milliseconds (measured with `now`). */
    timeoutMs: number;
    /** First delay between attempts, ms; doubles after each miss. */
    initialDelayMs: number;
    /** Upper bound of one delay, ms (default 60,000). */
    maxDelayMs?: number;
    /** Sleep implementation (default: setTimeout). */
    sleep?: (ms: number) => Promise<void>;
    /** Clock (default: Date.now). */
    now?: () => number;
    /** Called after each miss with the attempt count and the elapsed and next-delay milliseconds (progress logs). */
    onMiss?: (attempts: number, elapsedMs: number, nextDelayMs: number) => void;
}

/** Outcome of {@link pollUntilFound}: the value, or how many attempts were made and the last miss. */
export type PollResult<T> =
    | { readonly found: true; readonly value: T; readonly attempts: number }
    | { readonly found: false; readonly attempts: number; readonly lastMiss: string };

/**
 * Calls `attempt` until it returns a value (not `undefined`) or the timeout passes. `attempt` returns
 * `undefined` for "not there yet" and throws for errors that retrying cannot fix (which propagate).
 */
export async function pollUntilFound<T>(
    attempt: () => Promise<T | undefined>,
    opts: PollOptions,
    describeMiss: () => string = () => "not found",
): Promise<PollResult<T>> {
    const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
    const now = opts.now ?? Date.now;
    const maxDelay = opts.maxDelayMs ?? 60_000;
    const start = now();
    let delay = Math.max(1, opts.initialDelayMs);
    let attempts = 0;
    for (;;) {
        attempts++;
        const value = await attempt();
        if (value !== undefined) {
            return { found: true, value, attempts };
        }
        const elapsed = now() - start;
        if (elapsed >= opts.timeoutMs) {
            return { found: false, attempts, lastMiss: describeMiss() };
        }
        const next = Math.min(delay, maxDelay, Math.max(1, opts.timeoutMs - elapsed));
        opts.onMiss?.(attempts, elapsed, next);
        await sleep(next);
        delay *= 2;
    }
}
