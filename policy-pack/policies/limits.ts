/** AWS limits checked before apply, so `pulumi up` does not fail half-way through an organization. */
import * as iam from "@pulumi/aws/iam";
import * as ssoadmin from "@pulumi/aws/ssoadmin";
import {
    PolicyConfigSchema,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationPolicy,
} from "@pulumi/policy";
import { documentSize, isUnknownValue } from "../analysis/document";
import { LIMITS, permissionSetNameProblem, sessionDurationProblem } from "../analysis/limits";
import { Unknowns, config, prop, validateResourceOfTypes } from "./common";
import { documentsOf } from "./extract";
import { stackView } from "./stack-model";

/** Settings of the limit policies. */
export interface LimitsConfig {
    /** Managed + customer-managed policies per permission set (IAM role quota). Default 10. */
    maxManagedPoliciesPerPermissionSet: number;
    /** Role trust policy size (default quota 2,048; adjustable to 4,096). */
    maxTrustPolicySize: number;
}

const DEFAULTS: LimitsConfig = {
    maxManagedPoliciesPerPermissionSet: LIMITS.managedPoliciesPerPermissionSet,
    maxTrustPolicySize: LIMITS.trustPolicy,
};

const SCHEMA: PolicyConfigSchema = {
    properties: {
        maxManagedPoliciesPerPermissionSet: {
            type: "integer",
            minimum: 1,
            maximum: 20,
            default: 10,
            description: "Managed + customer-managed policies per permission set (the IAM role quota of the accounts).",
        },
        maxTrustPolicySize: {
            type: "integer",
            minimum: 2048,
            maximum: 4096,
            default: 2048,
            description: "Role trust policy size quota, characters without whitespace.",
        },
    },
};

function sizeOf(v: unknown): number | undefined {
    if (typeof v === "string") return documentSize(v);
    if (v && typeof v === "object") return documentSize(JSON.stringify(v));
    return undefined;
}

function tooBig(what: string, size: number | undefined, max: number, fix: string): string | undefined {
    return size !== undefined && size > max
        ? `${what} is ${size} characters without whitespace; AWS accepts at most ${max}. ${fix}`
        : undefined;
}

function check(props: unknown, args: ResourceValidationArgs, report: ReportViolation): void {
    const cfg = config(args, DEFAULTS);
    const unknowns = new Unknowns();
    const problems: (string | undefined)[] = [];
    const split = "Split it into several policies or replace explicit lists of read actions by `service:Get*`-style wildcards.";
    switch (args.type) {
        case "aws:ssoadmin/permissionSet:PermissionSet": {
            const name = prop(props, "name"),
                desc = prop(props, "description"),
                dur = prop(props, "sessionDuration");
            if (!unknowns.check(name, "the permission set name") && typeof name === "string") problems.push(permissionSetNameProblem(name));
            if (!unknowns.check(desc, "the description") && typeof desc === "string" && desc.length > LIMITS.permissionSetDescription) {
                problems.push(
                    `description is ${desc.length} characters; Identity Center accepts at most ${LIMITS.permissionSetDescription}`,
                );
            }
            if (!unknowns.check(dur, "the session duration") && typeof dur === "string") problems.push(sessionDurationProblem(dur));
            break;
        }
        case "aws:ssoadmin/permissionSetInlinePolicy:PermissionSetInlinePolicy": {
            const doc = prop(props, "inlinePolicy");
            if (!unknowns.check(doc, "the inline policy"))
                problems.push(tooBig("the inline policy", sizeOf(doc), LIMITS.permissionSetInlinePolicy, split));
            break;
        }
        default: {
            let inlineTotal = 0;
            for (const d of documentsOf(args.type, props)) {
                if (d.kind === "managed" || d.kind === "other-org-policy" || d.kind === "scp" || unknowns.check(d.value, d.what)) continue;
                const size = sizeOf(d.value);
                if (d.kind === "trust")
                    problems.push(
                        tooBig(
                            d.what,
                            size,
                            cfg.maxTrustPolicySize,
                            "Merge principals into one statement or raise the quota (maxTrustPolicySize).",
                        ),
                    );
                else if (args.type === "aws:iam/policy:Policy") problems.push(tooBig(d.what, size, LIMITS.managedPolicyDocument, split));
                else if (args.type === "aws:iam/userPolicy:UserPolicy")
                    problems.push(tooBig(d.what, size, LIMITS.userInlinePolicies, split));
                else if (args.type === "aws:iam/groupPolicy:GroupPolicy")
                    problems.push(tooBig(d.what, size, LIMITS.groupInlinePolicies, split));
                else inlineTotal += size ?? 0;
            }
            problems.push(tooBig("the role's inline policies together", inlineTotal, LIMITS.roleInlinePolicies, split));
            const name = prop(props, "name");
            if (args.type === "aws:iam/role:Role" && typeof name === "string" && !isUnknownValue(name) && name.length > LIMITS.roleName) {
                problems.push(`role name \`${name}\` is ${name.length} characters; IAM accepts at most ${LIMITS.roleName}`);
            }
        }
    }
    for (const p of problems) if (p) report(p);
    unknowns.finish();
}

/** Per-resource AWS limits: permission set name/description/session, document sizes, role names. */
export const awsLimits: ResourceValidationPolicy = {
    name: "aws-limits",
    description: "Resources fit AWS limits (names, session durations, policy sizes) before apply.",
    configSchema: SCHEMA,
    validateResource: validateResourceOfTypes(
        [ssoadmin.PermissionSet, ssoadmin.PermissionSetInlinePolicy, iam.Policy, iam.Role, iam.RolePolicy, iam.UserPolicy, iam.GroupPolicy],
        check,
    ),
};

/** Per-permission-set AWS limits: the number of attached managed policies. */
export const awsLimitsPerPermissionSet: StackValidationPolicy = {
    name: "aws-limits-per-permission-set",
    description: "Each permission set attaches no more managed policies than the accounts' IAM role quota.",
    configSchema: SCHEMA,
    validateStack: (args, report) => {
        const cfg = config(args, DEFAULTS);
        for (const ps of stackView(args.resources).permissionSets) {
            if (ps.fromSharedStack) continue; // judged in the shared stack that owns it
            const n = ps.managed.length + ps.customer.length;
            if (n > cfg.maxManagedPoliciesPerPermissionSet) {
                report(
                    `permission set \`${ps.key}\` attaches ${n} managed policies (${ps.managed.length} AWS-managed + ` +
                        `${ps.customer.length} customer-managed); the role it provisions accepts ${cfg.maxManagedPoliciesPerPermissionSet}. ` +
                        "Merge policies into the inline policy, or raise the IAM quota in every account and `maxManagedPoliciesPerPermissionSet`.",
                    ps.urn,
                );
            }
        }
    },
};
