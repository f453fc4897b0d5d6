/**
 * The stages of a first rollout, from the config alone (README "First rollout"). The console steps depend on
 * each other: the SCIM endpoint and token exist only after the identity source was switched to Entra, which
 * needs the app's SAML metadata. Pure: the program exports the stage and the plan prints it.
 */
import { StackModel } from "../model";

/** Where a stack is in the rollout, and the next step a person takes. */
export interface RolloutStage {
    /** 1: SAML app only; 2: provisioning configured, groups not all in Identity Center yet; 3: steady state. */
    readonly stage: 1 | 2 | 3;
    /** One line: what this stage deploys. */
    readonly title: string;
    /** The next console step (or "none"). */
    readonly nextStep: string;
}

/**
 * The stage of `model`: 1 without `idfed:entra.scim` (or without its token), else 2 while `pendingGroups`
 * (group keys the identity store does not have yet) is non-empty, else 3.
 */
export function rolloutStage(model: StackModel, pendingGroups: readonly string[] = []): RolloutStage {
    const scim = model.entra.scim;
    if (scim === undefined || !scim.tokenConfigured) {
        return {
            stage: 1,
            title: "stage 1 of 3: the Entra app with SAML single sign-on; no provisioning, no groups, no assignments",
            nextStep:
                "after `pulumi up`: in the IAM Identity Center console (Settings → Identity source → Change identity source → " +
                "External identity provider), upload the metadata from the stack output `identityCenterConsoleStep.samlMetadataUrl`; " +
                "then Settings → Automatic provisioning → Enable, and set `idfed:entra.scim` (endpoint, tokenExpiresAt) and " +
                "`pulumi config set --secret idfed:scimToken`",
        };
    }
    if (pendingGroups.length > 0) {
        return {
            stage: 2,
            title:
                `stage 2 of 3: SCIM provisioning; ${pendingGroups.length} group(s) not yet in Identity Center ` +
                `(${pendingGroups.map((k) => `\`${k}\``).join(", ")})`,
            nextStep:
                "`pulumi up` assigns the groups to the app, provisions them on demand, waits for them " +
                `(at most \`idfed:entra.scim.groupWaitTimeout\`, ${scim.groupWaitTimeoutSeconds} s) and then creates the assignments`,
        };
    }
    return {
        stage: 3,
        title: "stage 3 of 3: every group is in Identity Center; assignments are managed",
        nextStep: `none; rotate the SCIM token before ${scim.tokenExpiresAt} (console → Automatic provisioning → Regenerate token)`,
    };
}
