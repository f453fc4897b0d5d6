/**
 * idfed: identity federation from Microsoft Entra ID to AWS IAM Identity Center.
 * Wires the stack model (stacks/) to the components (components/) and exports what operators need.
 */
import * as pulumi from "@pulumi/pulumi";
import { getRegions } from "@pulumi/aws/getRegions";
import { AccountAssignments } from "./components/accountAssignments";
import { FederatedGroup } from "./components/federatedGroup";
import { IdentityCenterApp } from "./components/identityCenterApp";
import { loadOrgTree } from "./components/org-invokes";
import { PermissionSet } from "./components/permissionSet";
import { parseStackConfig } from "./stacks/config/stack-config";
import { ConfigError, Expansion, OrgTree, StackModel } from "./stacks/model";
import { resolveStack } from "./stacks/org/resolve";
import { judgeRemoval, partialOrgRead, previousAccess } from "./stacks/config/removal-guard";
import {
    PERMISSION_SET_POLICIES_OUTPUT,
    SharedPermissionSetPolicies,
    sharedPermissionSetPolicies,
} from "./stacks/documents/shared-permission-sets";
import { accountsNeedingPolicies, customerManagedRefs } from "./stacks/config/customer-policies";
import { indexOrg } from "./stacks/org/org-index";
import { CustomerManagedPolicies } from "./components/customerManagedPolicies";
import { RolloutStage, rolloutStage } from "./stacks/config/rollout";
import { Guardrails } from "./components/guardrails";
import { GitHubOidcTrust } from "./components/githubOidc";
import { scimTokenFromSecretsManager } from "./components/scimToken";

/** Stack outputs of the program. */
interface IdfedOutputs {
    /** Identity Center group id per group key. */
    groupIds: Record<string, pulumi.Output<string>>;
    /** Permission set ARN per permission set key. */
    permissionSetArns: Record<string, pulumi.Output<string>>;
    /** The access matrix: one row per account assignment. */
    access: { accountId: string; group: string; permissionSet: string; expiresAt?: string }[];
    /** Grants left out because they expired. */
    expiredGrants: { accountId: string; group: string; permissionSet: string; expiresAt?: string }[];
    /** What the one-time Identity Center console step needs (Entra SAML metadata); absent in assignment shards. */
    identityCenterConsoleStep?: {
        samlMetadataUrl: pulumi.Output<string>;
        idpEntityId: pulumi.Output<string>;
        idpSignOnUrl: pulumi.Output<string>;
        /** Object id of the enterprise app's service principal (for the signing-key activation). */
        servicePrincipalObjectId: pulumi.Output<string>;
    };
    /** SCIM token expiry (the policy pack warns 30 days ahead); absent in assignment shards and before SCIM. */
    scimTokenExpiresAt?: string;
    /** Each permission set's policies, for the shards' policy pack (admin-level judged across shards); absent in shards. */
    permissionSetPolicies?: Record<string, SharedPermissionSetPolicies>;
    /** Thumbprint of the SAML token-signing certificate (README "First rollout": make it the preferred key). */
    signingCertificateThumbprint?: pulumi.Output<string>;
    /** Where the stack is in the first rollout and the next console step (absent in assignment shards). */
    rollout?: pulumi.Output<RolloutStage>;
}

/** Options for tests and the offline plan (the real CLI uses the defaults). */
interface MainOptions {
    /** Clock for expiry decisions (default: now). */
    now?: Date;
    /** Hooks passed to the group wait (tests inject a fake clock). */
    poll?: ConstructorParameters<typeof FederatedGroup>[1]["poll"];
    /** Do not log expansion notes (the offline plan prints them itself). */
    quiet?: boolean;
    /** Progress log while waiting for groups (default `pulumi.log.info`). */
    log?: (message: string) => void;
}

/** Parses and validates config, turning a {@link ConfigError} into a message without a stack trace. */
function loadModel(): StackModel {
    try {
        return parseStackConfig(pulumi.runtime.allConfig(), { stackName: pulumi.getStack(), projectRoot: __dirname });
    } catch (err) {
        if (err instanceof ConfigError) throw new pulumi.RunError(err.message);
        throw err;
    }
}

/** What the federation part of the program produced: the app and per-key ids (one lookup per key). */
interface Federation {
    /** The Entra app; absent in an assignments shard. */
    app?: IdentityCenterApp;
    /** Identity Center group id per group key. */
    groupIds: Map<string, pulumi.Output<string>>;
    /** Permission set ARN per permission set key. */
    permissionSetArns: Map<string, pulumi.Output<string>>;
    /** Entra object id per group key (for PIM and other Entra-side guardrails); empty in a shard. */
    entraGroupIds: Map<string, pulumi.Output<string>>;
    /** In a shard: the shared stack's permission set policies with ARNs, by key (for the policy pack). */
    sharedPermissionSets?: pulumi.Output<Record<string, unknown>>;
    /** Group keys not yet in the identity store (the rollout stage); absent in a shard. */
    pendingGroups?: pulumi.Output<string[]>;
}

/** The Entra app, the federated groups and the permission sets. */
function federation(model: StackModel, org: OrgTree, options: MainOptions): Federation {
    const scim = model.entra.scim;
    const provisioning = scim !== undefined && scim.tokenConfigured;
    // The token from Secrets Manager is read only during `pulumi up` (components/scimToken.ts); else from stack config.
    const fromSecretsManager =
        provisioning && model.scimTokenSecretArn !== undefined ? scimTokenFromSecretsManager(model.scimTokenSecretArn) : undefined;
    const scimToken = fromSecretsManager?.token ?? (provisioning ? new pulumi.Config("idfed").requireSecret("scimToken") : undefined);
    const app = new IdentityCenterApp(
        "entra-app",
        { entra: model.entra, scimToken, environment: model.environment, now: options.now, poll: options.poll },
        fromSecretsManager ? { transformations: [fromSecretsManager.transformation] } : undefined,
    );
    const groupIds = new Map<string, pulumi.Output<string>>();
    const entraGroupIds = new Map<string, pulumi.Output<string>>();
    const pending: pulumi.Output<string | undefined>[] = [];
    // Stage 1 (no SCIM yet): no groups are assigned to the app and none is waited for (nothing would provision them).
    if (provisioning && scim !== undefined) {
        for (const g of model.groups) {
            const fg = new FederatedGroup(`group-${g.key}`, {
                group: g,
                app,
                identityStoreId: org.identityStoreId,
                scim,
                poll: options.poll,
                log: options.log,
            });
            groupIds.set(g.key, fg.identityStoreGroupId);
            entraGroupIds.set(g.key, fg.entraObjectId);
            pending.push(fg.inIdentityCenter.apply((found) => (found ? undefined : g.key)));
        }
    }
    const permissionSetArns = new Map<string, pulumi.Output<string>>();
    for (const ps of model.permissionSets) {
        permissionSetArns.set(ps.key, new PermissionSet(`ps-${ps.key}`, { instanceArn: org.instanceArn, model: ps }).arn);
    }
    const pendingGroups = pulumi.all(pending).apply((keys) => keys.filter((k): k is string => k !== undefined));
    return { app, groupIds, permissionSetArns, entraGroupIds, pendingGroups };
}

/** Groups and permission sets of an assignments shard: the shared stack's outputs, by key. */
function fromSharedStack(model: StackModel, sharedStack: string): Federation {
    const ref = new pulumi.StackReference("shared", { name: sharedStack });
    const pick = (output: string, key: string) =>
        ref.requireOutput(output).apply((m: unknown) => {
            const v = (m as Record<string, unknown> | undefined)?.[key];
            if (typeof v !== "string") {
                throw new pulumi.RunError(
                    `idfed: stack ${sharedStack} has no \`${output}.${key}\`: run \`pulumi up\` on the shared stack after adding the key there`,
                );
            }
            return v;
        });
    const permissionSetArns = new Map(model.permissionSets.map((p) => [p.key, pick("permissionSetArns", p.key)]));
    // The shared stack's permission set policies, with their ARNs: the shard's policy pack judges them as
    // a single stack's pack would (e.g. admin-level sets only for allow-listed groups). Absent from an older
    // shared stack: the pack then refuses the grants it cannot judge.
    const policies = ref.getOutput(PERMISSION_SET_POLICIES_OUTPUT);
    const sharedPermissionSets = pulumi.all([policies, pulumi.all(Object.fromEntries(permissionSetArns))]).apply(([docs, arns]) => {
        const out: Record<string, unknown> = {};
        const d = (docs ?? {}) as Record<string, unknown>;
        for (const key of Object.keys(arns)) {
            if (Object.prototype.hasOwnProperty.call(d, key)) out[key] = { ...(d[key] as object), arn: arns[key] };
        }
        return out;
    });
    return {
        groupIds: new Map(model.groups.map((g) => [g.key, pick("groupIds", g.key)])),
        permissionSetArns,
        entraGroupIds: new Map(),
        sharedPermissionSets,
    };
}

/**
 * The removal guard (stacks/removal-guard.ts), before any assignment is registered: a RunError, not a stack
 * policy, because only the program knows what it last deployed (its own `access` output, read through a
 * stack reference to itself) and a RunError stops `pulumi up` before any change even with `--skip-preview`,
 * where stack policies only run once resources are registered. Also refuses an organization read that
 * returned OUs without any account (a partial or throttled read).
 */
async function removalGuard(model: StackModel, org: OrgTree, expansion: Expansion): Promise<void> {
    const partial = partialOrgRead(org);
    if (partial !== undefined) throw new pulumi.RunError(partial);
    if (model.shard.role === "shared") return; // a shared stack deploys no assignment
    let organization = "organization";
    try {
        organization = pulumi.getOrganization();
    } catch {
        // Older engines do not pass the organization: the self-managed backend's name.
    }
    // A stack reference to this very stack reads its last deployed outputs (pulumi/pulumi#3722); none at first deploy.
    const self = new pulumi.StackReference("previous-deployment", { name: `${organization}/${pulumi.getProject()}/${pulumi.getStack()}` });
    const details = await self.getOutputDetails("access");
    const verdict = judgeRemoval(previousAccess(details.value ?? details.secretValue), expansion, model.removalGuard);
    if (verdict.refusal !== undefined) throw new pulumi.RunError(verdict.refusal);
}

/** Row of the access matrix for outputs. */
function accessRow(g: Expansion["grants"][number]) {
    const row = { accountId: g.accountId, group: g.groupKey, permissionSet: g.permissionSetKey };
    return g.expiresAt === undefined ? row : { ...row, expiresAt: g.expiresAt };
}

/**
 * The program. Every input is validated and the organization expanded before the first resource is
 * registered, so bad config never leaves a half-applied stack.
 */
async function main(options: MainOptions = {}): Promise<IdfedOutputs> {
    const model = loadModel();
    const now = options.now ?? new Date();
    const org = await loadOrgTree({ withTags: model.assignments.some((a) => a.targets.accountTags !== undefined) });
    let expansion: Expansion;
    try {
        expansion = resolveStack(model, org, now);
    } catch (err) {
        if (err instanceof ConfigError) throw new pulumi.RunError(err.message);
        throw err;
    }
    if (!options.quiet) for (const note of expansion.notes) pulumi.log.info(`idfed: ${note}`);
    await removalGuard(model, org, expansion);

    // An assignments shard reads groups and permission sets from the shared stack; every other stack owns them.
    const { app, groupIds, permissionSetArns, entraGroupIds, pendingGroups, sharedPermissionSets } =
        model.shard.role === "assignments" ? fromSharedStack(model, model.shard.sharedStack) : federation(model, org, options);
    const stage1 = model.shard.role !== "assignments" && (model.entra.scim === undefined || !model.entra.scim.tokenConfigured);
    // Assignments need the Identity Center groups, which exist only once SCIM is configured (stage 2 and later).
    if (model.shard.role !== "shared" && !stage1) {
        const needs = accountsNeedingPolicies(expansion.grants, model.permissionSets);
        let dependsOnByPermissionSet: Map<string, pulumi.Resource[]> | undefined;
        if (needs.size > 0) {
            const parents = indexOrg(org).parents;
            const policies = new CustomerManagedPolicies("customer-policies", {
                policies: model.customerManagedPolicies,
                accountsByPolicy: needs,
                managementAccountId: org.managementAccountId,
                parentOf: (id) => parents.get(id),
                region: new pulumi.Config("aws").get("region") ?? "us-east-1",
            });
            dependsOnByPermissionSet = new Map(
                model.permissionSets.filter((p) => customerManagedRefs(p).length > 0).map((p) => [p.key, policies.ready]),
            );
        }
        new AccountAssignments("assignments", {
            dependsOnByPermissionSet,
            instanceArn: org.instanceArn,
            grants: expansion.grants,
            expiredGrants: expansion.expired,
            groupIds,
            permissionSetArns,
            managementAccountId: org.managementAccountId,
            environment: model.environment,
            sharedPermissionSets,
        });
    }

    // Guardrails (idfed:guardrails) belong to the stack that owns the federation, never to an assignments shard.
    if (model.guardrails !== undefined && model.shard.role !== "assignments") {
        // PIM for groups needs the federated groups, which stage 1 does not create yet.
        const { jit, ...withoutJit } = model.guardrails;
        if (stage1 && jit?.enabled && !options.quiet)
            pulumi.log.info("idfed: `idfed:guardrails.jit` waits for stage 2 (the groups exist only once SCIM is configured)");
        const g = model.guardrails;
        // "AWS API Call via CloudTrail" events arrive in the call's region: the alerts need every enabled region.
        const alerting = Boolean(g.rootLockdown?.enabled || g.audit?.enabled || g.breakGlass?.enabled);
        const regions = alerting ? (await getRegions({})).names : undefined;
        new Guardrails("guardrails", {
            model: stage1 ? withoutJit : model.guardrails,
            environment: model.environment,
            managementAccountId: org.managementAccountId,
            orgRootId: org.root,
            region: new pulumi.Config("aws").get("region") ?? "us-east-1",
            entraGroupIds,
            regions,
        });
    }

    // The cloud side of GitOps credentials (idfed:gitops): GitHub OIDC provider, deploy role, Entra credentials.
    if (model.gitops.enabled && model.shard.role !== "assignments") {
        new GitHubOidcTrust("gitops", model.gitops.trust);
    }

    return {
        groupIds: Object.fromEntries(groupIds),
        permissionSetArns: Object.fromEntries(permissionSetArns),
        access: stage1 ? [] : expansion.grants.map(accessRow),
        expiredGrants: expansion.expired.map(accessRow),
        ...(app === undefined
            ? {}
            : {
                  identityCenterConsoleStep: {
                      samlMetadataUrl: app.samlMetadataUrl,
                      idpEntityId: app.samlEntityId,
                      idpSignOnUrl: app.samlSignOnUrl,
                      servicePrincipalObjectId: app.servicePrincipalObjectId,
                  },
                  ...(model.entra.scim !== undefined ? { scimTokenExpiresAt: model.entra.scim.tokenExpiresAt } : {}),
                  signingCertificateThumbprint: app.signingCertificateThumbprint,
                  permissionSetPolicies: sharedPermissionSetPolicies(model),
              }),
        ...(pendingGroups === undefined ? {} : { rollout: pendingGroups.apply((keys) => rolloutStage(model, keys)) }),
    };
}

/**
 * Entry point for the Pulumi CLI: a CommonJS module that exports a function is called and the result becomes
 * the stack outputs. Tests and the offline plan call `program.main(options)` for a clock and wait hooks.
 */
function program(): Promise<IdfedOutputs> {
    return main();
}
// eslint-disable-next-line @typescript-eslint/no-namespace
namespace program {
    /** Stack outputs of the program. */
    export type Outputs = IdfedOutputs;
    /** Options for tests and the offline plan. */
    export type Options = MainOptions;
    /** The program with options (clock, wait hooks). */
    export const run = main;
}
export = program;
