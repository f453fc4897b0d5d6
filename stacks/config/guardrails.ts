/**
 * `idfed:guardrails`: the older and complementary ways of AWS access (root lock-down, IAM users, cross-account
 * roles, SAML via StackSets, just-in-time access, audit, break-glass), each a sub-object with `enabled`
 * (default false, so nothing that changes an organization happens by accident). This module holds the typed
 * model and {@link parseGuardrailsHook}; the section parsers live in `guardrails-access.ts` and `guardrails-org.ts`. Pure, no Pulumi.
 */
import { GuardrailsModel } from "../model/guardrails";

import { parseBreakGlass, parseCrossAccountRoles, parseIamUsers, parseJit } from "./guardrails-access";
import type { GuardrailsContext } from "./guardrails-common";
import { parseAudit, parseRootLockdown, parseSamlStackSets } from "./guardrails-org";
import { ROLE_NAME_RE } from "../input/iam-names";

export type { GuardrailsContext } from "./guardrails-common";
import { checkKeys, expectObject, Issues, str } from "../input/validate";

/** Keys accepted under `idfed:guardrails`. */
export const GUARDRAIL_KEYS = [
    "accessRoleName",
    "rootLockdown",
    "iamUsers",
    "crossAccountRoles",
    "samlStackSets",
    "jit",
    "audit",
    "breakGlass",
] as const;

export { ROLE_NAME_RE };

/**
 * Validates `idfed:guardrails` into a {@link GuardrailsModel}, recording every problem in `issues` (reported
 * with all other config errors). Returns undefined when the value is absent or not a mapping.
 */
export function parseGuardrailsHook(
    value: unknown,
    path: string,
    issues: Issues,
    ctx: GuardrailsContext = {},
): GuardrailsModel | undefined {
    if (value === undefined || value === null) return undefined;
    const o = expectObject(value, path, issues);
    if (!o) return undefined;
    checkKeys(o, GUARDRAIL_KEYS, path, issues);
    const accessRoleName =
        str(o, "accessRoleName", path, issues, { pattern: ROLE_NAME_RE, expected: "an IAM role name" }) ?? "OrganizationAccountAccessRole";
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
