/**
 * How idfed starts Debian's Chromium for the HTML report (browser test, bench): the system binary, never a
 * browser download, with the flags this closed network needs (no background networking, no updates).
 */

/** Debian's Chromium (`apt-get install -y chromium`). */
export const CHROMIUM_PATH = "/usr/bin/chromium";

/** Chromium flags: headless, sandbox off (CI runs as root), no network beyond localhost pages. */
export const CHROMIUM_ARGS: readonly string[] = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
];
