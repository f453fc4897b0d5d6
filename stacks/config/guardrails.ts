/**
 * `idfed:guardrails`: the older and complementary ways of AWS access (root lock-down, IAM users, cross-account
 * roles, SAML via StackSets, just-in-time access, audit, break-glass), each a sub-object with `enabled`
 * (default false, so nothing that changes an organization happens by accident). This module holds the typed
 * model and {@link parseGuardrailsHook}; the section parsers live in `guardrails-sections.ts`. Pure, no Pulumi.
 */
import { OrgTree } from "../model";
import { GuardrailsModel } from "../model/guardrails";

import {
    parseAudit, ROLE_NAME_RE, parseBreakGlass, parseCrossAccountRoles, parseIamUsers, parseJit, parseRootLockdown, parseSamlStackSets,
    GuardrailsContext,
} from "./guardrails-sections";

export type { GuardrailsContext } from "./guardrails-sections";
import { checkKeys, expectObject, Issues, str } from "../input/validate";

/** Keys accepted under `idfed:guardrails`. */
export const GUARDRAIL_KEYS = ["accessRoleName", "rootLockdown", "iamUsers", "crossAccountRoles", "samlStackSets", "jit",
    "audit", "breakGlass"] as const;

export { ROLE_NAME_RE } from "./guardrails-sections";

/**
 * Validates `idfed:guardrails` into a {@link GuardrailsModel}, recording every problem in `issues` (reported
 * with all other config errors). Returns undefined when the value is absent or not a mapping.
 */
export function parseGuardrailsHook(value: unknown, path: string, issues: Issues, ctx: GuardrailsContext = {}): GuardrailsModel | undefined {
    if (value === undefined || value === null) return undefined;
    const o = expectObject(value, path, issues);
    if (!o) return undefined;
    checkKeys(o, GUARDRAIL_KEYS, path, issues);
    const accessRoleName = str(o, "accessRoleName", path, issues, { pattern: ROLE_NAME_RE, expected: "an IAM role name" }) ??
        "OrganizationAccountAccessRole";
    const section = <T>(key: (typeof GUARDRAIL_KEYS)[number], parse: (v: unknown, p: string) => T | undefined): { [k: string]: T } => {
        const v = Object.prototype.hasOwnProperty.call(o, key) ? o[key] : undefined;
        if (v === undefined || v === null) return {};
        const r = parse(v, `${path}.${key}`);
        return r === undefined ? {} : { [key]: r };
    };
    return {
        accessRoleName,
        ...section("rootLockdown", (v, p) => parseRootLockdown(v, p, issues)),
        ...section("iamUsers", (v, p) => parseIamUsers(v, p, issues, ctx)),
        ...section("crossAccountRoles", (v, p) => parseCrossAccountRoles(v, p, issues)),
        ...section("samlStackSets", (v, p) => parseSamlStackSets(v, p, issues, ctx)),
        ...section("jit", (v, p) => parseJit(v, p, issues, ctx)),
        ...section("audit", (v, p) => parseAudit(v, p, issues)),
        ...section("breakGlass", (v, p) => parseBreakGlass(v, p, issues)),
    } as GuardrailsModel;
}

/** Everything the org-level checks need from the organization. */
export interface GuardrailsOrgView {
    readonly root: string;
    readonly ouIds: ReadonlySet<string>;
    readonly accountIds: ReadonlySet<string>;
}

/**
 * Checks the enabled guardrails against the organization: target OUs exist, accounts are members. Returns
 * one message per problem, naming the key path (empty when everything resolves).
 */
export function checkGuardrailsAgainstOrg(g: GuardrailsModel, org: GuardrailsOrgView, path = "idfed:guardrails"): string[] {
    const out: string[] = [];
    const ou = (id: string, p: string) => {
        if (id !== org.root && !org.ouIds.has(id)) out.push(`\`${p}\`: \`${id}\` is not an OU of the organization (root ${org.root})`);
    };
    const acct = (id: string, p: string) => {
        if (!org.accountIds.has(id)) out.push(`\`${p}\`: \`${id}\` is not an account of the organization`);
    };
    if (g.rootLockdown?.enabled) g.rootLockdown.targets.forEach((t, i) => ou(t, `${path}.rootLockdown.targets[${i}]`));
    if (g.samlStackSets?.enabled) g.samlStackSets.targets.forEach((t, i) => ou(t, `${path}.samlStackSets.targets[${i}]`));
    if (g.breakGlass?.enabled) acct(g.breakGlass.accountId, `${path}.breakGlass.accountId`);
    if (g.iamUsers?.enabled && g.iamUsers.accountId !== undefined) acct(g.iamUsers.accountId, `${path}.iamUsers.accountId`);
    if (g.crossAccountRoles?.enabled) {
        for (const r of g.crossAccountRoles.roles) acct(r.targetAccountId, `${path}.crossAccountRoles.roles.${r.key}.targetAccountId`);
    }
    return out;
}

/** The {@link GuardrailsOrgView} of an org tree. */
export function orgView(org: OrgTree): GuardrailsOrgView {
    const ouIds = new Set<string>();
    const accountIds = new Set<string>(org.accounts.map((a) => a.id));
    const walk = (ous: OrgTree["ous"]) => {
        for (const u of ous) {
            ouIds.add(u.id);
            for (const a of u.accounts) accountIds.add(a.id);
            walk(u.ous);
        }
    };
    walk(org.ous);
    return { root: org.root, ouIds, accountIds };
}
