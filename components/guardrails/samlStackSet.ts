import * as pulumi from "@pulumi/pulumi";
import * as cloudformation from "@pulumi/aws/cloudformation";
import { SamlStackSetsModel } from "../../stacks/model/guardrails";
import { samlStackSetTemplate } from "../../stacks/documents/guardrails-docs";

/** Arguments of {@link SamlStackSet}. */
export interface SamlStackSetArgs {
    /** The validated section. */
    model: SamlStackSetsModel;
    /** Region the stack instances deploy to (IAM is global, so one region suffices; default the provider's). */
    region?: string;
}

/**
 * SAML to IAM in every account: a service-managed CloudFormation StackSet holding an IAM SAML provider with the
 * Entra metadata and federated roles that trust only it with `SAML:aud`, deployed to the target OUs with
 * automatic deployment, so every account that joins them gets the provider and roles without a human (and
 * loses them when it leaves).
 */
export class SamlStackSet extends pulumi.ComponentResource {
    /** StackSet name. */
    public readonly stackSetName: string;
    /** OU ids the StackSet deploys to. */
    public readonly targets: string[];

    constructor(name: string, args: SamlStackSetArgs, opts?: pulumi.ComponentResourceOptions) {
        super("idfed:guardrails:SamlStackSet", name, {}, opts);
        const m = args.model;
        const stackSet = new cloudformation.StackSet(
            `${name}-stackset`,
            {
                name: m.stackSetName,
                description: "idfed: Entra ID SAML provider and federated roles in every account of the target OUs",
                permissionModel: "SERVICE_MANAGED",
                autoDeployment: { enabled: true, retainStacksOnAccountRemoval: false },
                callAs: m.callAs,
                capabilities: ["CAPABILITY_NAMED_IAM"],
                managedExecution: { active: true },
                operationPreferences: { failureTolerancePercentage: 10, maxConcurrentPercentage: 25, regionConcurrencyType: "PARALLEL" },
                templateBody: samlStackSetTemplate(m),
                tags: { "idfed:managed-by": "idfed-saml-stackset" },
            },
            { parent: this },
        );
        new cloudformation.StackSetInstance(
            `${name}-instances`,
            {
                stackSetName: stackSet.name,
                callAs: m.callAs,
                deploymentTargets: { organizationalUnitIds: [...m.targets] },
                retainStack: false,
                ...(args.region ? { stackSetInstanceRegion: args.region } : {}),
            },
            { parent: this },
        );
        this.stackSetName = m.stackSetName;
        this.targets = [...m.targets];
        this.registerOutputs({ stackSetName: this.stackSetName, targets: this.targets, roles: m.roles.map((r) => r.roleName) });
    }
}
