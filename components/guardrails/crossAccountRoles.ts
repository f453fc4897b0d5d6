import * as pulumi from "@pulumi/pulumi";
import * as iam from "@pulumi/aws/iam";
import { CrossAccountRoleModel, CrossAccountRolesModel } from "../../stacks/model/guardrails";
import { ROLE_ARN_RE } from "../../stacks/input/iam-names";
import { assumeRolesPolicy, crossAccountTrust, roleArn, stablePolicyJson } from "../../stacks/documents/guardrails-docs";
import { policySlug } from "./iamUsers";
import { AccountProviders } from "./providers";

/** Arguments of {@link CrossAccountRoles}. */
export interface CrossAccountRolesArgs {
    /** The validated section. */
    model: CrossAccountRolesModel;
    /** Providers that reach target and source accounts through the organization access role. */
    providers: AccountProviders;
}

/** Source account → ARNs of the roles its principals may assume (roles with `sourcePolicy` only). */
export function sourcePolicies(roles: readonly CrossAccountRoleModel[]): Map<string, string[]> {
    const out = new Map<string, Set<string>>();
    for (const r of roles) {
        if (!r.sourcePolicy) continue;
        const arn = roleArn(r.targetAccountId, r.roleName);
        const sources = [...r.sourceAccounts, ...r.sourceRoleArns.map((a) => ROLE_ARN_RE.exec(a)?.[1] ?? "")].filter((a) => a !== "");
        for (const s of sources) {
            const set = out.get(s) ?? new Set<string>();
            set.add(arn);
            out.set(s, set);
        }
    }
    return new Map([...out.keys()].sort().map((k) => [k, [...out.get(k)!].sort()]));
}

/**
 * Cross-account switch roles: each role lives in its target account (reached through the organization access
 * role) and trusts only the named source accounts/roles, with MFA and/or an ExternalId (a secret) required and
 * a bounded session. In each source account, one customer-managed policy allows `sts:AssumeRole` on exactly
 * the roles that account may assume; attach it to the users or roles that should switch.
 */
export class CrossAccountRoles extends pulumi.ComponentResource {
    /** Role ARN by config key. */
    public readonly roleArns: Record<string, string>;
    /** Source account → the roles its policy allows. */
    public readonly sourcePolicies: Record<string, string[]>;

    constructor(name: string, args: CrossAccountRolesArgs, opts?: pulumi.ComponentResourceOptions) {
        super("idfed:guardrails:CrossAccountRoles", name, {}, opts);
        const roleArns: Record<string, string> = {};
        for (const r of args.model.roles) {
            const child = args.providers.opts(this, r.targetAccountId);
            const trust = stablePolicyJson(crossAccountTrust(r));
            const role = new iam.Role(
                `${name}-${r.key}`,
                {
                    name: r.roleName,
                    description: `idfed cross-account role ${r.key}`,
                    assumeRolePolicy: r.externalId !== undefined ? pulumi.secret(trust) : trust,
                    maxSessionDuration: r.maxSessionDurationSeconds,
                    tags: { "idfed:managed-by": "idfed-cross-account-roles" },
                },
                child,
            );
            for (const arn of r.policyArns) {
                new iam.RolePolicyAttachment(`${name}-${r.key}-${policySlug(arn)}`, { role: role.name, policyArn: arn }, child);
            }
            roleArns[r.key] = roleArn(r.targetAccountId, r.roleName);
        }
        const sources = sourcePolicies(args.model.roles);
        for (const [account, arns] of sources) {
            new iam.Policy(
                `${name}-source-${account}`,
                {
                    name: "idfed-assume-cross-account-roles",
                    path: "/idfed/",
                    description: "idfed: allows sts:AssumeRole on exactly the cross-account roles this account may use",
                    policy: stablePolicyJson(assumeRolesPolicy(arns)),
                },
                args.providers.opts(this, account),
            );
        }
        this.roleArns = roleArns;
        this.sourcePolicies = Object.fromEntries(sources);
        this.registerOutputs({ roleArns: this.roleArns, sourcePolicies: this.sourcePolicies });
    }
}
