#!/usr/bin/env node
/**
 * `npm test`: type-checks the program and the policy pack (strict), then runs every mocha test, and ends with
 * one line `N passed, N failed` (each type-check counts as one check). Extra arguments are passed to mocha
 * as file globs (e.g. `npm test -- test/plan.test.ts`).
 */
"use strict";
const { spawn } = require("child_process");
const fs = require("fs");
const os = require("os");
const path = require("path");

const root = path.resolve(__dirname, "..");
const bin = (name) => path.join(root, "node_modules", ".bin", name);

function run(cmd, args, env) {
    return new Promise((resolve) => {
        const p = spawn(cmd, args, { cwd: root, stdio: "inherit", env: { ...process.env, ...env } });
        p.on("close", (code) => resolve(code ?? 1));
        p.on("error", () => resolve(1));
    });
}

async function main() {
    let passed = 0;
    let failed = 0;
    const checks = [
        ["type-check program (tsc --noEmit, strict)", [bin("tsc"), ["--noEmit", "-p", "tsconfig.json"]]],
        ["type-check policy pack (tsc --noEmit, strict)", [bin("tsc"), ["--noEmit", "-p", "policy-pack/tsconfig.json"]]],
    ];
    if (process.env.IDFED_SKIP_TYPECHECK === "1") checks.length = 0;
    const results = await Promise.all(checks.map(([, [cmd, args]]) => run(cmd, args)));
    checks.forEach(([label], i) => {
        const ok = results[i] === 0;
        console.log(`${ok ? "✔" : "✘"} ${label}`);
        if (ok) passed++;
        else failed++;
    });
    const statsFile = path.join(os.tmpdir(), `idfed-mocha-${process.pid}.json`);
    const globs = process.argv.slice(2);
    const code = await run(bin("mocha"), [
        "-r", "ts-node/register", "--reporter", path.join(__dirname, "mocha-summary-reporter.js"),
        "--timeout", "120000", ...(globs.length > 0 ? globs : ["test/**/*.test.ts"]),
    ], { TS_NODE_TRANSPILE_ONLY: "1", IDFED_MOCHA_STATS: statsFile });
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
