/**
 * Organization prerequisites the program can see from what it already reads (`getOrganization`): trusted
 * access for the services it deploys through and the policy types enabled on the root. Checked before any
 * resource; each message names the one-time step. Pure.
 */
import { ConfigIssue, OrgTree, StackModel } from "../model";

/**
 * Trusted access a fixture that records none stands for: Identity Center's own. Source: AWS IAM Identity Center user
 * guide, "Prerequisites and considerations" (enabling an organization instance enables trusted access for sso.amazonaws.com).
 */
export const DEFAULT_TRUSTED_ACCESS: readonly string[] = ["sso.amazonaws.com"];

/** Trusted-access service principals of `org` (the fixture's, or {@link DEFAULT_TRUSTED_ACCESS}). */
export function trustedAccessOf(org: OrgTree): readonly string[] {
    return org.trustedAccess ?? DEFAULT_TRUSTED_ACCESS;
}

/** What `model` needs from the organization, with the one-time step that provides it. */
interface Need {
    readonly path: string;
    readonly what: string;
    readonly ok: boolean;
    readonly fix: string;
}

/** One issue per prerequisite of `model` that `org` does not meet. */
export function checkOrgPrerequisites(model: StackModel, org: OrgTree, needsStackSets = false): ConfigIssue[] {
    const trusted = new Set(trustedAccessOf(org));
    const policies = new Set(org.rootPolicyTypes ?? []);
    const g = model.guardrails;
    const needs: Need[] = [
        {
            path: "idfed:entra",
            what: "IAM Identity Center needs trusted access for `sso.amazonaws.com`",
            ok: trusted.has("sso.amazonaws.com"),
            fix: "enable IAM Identity Center in the management account (console → IAM Identity Center → Enable, organization instance)",
        },
    ];
    if (g?.rootLockdown?.enabled) {
        needs.push({
            path: "idfed:guardrails.rootLockdown",
            what: `service control policies must be enabled on root ${org.root}`,
            ok: policies.has("SERVICE_CONTROL_POLICY"),
            fix: `aws organizations enable-policy-type --root-id ${org.root} --policy-type SERVICE_CONTROL_POLICY`,
        });
    }
    if (g?.audit?.enabled) {
        needs.push({
            path: "idfed:guardrails.audit",
            what: "an organization trail needs trusted access for `cloudtrail.amazonaws.com`",
            ok: trusted.has("cloudtrail.amazonaws.com"),
            fix: "aws organizations enable-aws-service-access --service-principal cloudtrail.amazonaws.com (or CloudTrail console → create an organization trail once)",
        });
    }
    if (g?.samlStackSets?.enabled || needsStackSets) {
        needs.push({
            path: g?.samlStackSets?.enabled ? "idfed:guardrails.samlStackSets" : "idfed:customerManagedPolicies",
            what: "service-managed StackSets need trusted access for `member.org.stacksets.cloudformation.amazonaws.com`",
            ok: trusted.has("member.org.stacksets.cloudformation.amazonaws.com"),
            fix: "aws cloudformation activate-organizations-access (or CloudFormation console → StackSets → Activate trusted access)",
        });
    }
    return needs
        .filter((n) => !n.ok)
        .map((n) => ({
            path: n.path,
            message: `\`${n.path}\`: ${n.what}, and the organization does not have it; one-time step, with management-account credentials: \`${n.fix}\``,
        }));
}
