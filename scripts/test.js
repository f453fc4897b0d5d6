#!/usr/bin/env node
/**
 * `npm test`: type-checks the program and the policy pack (strict), lints (ESLint with typescript-eslint and
 * the import-cycle and layer rules; Prettier's check), then runs every mocha test, and ends with one line
 * `N passed, N failed` (each static check counts as one check). Extra arguments are passed to mocha
 * as file globs (e.g. `npm test -- test/plan.test.ts`); `IDFED_SKIP_STATIC=1` runs the tests alone, `IDFED_TEST_JOBS=N` sets
 * the number of parallel test workers (default: one per core).
 */
"use strict";
const { spawn } = require("child_process");
const fs = require("fs");
const os = require("os");
const path = require("path");

const root = path.resolve(__dirname, "..");
const bin = (name) => path.join(root, "node_modules", ".bin", name);

function run(cmd, args, env, capture = false) {
    return new Promise((resolve) => {
        let out = "";
        const p = spawn(cmd, args, { cwd: root, stdio: capture ? ["ignore", "pipe", "pipe"] : "inherit", env: { ...process.env, ...env } });
        if (capture) {
            p.stdout.on("data", (d) => {
                out += d;
            });
            p.stderr.on("data", (d) => {
                out += d;
            });
        }
        p.on("close", (code) => resolve({ code: code ?? 1, out }));
        p.on("error", (e) => resolve({ code: 1, out: String(e) }));
    });
}

/** Every test file, the slow conformance test first so that it overlaps all the others. */
function testFiles() {
    const out = [];
    const walk = (dir) => {
        for (const e of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
            const rel = path.join(dir, e.name);
            if (e.isDirectory()) walk(rel);
            else if (e.name.endsWith(".test.ts")) out.push(rel);
        }
    };
    walk("test");
    return out.sort((a, b) => Number(b.includes("conformance")) - Number(a.includes("conformance")) || a.localeCompare(b));
}

async function main() {
    let passed = 0;
    let failed = 0;
    const checks = [
        ["type-check program (tsc --noEmit, strict)", [bin("tsc"), ["--noEmit", "-p", "tsconfig.json"]]],
        ["type-check policy pack (tsc --noEmit, strict)", [bin("tsc"), ["--noEmit", "-p", "policy-pack/tsconfig.json"]]],
        [
            "lint (eslint: typescript-eslint, import cycles, layers, no orphan disables)",
            [bin("eslint"), ["--max-warnings", "0", "--cache", "--cache-location", "node_modules/.cache/eslint/", "."]],
        ],
        ["format (prettier --check)", [bin("prettier"), ["--check", "--log-level", "warn", "**/*.{ts,js}"]]],
    ];
    if (process.env.IDFED_SKIP_STATIC === "1") checks.length = 0;
    // The static checks run beside the tests (their output is printed after the tests'), so both cores stay busy.
    const pending = Promise.all(checks.map(([, [cmd, args]]) => run(cmd, args, {}, true)));
    const statsFile = path.join(os.tmpdir(), `idfed-mocha-${process.pid}.json`);
    const globs = process.argv.slice(2);
    const { code } = await run(
        bin("mocha"),
        [
            "-r",
            "ts-node/register",
            "--reporter",
            path.join(__dirname, "mocha-summary-reporter.js"),
            // Test files run in parallel worker processes, one per core (each file's mocks stay in its worker).
            "--parallel",
            "--jobs",
            String(Math.max(1, Number(process.env.IDFED_TEST_JOBS) || os.availableParallelism?.() || os.cpus().length)),
            "--timeout",
            "120000",
            ...(globs.length > 0 ? globs : testFiles()),
        ],
        { TS_NODE_TRANSPILE_ONLY: "1", IDFED_MOCHA_STATS: statsFile },
    );
    const results = await pending;
    checks.forEach(([label], i) => {
        const ok = results[i].code === 0;
        if (!ok) process.stdout.write(results[i].out);
        console.log(`${ok ? "✔" : "✘"} ${label}`);
        if (ok) passed++;
        else failed++;
    });
    try {
        const stats = JSON.parse(fs.readFileSync(statsFile, "utf8"));
        passed += stats.passes;
        failed += stats.failures;
        fs.rmSync(statsFile, { force: true });
    } catch {
        failed += 1; // mocha did not finish (crash before the end event)
    }
    if (code !== 0 && failed === 0) failed = 1;
    console.log(`${passed} passed, ${failed} failed`);
    process.exitCode = failed === 0 ? 0 : 1;
}

main();
