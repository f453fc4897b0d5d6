import * as pulumi from "@pulumi/pulumi";
import { Environment } from "../../stacks/model";
import { GuardrailsModel } from "../../stacks/model/guardrails";
import { Audit } from "./audit";
import { BreakGlass } from "./breakGlass";
import { CrossAccountRoles } from "./crossAccountRoles";
import { IamUsers } from "./iamUsers";
import { JitAccess } from "./jitAccess";
import { AccountProviders } from "./providers";
import { RootLockdown } from "./rootLockdown";
import { SamlStackSet } from "./samlStackSet";

/** Arguments of {@link Guardrails}. */
export interface GuardrailsArgs {
    /** The validated `idfed:guardrails`. */
    model: GuardrailsModel;
    /** The stack's environment class (published for the policy pack). */
    environment: Environment;
    /** The organization's management account id (the account the program runs in). */
    managementAccountId: string;
    /** The organization root id (`r-xxxx`). */
    orgRootId: string;
    /** The stack's region (`aws:region`): trail, Identity Center alerts, StackSet instances, per-account providers. */
    region: string;
    /** Entra object id per federated group key (for PIM). */
    entraGroupIds: ReadonlyMap<string, pulumi.Input<string>>;
    /** Enabled regions of the management account (`aws.getRegions`): alerts on API calls cover each. */
    regions?: readonly string[];
}

/**
 * Every enabled guardrail of the stack, each its own child component (sections with `enabled: false` create
 * nothing). The list of enabled guardrails is published as outputs for the policy pack.
 */
export class Guardrails extends pulumi.ComponentResource {
    /** Keys of the enabled guardrails, in a fixed order. */
    public readonly enabled: string[];

    constructor(name: string, args: GuardrailsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("idfed:guardrails:Guardrails", name, {}, opts);
        const g = args.model;
        const child = { parent: this };
        const providers = new AccountProviders(this, `${name}-account`, {
            managementAccountId: args.managementAccountId,
            roleName: g.accessRoleName,
            region: args.region,
        });
        const enabled: string[] = [];
        if (g.rootLockdown?.enabled) {
            new RootLockdown(
                `${name}-root-lockdown`,
                { model: g.rootLockdown, orgRootId: args.orgRootId, managementAccountId: args.managementAccountId, regions: args.regions },
                child,
            );
            enabled.push("rootLockdown");
        }
        if (g.iamUsers?.enabled) {
            new IamUsers(`${name}-iam-users`, { model: g.iamUsers, providers, managementAccountId: args.managementAccountId }, child);
            enabled.push("iamUsers");
        }
        if (g.crossAccountRoles?.enabled) {
            new CrossAccountRoles(`${name}-cross-account`, { model: g.crossAccountRoles, providers }, child);
            enabled.push("crossAccountRoles");
        }
        if (g.samlStackSets?.enabled) {
            new SamlStackSet(`${name}-saml`, { model: g.samlStackSets, region: args.region }, child);
            enabled.push("samlStackSets");
        }
        if (g.jit?.enabled) {
            new JitAccess(`${name}-jit`, { model: g.jit, entraGroupIds: args.entraGroupIds }, child);
            enabled.push("jit");
        }
        if (g.audit?.enabled) {
            // Root activity alerts once: from root lock-down when it is on, else from the audit rules.
            new Audit(
                `${name}-audit`,
                {
                    model: g.audit,
                    managementAccountId: args.managementAccountId,
                    region: args.region,
                    regions: args.regions,
                    rootActivityAlert: !g.rootLockdown?.enabled,
                },
                child,
            );
            enabled.push("audit");
        }
        if (g.breakGlass?.enabled) {
            new BreakGlass(`${name}-break-glass`, { model: g.breakGlass, providers, regions: args.regions }, child);
            enabled.push("breakGlass");
        }
        this.enabled = enabled;
        this.registerOutputs({ enabled: this.enabled, environment: args.environment, managementAccountId: args.managementAccountId });
    }
}
