/**
 * Deterministic synthetic organizations and stack configs for the benchmark (`npm run bench`). Pure: the
 * same sizes and seed always give the same org fixture and the same config, byte for byte.
 *
 * Shape: N accounts spread over nested OUs (at most 5 levels, as AWS Organizations allows) under a few
 * top-level OUs, each account tagged (`env`, `team`, `cost-center`); G groups; P permission sets (about two
 * thirds AWS-managed policy attachments, one third small inline policies); assignment rules over OUs,
 * explicit accounts and tags until the expansion gives about {@link SyntheticOptions.grantsPerAccount}
 * grants per account (~20,000 assignments for 1,000 accounts / 200 groups / 60 permission sets).
 */
import { OrgAccount, OrgTree, OrgUnit } from "../../stacks/model";

/** Sizes and seed of a synthetic org. */
export interface SyntheticOptions {
    /** Number of member accounts (the management account comes on top). */
    readonly accounts: number;
    /** Number of groups. */
    readonly groups: number;
    /** Number of permission sets. */
    readonly permissionSets: number;
    /** PRNG seed (default 1). */
    readonly seed?: number;
    /** Target grants per account (default 20). */
    readonly grantsPerAccount?: number;
    /** Number of top-level OUs (default: about one per 125 accounts, 2–16); shards split along them. */
    readonly topLevelOus?: number;
}

/** A generated org fixture and the stack config that goes with it. */
export interface SyntheticOrg {
    /** The organization, in the shape `parseOrgFixture` returns. */
    readonly org: OrgTree;
    /** Full config keys (`idfed:groups`, `aws:region`) to values, as `loadStackConfigFile` returns them. */
    readonly config: Record<string, unknown>;
    /** Ids of the top-level OUs, in order (what per-OU shards own). */
    readonly topLevelOus: readonly string[];
    /** The distinct (account, group, permission set) triples the rules give, as the generator counted them. */
    readonly expectedGrants: number;
}

/** mulberry32: a small, fast, deterministic PRNG returning floats in [0, 1). */
export function prng(seed: number): () => number {
    let a = seed >>> 0;
    return () => {
        a = (a + 0x6d2b79f5) >>> 0;
        let t = a;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}

const MANAGED = [
    "arn:aws:iam::aws:policy/ReadOnlyAccess",
    "arn:aws:iam::aws:policy/job-function/ViewOnlyAccess",
    "arn:aws:iam::aws:policy/SecurityAudit",
    "arn:aws:iam::aws:policy/job-function/Billing",
    "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess",
    "arn:aws:iam::aws:policy/CloudWatchReadOnlyAccess",
    "arn:aws:iam::aws:policy/AmazonEC2ReadOnlyAccess",
    "arn:aws:iam::aws:policy/AWSSupportAccess",
] as const;
const ENVS = ["prod", "staging", "dev", "sandbox"] as const;
const MANAGEMENT = "100000000000";
const ROOT = "r-syn0";

const pad = (n: number, w: number) => String(n).padStart(w, "0");
/** Lower-case base-36 id of fixed width (OU id suffixes). */
const b36 = (n: number, w: number) => n.toString(36).padStart(w, "0");

interface MutableOu {
    id: string;
    name: string;
    accounts: OrgAccount[];
    ous: MutableOu[];
    depth: number;
}

/** The OU tree: top-level OUs, then random nesting down to level 5; about 8 accounts per OU. */
function buildTree(opts: SyntheticOptions, rnd: () => number): { root: MutableOu[]; all: MutableOu[] } {
    const tops = opts.topLevelOus ?? Math.min(16, Math.max(2, Math.round(opts.accounts / 125)));
    const ouCount = Math.max(tops, Math.ceil(opts.accounts / 8));
    const all: MutableOu[] = [];
    const make = (depth: number): MutableOu => {
        const n = all.length;
        const ou = { id: `ou-syn0-${b36(n, 8)}`, name: `${depth === 1 ? "Top" : "Unit"}-${pad(n, 4)}`, accounts: [], ous: [], depth };
        all.push(ou);
        return ou;
    };
    const root = Array.from({ length: tops }, () => make(1));
    while (all.length < ouCount) {
        // Parents are picked among OUs that may still nest (level < 5), biased towards shallow ones.
        const candidates = all.filter((u) => u.depth < 5);
        const parent = candidates[Math.floor(Math.pow(rnd(), 1.5) * candidates.length)];
        parent.ous.push(make(parent.depth + 1));
    }
    return { root, all };
}

/** Accounts of an OU and every OU below it. */
function under(ou: MutableOu, out: string[] = []): string[] {
    for (const a of ou.accounts) out.push(a.id);
    for (const c of ou.ous) under(c, out);
    return out;
}

/** Generates the org and config (see the module comment). */
export function syntheticOrg(opts: SyntheticOptions): SyntheticOrg {
    const rnd = prng(opts.seed ?? 1);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
    const { root, all } = buildTree(opts, rnd);
    const teams = Math.max(4, Math.round(opts.accounts / 40));
    const accounts: OrgAccount[] = [];
    for (let i = 0; i < opts.accounts; i++) {
        const a: OrgAccount = {
            id: `2${pad(i, 11)}`,
            name: `acct-${pad(i, 5)}`,
            tags: {
                env: pick(ENVS),
                team: `team-${pad(Math.floor(rnd() * teams), 3)}`,
                "cost-center": `cc-${pad(Math.floor(rnd() * 50), 2)}`,
            },
        };
        accounts.push(a);
        all[i < all.length ? i : Math.floor(rnd() * all.length)].accounts.push(a);
    }
    const freeze = (u: MutableOu): OrgUnit => ({ id: u.id, name: u.name, accounts: u.accounts, ous: u.ous.map(freeze) });
    const org: OrgTree = {
        managementAccountId: MANAGEMENT,
        identityStoreId: "d-9067000be0",
        instanceArn: "arn:aws:sso:::instance/ssoins-00000000000be0c0",
        root: ROOT,
        accounts: [{ id: MANAGEMENT, name: "management", tags: { env: "shared" } }],
        ous: root.map(freeze),
    };

    const groupKeys = Array.from({ length: opts.groups }, (_, i) => `g-${pad(i, 4)}`);
    const psKeys = Array.from({ length: opts.permissionSets }, (_, i) => `ps-${pad(i, 3)}`);
    const groups = Object.fromEntries(groupKeys.map((k) => [k, { displayName: `AWS-Synth-${k}`, description: `synthetic group ${k}` }]));
    const permissionSets = Object.fromEntries(
        psKeys.map((k, i) => {
            const base = { name: `Synth-${k}`, description: `synthetic permission set ${k}`, sessionDuration: "PT4H" };
            if (i % 3 === 2) {
                return [
                    k,
                    {
                        ...base,
                        inlinePolicy: {
                            Version: "2012-10-17",
                            Statement: [
                                {
                                    Sid: "Read",
                                    Effect: "Allow",
                                    Action: ["s3:GetObject", "s3:ListBucket"],
                                    Resource: [`arn:aws:s3:::synth-${k}`, `arn:aws:s3:::synth-${k}/*`],
                                },
                            ],
                        },
                    },
                ];
            }
            const first = MANAGED[i % MANAGED.length];
            const second = MANAGED[(i * 5 + 3) % MANAGED.length];
            return [k, { ...base, managedPolicies: first === second || i % 2 === 0 ? [first] : [first, second] }];
        }),
    );

    // Rules until the distinct triples reach the target; OU rules dominate, with tag and account-list rules.
    const target = opts.accounts * (opts.grantsPerAccount ?? 20);
    const covered = new Set<string>();
    const rules: Record<string, unknown>[] = [];
    const add = (rule: Record<string, unknown>, ids: readonly string[]) => {
        rules.push(rule);
        const pair = `${String(rule.group)}/${String(rule.permissionSet)}`;
        for (const id of ids) covered.add(`${id}/${pair}`);
    };
    const byTag = new Map<string, string[]>();
    for (const a of accounts) for (const t of [`env=${a.tags.env}`, `team=${a.tags.team}`]) byTag.set(t, [...(byTag.get(t) ?? []), a.id]);
    const tagKeys = [...byTag.keys()].sort();
    let guard = 0;
    while (covered.size < target && guard++ < target * 4) {
        const rule: Record<string, unknown> = { group: pick(groupKeys), permissionSet: pick(psKeys) };
        const r = rnd();
        if (r < 0.08 && tagKeys.length > 0) {
            const [k, v] = pick(tagKeys).split("=");
            rule.accountTags = { [k]: v };
            add(rule, byTag.get(`${k}=${v}`) ?? []);
        } else if (r < 0.16) {
            const ids = Array.from({ length: 1 + Math.floor(rnd() * 4) }, () => pick(accounts).id);
            rule.accounts = [...new Set(ids)].sort();
            add(rule, rule.accounts as string[]);
        } else {
            // Smaller OUs are likelier (deep ones are many), so rules stay fine-grained as in real orgs.
            const ou = pick(all);
            const ids = under(ou);
            if (ids.length === 0) continue;
            rule.ous = [ou.id];
            if (ids.length > 3 && rnd() < 0.15) {
                const excluded = ids[Math.floor(rnd() * ids.length)];
                rule.exclude = { accounts: [excluded] };
                add(
                    rule,
                    ids.filter((id) => id !== excluded),
                );
            } else add(rule, ids);
        }
        if (rnd() < 0.03) rule.expiresAt = "2099-12-31T00:00:00Z";
    }

    const config: Record<string, unknown> = {
        "aws:region": "eu-west-1",
        "aws:maxRetries": 25,
        "idfed:environment": "dev",
        "idfed:entra": {
            tenantId: "7f3c1d2e-5a4b-4c3d-9e8f-0a1b2c3d4e5f",
            appDisplayName: "AWS IAM Identity Center (bench)",
            saml: {
                entityId: "https://eu-west-1.signin.aws.amazon.com/platform/saml/d-906700a1b2",
                acsUrl: "https://eu-west-1.signin.aws.amazon.com/platform/saml/acs/3f6b1c2d-0e9a-4b7c-8d5e-1a2b3c4d5e6f",
                notificationEmails: ["identity-team@example.com"],
            },
            scim: {
                endpoint: "https://scim.eu-west-1.amazonaws.com/bench/scim/v2",
                tokenExpiresAt: "2099-09-30",
                groupWaitTimeout: "PT10M",
            },
        },
        // Stage 2+ of the rollout (SCIM configured): groups, provisioning and assignments are all planned.
        "idfed:scimToken": "bench-placeholder-token",
        "idfed:groups": groups,
        "idfed:permissionSets": permissionSets,
        "idfed:assignments": rules,
    };
    return { org, config, topLevelOus: root.map((u) => u.id), expectedGrants: covered.size };
}

/** The org as fixture YAML (the format `parseOrgFixture` reads); account ids quoted. */
export function orgFixtureYaml(org: OrgTree): string {
    const lines = [
        `managementAccountId: "${org.managementAccountId}"`,
        `identityStoreId: ${org.identityStoreId}`,
        `instanceArn: ${org.instanceArn}`,
        `root: ${org.root}`,
        "accounts:",
    ];
    const acct = (a: OrgAccount, ind: string) => {
        const tags = Object.keys(a.tags)
            .map((k) => `${k}: ${a.tags[k]}`)
            .join(", ");
        lines.push(`${ind}- { id: "${a.id}", name: ${a.name}, tags: { ${tags} } }`);
    };
    for (const a of org.accounts) acct(a, "  ");
    const ou = (u: OrgUnit, ind: string) => {
        lines.push(`${ind}- id: ${u.id}`, `${ind}  name: ${u.name}`, `${ind}  accounts:${u.accounts.length === 0 ? " []" : ""}`);
        for (const a of u.accounts) acct(a, `${ind}    `);
        lines.push(`${ind}  ous:${u.ous.length === 0 ? " []" : ""}`);
        for (const c of u.ous) ou(c, `${ind}    `);
    };
    lines.push(`ous:${org.ous.length === 0 ? " []" : ""}`);
    for (const u of org.ous) ou(u, "  ");
    return lines.join("\n") + "\n";
}
