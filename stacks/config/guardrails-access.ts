/**
 * Parsers of the guardrail sections for people's access outside Identity Center: IAM users, cross-account
 * roles, just-in-time (PIM) access and break-glass. Pure, no Pulumi.
 */
import type {
    BreakGlassModel,
    CrossAccountRoleModel,
    CrossAccountRolesModel,
    IamGroupModel,
    IamUserModel,
    IamUsersModel,
    JitModel,
    PimGroupModel,
} from "../model/guardrails";
import { IAM_NAME_RE, POLICY_ARN_RE, ROLE_ARN_RE, ROLE_NAME_RE } from "../input/iam-names";

export { IAM_NAME_RE, POLICY_ARN_RE, ROLE_ARN_RE, ROLE_NAME_RE };
import { checkPolicyDocument } from "./permission-sets";
import {
    at,
    bool,
    checkAccountId,
    checkKeys,
    checkString,
    expectObject,
    hint,
    Issues,
    own,
    show,
    str,
    stringList,
    typeName,
} from "../input/validate";

import {
    ADMINISTRATOR_ACCESS,
    accounts,
    GuardrailsContext,
    guids,
    int,
    keyed,
    keyedKeys,
    parseAlerts,
    PIM_ELIGIBILITY_DAYS,
    policyArns,
    sessionSeconds,
} from "./guardrails-common";

/** Parses `iamUsers`. */
export function parseIamUsers(v: unknown, path: string, issues: Issues, ctx: GuardrailsContext): IamUsersModel | undefined {
    void ctx;
    const o = expectObject(v, path, issues);
    if (!o) return undefined;
    checkKeys(o, ["enabled", "accountId", "passwordPolicy", "accessKeyMaxAgeDays", "groups", "users"], path, issues);
    const pp = own(o, "passwordPolicy");
    const ppPath = at(path, "passwordPolicy");
    const ppo = pp === undefined || pp === null ? {} : (expectObject(pp, ppPath, issues) ?? {});
    checkKeys(ppo, ["minimumLength", "reusePrevention", "maxAgeDays"], ppPath, issues);
    const passwordPolicy = {
        minimumLength: int(ppo, "minimumLength", ppPath, issues, 14, 128, 14, "; at least 14 characters"),
        reusePrevention: int(ppo, "reusePrevention", ppPath, issues, 1, 24, 24),
        maxAgeDays: int(ppo, "maxAgeDays", ppPath, issues, 1, 1095, 90),
    };
    const groups = keyed<IamGroupModel>(o, "groups", path, issues, (key, g, p) => {
        checkKeys(g, ["policies", "inlinePolicy"], p, issues);
        const policies = policyArns(g, "policies", p, issues);
        const inline = own(g, "inlinePolicy");
        if (inline !== undefined && inline !== null && !checkPolicyDocument(inline, at(p, "inlinePolicy"), issues)) return undefined;
        return inline === undefined || inline === null
            ? { key, policyArns: policies }
            : { key, policyArns: policies, inlinePolicy: inline as IamGroupModel["inlinePolicy"] & object };
    });
    const groupKeys = new Set(keyedKeys(own(o, "groups")));
    const users = keyed<IamUserModel>(o, "users", path, issues, (key, u, p) => {
        checkKeys(u, ["groups"], p, issues);
        const gs = stringList(u, "groups", p, issues, (x, gp) => {
            if (typeof x === "string" && groupKeys.has(x)) return x;
            issues.add(
                gp,
                `${show(x)} is not a group of \`${at(path, "groups")}\`${typeof x === "string" ? hint(x, groupKeys) : ""}` +
                    "; users get permissions only through groups",
            );
            return undefined;
        });
        return { key, groups: gs };
    });
    const accountId =
        own(o, "accountId") === undefined || own(o, "accountId") === null
            ? undefined
            : checkAccountId(own(o, "accountId"), at(path, "accountId"), issues);
    return {
        enabled: bool(o, "enabled", path, issues, false),
        ...(accountId !== undefined ? { accountId } : {}),
        passwordPolicy,
        accessKeyMaxAgeDays: int(o, "accessKeyMaxAgeDays", path, issues, 1, 365, 90),
        groups,
        users,
    };
}

/** Parses `crossAccountRoles`. */
export function parseCrossAccountRoles(v: unknown, path: string, issues: Issues): CrossAccountRolesModel | undefined {
    const o = expectObject(v, path, issues);
    if (!o) return undefined;
    checkKeys(o, ["enabled", "roles"], path, issues);
    const roles = keyed<CrossAccountRoleModel>(o, "roles", path, issues, (key, r, p) => {
        checkKeys(
            r,
            [
                "roleName",
                "targetAccountId",
                "sourceAccounts",
                "sourceRoleArns",
                "policies",
                "requireMfa",
                "externalId",
                "maxSessionDuration",
                "sourcePolicy",
            ],
            p,
            issues,
        );
        const target = own(r, "targetAccountId");
        const targetAccountId =
            target === undefined || target === null
                ? (issues.add(at(p, "targetAccountId"), "is required (the 12-digit account the role lives in)"), undefined)
                : checkAccountId(target, at(p, "targetAccountId"), issues);
        const sourceAccounts = accounts(r, "sourceAccounts", p, issues);
        const sourceRoleArns = stringList(r, "sourceRoleArns", p, issues, (x, rp) =>
            checkString(x, rp, issues, { pattern: ROLE_ARN_RE, expected: "an IAM role ARN (arn:aws:iam::<account>:role/<name>)" }),
        );
        if (
            sourceAccounts.length + sourceRoleArns.length === 0 &&
            own(r, "sourceAccounts") === undefined &&
            own(r, "sourceRoleArns") === undefined
        ) {
            issues.add(p, "names no principal: set `sourceAccounts` (account ids) or `sourceRoleArns` (role ARNs)");
        }
        if (targetAccountId !== undefined && sourceAccounts.includes(targetAccountId)) {
            issues.add(
                at(p, "sourceAccounts"),
                `${show(targetAccountId)} is the target account itself; a cross-account role trusts other accounts`,
            );
        }
        let externalId: string | undefined;
        const ext = own(r, "externalId");
        if (ext !== undefined && ext !== null) {
            // Never echo the value: it is a shared secret.
            if (typeof ext !== "string" || !/^[\w+=,.@:/-]{2,1224}$/.test(ext)) {
                issues.add(
                    at(p, "externalId"),
                    "is not a valid external id (2–1224 characters of letters, digits and +=,.@:/-); value not shown",
                );
            } else externalId = ext;
        }
        const requireMfa = bool(r, "requireMfa", p, issues, true);
        if (!requireMfa && externalId === undefined) {
            issues.add(
                p,
                "has neither `requireMfa: true` nor an `externalId`: anyone in the source accounts with sts:AssumeRole " +
                    "could switch in; keep MFA or set an external id",
            );
        }
        const roleName = str(r, "roleName", p, issues, { pattern: ROLE_NAME_RE, expected: "an IAM role name" }) ?? `idfed-${key}`;
        if (targetAccountId === undefined) return undefined;
        return {
            key,
            roleName,
            targetAccountId,
            sourceAccounts,
            sourceRoleArns,
            policyArns: policyArns(r, "policies", p, issues),
            requireMfa,
            ...(externalId !== undefined ? { externalId } : {}),
            maxSessionDurationSeconds: sessionSeconds(r, p, issues),
            sourcePolicy: bool(r, "sourcePolicy", p, issues, true),
        };
    });
    return { enabled: bool(o, "enabled", path, issues, false), roles };
}

/** Parses `jit`. */
export function parseJit(v: unknown, path: string, issues: Issues, ctx: GuardrailsContext): JitModel | undefined {
    const o = expectObject(v, path, issues);
    if (!o) return undefined;
    checkKeys(o, ["enabled", "pim"], path, issues);
    const pim = keyed<PimGroupModel>(o, "pim", path, issues, (groupKey, g, p) => {
        if (ctx.groupKeys !== undefined && !ctx.groupKeys.has(groupKey)) {
            issues.add(p, `${show(groupKey)} is not a key of \`idfed:groups\`${hint(groupKey, ctx.groupKeys)}`);
        }
        checkKeys(
            g,
            [
                "eligibleMembers",
                "maxActivationHours",
                "requireApproval",
                "approvers",
                "requireMfa",
                "requireJustification",
                "requireTicketInfo",
                "eligibilityDays",
            ],
            p,
            issues,
        );
        const eligibleMembers = guids(g, "eligibleMembers", p, issues);
        if (eligibleMembers.length === 0 && own(g, "eligibleMembers") === undefined)
            issues.add(at(p, "eligibleMembers"), "is required (Entra object ids of the people eligible to activate)");
        const requireApproval = bool(g, "requireApproval", p, issues, false);
        const approvers = guids(g, "approvers", p, issues);
        if (requireApproval && approvers.length === 0)
            issues.add(at(p, "approvers"), "is required when `requireApproval` is true (Entra user object ids)");
        const days = int(g, "eligibilityDays", p, issues, 15, 365, 180);
        if (!(PIM_ELIGIBILITY_DAYS as readonly number[]).includes(days)) {
            issues.add(at(p, "eligibilityDays"), `${show(days)} is not allowed; Entra PIM accepts ${PIM_ELIGIBILITY_DAYS.join(", ")}`);
        }
        return {
            groupKey,
            eligibleMembers,
            requireApproval,
            approvers,
            maxActivationHours: int(g, "maxActivationHours", p, issues, 1, 23, 8, " hours; Entra allows at most PT23H30M"),
            requireMfa: bool(g, "requireMfa", p, issues, true),
            requireJustification: bool(g, "requireJustification", p, issues, true),
            requireTicketInfo: bool(g, "requireTicketInfo", p, issues, false),
            eligibilityDays: days,
        };
    });
    return { enabled: bool(o, "enabled", path, issues, false), pim };
}

/** Parses `breakGlass`. */
export function parseBreakGlass(v: unknown, path: string, issues: Issues): BreakGlassModel | undefined {
    const o = expectObject(v, path, issues);
    if (!o) return undefined;
    checkKeys(o, ["enabled", "accountId", "users", "policies", "alertEmails", "alertSubscriptions"], path, issues);
    const enabled = bool(o, "enabled", path, issues, false);
    const acct = own(o, "accountId");
    const accountId =
        acct === undefined || acct === null
            ? (issues.add(at(path, "accountId"), "is required (the management or security account the break-glass users live in)"),
              undefined)
            : checkAccountId(acct, at(path, "accountId"), issues);
    const users = stringList(o, "users", path, issues, (x, p) =>
        checkString(x, p, issues, { pattern: IAM_NAME_RE, expected: "an IAM user name" }),
    );
    if (enabled && users.length === 0)
        issues.add(at(path, "users"), `${show(own(o, "users") ?? [])} names no user; list the break-glass IAM user names (usually two)`);
    const alerts = parseAlerts(o, path, issues);
    if (enabled && alerts.length === 0) issues.add(at(path, "alertEmails"), "is required: every break-glass use must alert someone");
    const policies = policyArns(o, "policies", path, issues);
    if (accountId === undefined) return undefined;
    if (typeName(own(o, "policies")) === "a list" && policies.length === 0)
        issues.add(at(path, "policies"), "is empty; omit it for AdministratorAccess");
    return { enabled, accountId, users, policyArns: policies.length > 0 ? policies : [ADMINISTRATOR_ACCESS], alerts };
}
