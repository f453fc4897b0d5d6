/**
 * Splitting one organization over several stacks (`idfed:shard`): a *shared* stack owns the Entra app,
 * the groups and the permission sets; *assignment* shards (e.g. one per top-level OU) own the account
 * assignments of their part of the organization and read the shared stack's outputs through a
 * `pulumi.StackReference`. Pure: parsing and grant selection, no Pulumi resources.
 */
import { ShardModel } from "../model/shard";
import { at, checkAccountId, checkKeys, checkOuId, expectArray, expectObject, idx, Issues, own, show, str } from "../input/validate";

export type { ShardModel } from "../model/shard";

const SHARD_KEYS = ["role", "sharedStack", "ous", "accounts"] as const;
const ROLES = ["single", "shared", "assignments"] as const;
/** Pulumi stack reference: 1–3 slash-separated names. */
const STACK_REF_RE = /^(?:[A-Za-z0-9][\w.-]{0,99}\/){0,2}[A-Za-z0-9][\w.-]{0,99}$/;

/** Parses `idfed:shard` (absent = one stack owns everything). Problems go to `issues`. */
export function parseShard(value: unknown, path: string, issues: Issues): ShardModel {
    if (value === undefined || value === null) return { role: "single" };
    const o = expectObject(value, path, issues);
    if (o === undefined) return { role: "single" };
    checkKeys(o, SHARD_KEYS, path, issues);
    const role = own(o, "role");
    if (!ROLES.includes(role as (typeof ROLES)[number])) {
        issues.add(at(path, "role"), `${show(role)} is not a shard role (expected one of ${ROLES.join(", ")})`);
        return { role: "single" };
    }
    if (role !== "assignments") {
        for (const k of ["sharedStack", "ous", "accounts"]) {
            if (own(o, k) !== undefined)
                issues.add(at(path, k), `only applies to \`role: assignments\`; remove it from a \`${String(role)}\` stack`);
        }
        return { role: role as "single" | "shared" };
    }
    const sharedStack =
        str(o, "sharedStack", path, issues, {
            required: true,
            pattern: STACK_REF_RE,
            expected: "a stack reference such as acme/idfed/prod-shared",
        }) ?? "";
    const list = (key: "ous" | "accounts", check: (v: unknown, p: string) => string | undefined): string[] => {
        const raw = own(o, key);
        if (raw === undefined || raw === null) return [];
        const arr = expectArray(raw, at(path, key), issues) ?? [];
        const out: string[] = [];
        arr.forEach((v, i) => {
            const id = check(v, idx(at(path, key), i));
            if (id !== undefined && !out.includes(id)) out.push(id);
        });
        return out.sort();
    };
    const ous = list("ous", (v, p) => checkOuId(v, p, issues));
    const accounts = list("accounts", (v, p) => checkAccountId(v, p, issues));
    if (ous.length === 0 && accounts.length === 0) {
        issues.add(path, "an assignments shard needs `ous` or `accounts` (the part of the organization it owns)");
    }
    return { role: "assignments", sharedStack, ous, accounts };
}
