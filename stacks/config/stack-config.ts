/**
 * Loads and validates the `idfed:*` stack config into the {@link StackModel}. Pure: no Pulumi resources.
 * Every problem is collected and thrown once as a {@link ConfigError}.
 */
import { parseCustomerManagedPolicies } from "./customer-policies";
import { parseAssignments } from "./assignments";
import { parseEntra, parseScimToken } from "./entra";
import { parseGroups, validKeys } from "./groups";
import { parseGuardrailsHook } from "./guardrails";
import { parseShard } from "./shard";
import { parseGitOps } from "./gitops";
import { parseRemovalGuard } from "./removal-guard";
import { readInputFile, readYaml } from "../input/yaml-read";
import { ConfigError, Environment, StackModel } from "../model";
import { parsePermissionSets } from "./permission-sets";
import { hint, isPlainObject, Issues, setOwn, show, typeName } from "../input/validate";

/** Config namespace of this project. */
export const NAMESPACE = "idfed";
/** Keys accepted under `idfed:`. */
export const TOP_LEVEL_KEYS = [
    "environment",
    "entra",
    "scimToken",
    "scimTokenSecretArn",
    "groups",
    "permissionSets",
    "assignments",
    "customerManagedPolicies",
    "allowManagementAccount",
    "guardrails",
    "shard",
    "gitops",
    "removalGuard",
] as const;
/** An AWS Secrets Manager secret ARN (`idfed:scimTokenSecretArn`). */
const SECRET_ARN_RE = /^arn:aws[\w-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[\w/+=.@-]{1,512}$/;
/** Allowed environments. */
export const ENVIRONMENTS: readonly Environment[] = ["dev", "test", "staging", "prod"];
/** What a `secure:` value of a stack config file becomes offline (the plan cannot decrypt it). */
export const SECRET_PLACEHOLDER = "placeholder-not-a-real-token";

/** Options of {@link parseStackConfig}. */
export interface ParseOptions {
    /** Pulumi stack name; picks the default environment (`prod` if it contains "prod", else `dev`). */
    readonly stackName: string;
    /** Repository root; inline policy files are resolved against it. */
    readonly projectRoot: string;
    /** Reads a file as UTF-8 text (default `fs.readFileSync`); used for inline policy files. */
    readonly readFile?: (absPath: string) => string;
    /** Current time (default `new Date()`); reserved for time-dependent checks. */
    readonly now?: Date;
}

/** Top-level keys of a `Pulumi.<stack>.yaml` file (Pulumi's project stack settings). */
export const STACK_FILE_KEYS = ["config", "secretsprovider", "encryptedkey", "encryptionsalt", "environment"] as const;

/**
 * Problems with secrets written in plain text in the stack file: `idfed:scimToken` must be a `secure:` value
 * (`pulumi config set --secret`). An error in prod, a warning elsewhere (returned as `warnings`).
 */
export function plaintextSecretIssues(
    loaded: LoadedStackConfig,
    environment: Environment,
    file: string,
): { errors: ConfigError["issues"][number][]; warnings: string[] } {
    const key = `${NAMESPACE}:scimToken`;
    const errors: ConfigError["issues"][number][] = [];
    const warnings: string[] = [];
    // The placeholder stands for a `secure:` value (tests write configs read offline back to files): not a token.
    const value = loaded.raw[key];
    if (value !== undefined && value !== null && value !== SECRET_PLACEHOLDER && !loaded.secureKeys.includes(key)) {
        const text =
            `\`${key}\` is in plain text in ${file}: anyone who can read the repository has the SCIM token; ` +
            `store it encrypted with \`pulumi config set --secret ${key}\` (and rotate the exposed token)`;
        if (environment === "prod") errors.push({ path: key, message: text });
        else warnings.push(`warning: ${text}`);
    }
    return { errors, warnings };
}

/** A stack config file as read offline. */
export interface LoadedStackConfig {
    /** Full config keys (`idfed:groups`, `aws:region`) to values; secure values are {@link SECRET_PLACEHOLDER}. */
    readonly raw: Record<string, unknown>;
    /** Keys whose value (or a value nested in it) was `secure:` in the file, sorted. */
    readonly secureKeys: string[];
}

/** Decodes a structured value Pulumi passes as a JSON string; records a parse failure naming the key. */
function decode(key: string, value: unknown, issues: Issues): unknown {
    if (typeof value !== "string") return value;
    const t = value.trim();
    if (!(t.startsWith("{") || t.startsWith("["))) return value;
    try {
        return JSON.parse(t) as unknown;
    } catch (e) {
        issues.add(
            `${NAMESPACE}:${key}`,
            `looks like JSON but does not parse (${show((e as Error)?.message ?? "")}); ` +
                `fix the value, e.g. with \`pulumi config set --path ${NAMESPACE}:${key}...\``,
        );
        return undefined;
    }
}

function parseEnvironment(value: unknown, stackName: string, issues: Issues): Environment {
    const dflt: Environment = stackName.toLowerCase().includes("prod") ? "prod" : "dev";
    if (value === undefined || value === null) return dflt;
    const env = ENVIRONMENTS.find((e) => e === value);
    if (env !== undefined) return env;
    issues.add(
        `${NAMESPACE}:environment`,
        `${show(value)} is not allowed (expected one of ${ENVIRONMENTS.join(", ")})` +
            (typeof value === "string" ? hint(value, ENVIRONMENTS) : ""),
    );
    return dflt;
}

function parseBool(key: string, value: unknown, issues: Issues): boolean {
    if (value === undefined || value === null) return false;
    if (typeof value === "boolean") return value;
    if (value === "true" || value === "false") return value === "true";
    issues.add(`${NAMESPACE}:${key}`, `expected a boolean (true or false), got ${typeName(value)} ${show(value)}`);
    return false;
}

function parseInto(raw: Record<string, unknown>, opts: ParseOptions, issues: Issues): StackModel | undefined {
    const values = new Map<string, unknown>();
    for (const full of Object.keys(raw)) {
        if (!full.startsWith(`${NAMESPACE}:`)) continue;
        const key = full.slice(NAMESPACE.length + 1);
        if (!(TOP_LEVEL_KEYS as readonly string[]).includes(key)) {
            const h = hint(key, TOP_LEVEL_KEYS);
            issues.add(
                full.length > 100 ? `${full.slice(0, 99)}…` : full,
                `unknown config key` +
                    (h ? h.replace("`", `\`${NAMESPACE}:`) : `; allowed: ${TOP_LEVEL_KEYS.map((k) => `\`${NAMESPACE}:${k}\``).join(", ")}`),
            );
            continue;
        }
        const v = raw[full];
        // `idfed:assignments:` with nothing after it: YAML null in the file, an empty string at runtime.
        if (v === undefined || v === null || (typeof v === "string" && v.trim() === "")) {
            issues.add(full, "has no value (an empty key in the stack file); give it a value or remove the line");
            continue;
        }
        values.set(key, key === "scimToken" ? v : decode(key, v, issues));
    }
    const environment = parseEnvironment(values.get("environment"), opts.stackName, issues);
    const shard = parseShard(values.get("shard"), `${NAMESPACE}:shard`, issues);
    const gitops = parseGitOps(values.get("gitops"), `${NAMESPACE}:gitops`, issues, environment);
    // The token in AWS Secrets Manager (read only by the deploy identity, only during `pulumi up`) or in stack config.
    const secretArnRaw = values.get("scimTokenSecretArn");
    let scimTokenSecretArn: string | undefined;
    if (secretArnRaw !== undefined && secretArnRaw !== null) {
        if (typeof secretArnRaw === "string" && SECRET_ARN_RE.test(secretArnRaw)) scimTokenSecretArn = secretArnRaw;
        else
            issues.add(
                `${NAMESPACE}:scimTokenSecretArn`,
                `${show(secretArnRaw)} is not a Secrets Manager secret ARN ` + "(arn:aws:secretsmanager:<region>:<account>:secret:<name>)",
            );
        if (values.get("scimToken") !== undefined) {
            issues.add(
                `${NAMESPACE}:scimToken`,
                "is set as well as `idfed:scimTokenSecretArn`; keep one (remove it with `pulumi config rm idfed:scimToken`)",
            );
        }
    }
    const removalGuard = parseRemovalGuard(values.get("removalGuard"), `${NAMESPACE}:removalGuard`, issues);
    // An assignments shard provisions nothing in Entra: it needs no SCIM token even in prod; nor does stage 1
    // of the rollout (no `idfed:entra.scim` yet: the token does not exist before the console step).
    const entraRaw = values.get("entra");
    const scimSet =
        typeof entraRaw === "object" &&
        entraRaw !== null &&
        !Array.isArray(entraRaw) &&
        Object.prototype.hasOwnProperty.call(entraRaw, "scim") &&
        (entraRaw as Record<string, unknown>).scim != null;
    const tokenConfigured =
        parseScimToken(
            values.get("scimToken"),
            environment,
            issues,
            environment === "prod" && shard.role !== "assignments" && scimSet && secretArnRaw === undefined,
        ) || scimTokenSecretArn !== undefined;
    const entra = parseEntra(values.get("entra"), tokenConfigured, issues);
    const groupsRaw = values.get("groups");
    const psRaw = values.get("permissionSets");
    const groups = parseGroups(groupsRaw, issues);
    const permissionSets = parsePermissionSets(psRaw, { projectRoot: opts.projectRoot, readFile: opts.readFile }, issues);
    const assignments = parseAssignments(
        values.get("assignments"),
        { groups: validKeys(groupsRaw), permissionSets: validKeys(psRaw) },
        issues,
    );
    const allowManagementAccount = parseBool("allowManagementAccount", values.get("allowManagementAccount"), issues);
    const customerManagedPolicies = parseCustomerManagedPolicies(
        values.get("customerManagedPolicies"),
        { projectRoot: opts.projectRoot, readFile: opts.readFile },
        issues,
    );
    const guardrails = values.has("guardrails")
        ? parseGuardrailsHook(values.get("guardrails"), `${NAMESPACE}:guardrails`, issues, {
              groupKeys: validKeys(groupsRaw),
              projectRoot: opts.projectRoot,
              readFile: opts.readFile,
          })
        : undefined;
    if (issues.count > 0 || entra === undefined) return undefined;
    return {
        environment,
        entra,
        groups,
        permissionSets,
        assignments,
        allowManagementAccount,
        shard,
        gitops,
        customerManagedPolicies,
        removalGuard,
        ...(guardrails !== undefined ? { guardrails } : {}),
        ...(scimTokenSecretArn !== undefined ? { scimTokenSecretArn } : {}),
    };
}

/**
 * Validates the `idfed:*` keys of `raw` (full config keys to parsed values or JSON strings; other
 * namespaces are ignored) into the stack model. Throws one {@link ConfigError} listing every problem.
 * The value of `idfed:scimToken` never appears in the model or in any message.
 */
export function parseStackConfig(raw: Record<string, unknown>, opts: ParseOptions): StackModel {
    const issues = new Issues();
    let model: StackModel | undefined;
    try {
        if (!isPlainObject(raw)) {
            issues.add(NAMESPACE, `expected the stack config as a mapping, got ${typeName(raw)}`);
        } else {
            model = parseInto(raw, opts, issues);
        }
    } catch (e) {
        if (e instanceof ConfigError) throw e;
        issues.add(NAMESPACE, `internal error while validating config: ${show(e instanceof Error ? e.message : e)}`);
    }
    if (issues.count > 0 || model === undefined) {
        throw new ConfigError(issues.count ? issues.list : [{ path: NAMESPACE, message: "`idfed`: invalid config" }]);
    }
    return model;
}

/** Replaces `{ secure: "..." }` values (at any depth) with the placeholder; reports whether any was found. */
function stripSecure(v: unknown): { value: unknown; secure: boolean } {
    if (isPlainObject(v)) {
        const keys = Object.keys(v);
        if (keys.length === 1 && keys[0] === "secure" && typeof v.secure === "string") {
            return { value: SECRET_PLACEHOLDER, secure: true };
        }
        let secure = false;
        const out: Record<string, unknown> = {};
        for (const k of keys) {
            const r = stripSecure(v[k]);
            secure ||= r.secure;
            setOwn(out, k, r.value);
        }
        return { value: out, secure };
    }
    if (Array.isArray(v)) {
        const items = v.map(stripSecure);
        return { value: items.map((r) => r.value), secure: items.some((r) => r.secure) };
    }
    return { value: v, secure: false };
}

/**
 * Reads a `Pulumi.<stack>.yaml` file and returns its `config:` map with full keys (keys without a
 * namespace get `idfed:`, as Pulumi does), `secure:` values replaced by {@link SECRET_PLACEHOLDER} and
 * listed in `secureKeys`. Unreadable files and YAML errors throw a {@link ConfigError} naming the file
 * and line.
 */
export function loadStackConfigFile(path: string): LoadedStackConfig {
    const source = `stack config ${path}`;
    const fail = (message: string): never => {
        throw new ConfigError([{ path, message }], source);
    };
    const text = readInputFile(path, source);
    const js = readYaml(text, path, { source });
    if (js === null || js === undefined) return { raw: {}, secureKeys: [] };
    if (!isPlainObject(js)) return fail(`\`${path}\`: expected a mapping with a \`config:\` key, got ${typeName(js)}`);
    const unknown = Object.keys(js).filter((k) => !(STACK_FILE_KEYS as readonly string[]).includes(k));
    if (unknown.length > 0) {
        throw new ConfigError(
            unknown.map((k) => ({
                path,
                message:
                    `\`${path}\`: unknown top-level key ${show(k)}` +
                    (hint(k, STACK_FILE_KEYS) || `; a stack file has ${STACK_FILE_KEYS.map((x) => `\`${x}\``).join(", ")}`) +
                    " (its settings would be ignored)",
            })),
            source,
        );
    }
    const config = Object.prototype.hasOwnProperty.call(js, "config") ? js.config : undefined;
    if (config === undefined || config === null) return { raw: {}, secureKeys: [] };
    if (!isPlainObject(config)) return fail(`\`${path}\`: \`config\` must be a mapping of keys to values, got ${typeName(config)}`);
    const raw: Record<string, unknown> = {};
    const secureKeys = new Set<string>();
    for (const k of Object.keys(config)) {
        const full = k.includes(":") ? k : `${NAMESPACE}:${k}`;
        const r = stripSecure(config[k]);
        if (r.secure) secureKeys.add(full);
        setOwn(raw, full, r.value);
    }
    return { raw, secureKeys: [...secureKeys].sort() };
}
