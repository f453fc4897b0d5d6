/**
 * The README's "First rollout" runbook, run in order against the mocks, stage by stage, from an empty
 * identity store: stage 1 (no `scim`), the console step, stage 2 (`scim` + token: groups provisioned on demand
 * and waited for), stage 3 (every group in Identity Center, assignments managed).
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { pollUntilFound } from "../components/waitFor";
import { PROJECT_ROOT } from "../offline";
import { parseStackConfig } from "../stacks/config/stack-config";
import { ofType, runWith, stackConfig } from "./helpers";
import { RolloutStage } from "../stacks/config/rollout";

const ASSIGNMENT = "aws:ssoadmin/accountAssignment:AccountAssignment";

/** The prod config as it is before the Identity Center console step: no SCIM endpoint, no token. */
function stage1Config(): Record<string, unknown> {
    const c = stackConfig("prod");
    delete (c["idfed:entra"] as Record<string, unknown>).scim;
    delete c["idfed:scimToken"];
    return c;
}

describe("README runbook, in order, against the mocks", function () {
    const identityStore = new Set<string>();
    const logs: string[] = [];
    const opts = (preview: boolean) => ({
        preview,
        identityStore,
        log: (m: string) => logs.push(m),
        poll: {
            sleep: async () => undefined,
            now: (() => {
                let t = 0;
                return () => (t += 1000);
            })(),
        },
    });

    it("step 2: stage 1 deploys the SAML app and the console-step outputs only", async () => {
        for (const preview of [true, false]) {
            const run = await runWith("prod", stage1Config(), opts(preview));
            const rollout = run.outputs.rollout as RolloutStage;
            assert.equal(rollout.stage, 1);
            assert.match(rollout.nextStep, /samlMetadataUrl/);
            assert.ok(
                (run.outputs.identityCenterConsoleStep as { samlMetadataUrl: string }).samlMetadataUrl.includes("federationmetadata"),
            );
            assert.equal(ofType(run, "azuread:index/applicationFromTemplate:ApplicationFromTemplate").length, 1);
            for (const t of [
                "azuread:index/synchronizationSecret:SynchronizationSecret",
                "azuread:index/synchronizationJob:SynchronizationJob",
                "idfed:entra:FederatedGroup",
                "azuread:index/appRoleAssignment:AppRoleAssignment",
                ASSIGNMENT,
            ]) {
                assert.equal(ofType(run, t).length, 0, `${t} in stage 1`);
            }
        }
        assert.equal(identityStore.size, 0);
    });

    it("steps 3–4: with `scim` and the token, the preview is stage 2 (groups pending) and the up provisions and assigns", async () => {
        const groups = Object.keys(stackConfig("prod")["idfed:groups"] as object).length;
        const preview = await runWith("prod", stackConfig("prod"), opts(true));
        const r2 = preview.outputs.rollout as RolloutStage;
        assert.equal(r2.stage, 2);
        assert.match(r2.title, new RegExp(`^.*\\b${groups} group\\(s\\) not yet in Identity Center`));
        assert.equal(identityStore.size, 0, "a preview provisioned something");

        const up = await runWith("prod", stackConfig("prod"), opts(false));
        assert.equal(identityStore.size, groups);
        assert.equal(ofType(up, "azuread:index/synchronizationJobProvisionOnDemand:SynchronizationJobProvisionOnDemand").length, groups);
        const ids = up.outputs.groupIds as Record<string, string>;
        const assignments = ofType(up, ASSIGNMENT);
        assert.ok(assignments.length > 0);
        assert.ok(assignments.every((a) => Object.values(ids).includes(String(a.props.principalId))));
        assert.equal((up.outputs.rollout as RolloutStage).stage, 3);
    });

    it("step 5: the next preview is stage 3, nothing pending", async () => {
        const run = await runWith("prod", stackConfig("prod"), opts(true));
        assert.equal((run.outputs.rollout as RolloutStage).stage, 3);
    });

    it("waits only with a synchronization job, and logs progress while it waits", async () => {
        const store = new Set<string>();
        const lines: string[] = [];
        let n = 0;
        // SCIM is slower than the on-demand request: the group shows up on the third lookup.
        const lookup = (i: Record<string, unknown>) => {
            const dn = (i.alternateIdentifier as { uniqueAttribute: { attributeValue: string } }).uniqueAttribute.attributeValue;
            if (dn === "AWS-Prod-Billing" && ++n < 3) throw new Error("ResourceNotFoundException: GROUP not found.");
            return { id: dn, groupId: `ic-${dn}`, displayName: dn, description: "", externalIds: [], identityStoreId: i.identityStoreId };
        };
        await runWith("prod", stackConfig("prod"), {
            ...opts(false),
            identityStore: store,
            log: (m) => lines.push(m),
            invokes: new Map([["aws:identitystore/getGroup:getGroup", lookup]]),
        });
        assert.equal(lines.length, 2);
        assert.match(
            lines[0],
            /waiting for SCIM to create the Identity Center group "AWS-Prod-Billing" \(`idfed:groups\.billing`\): lookup 1 missed, \d+ s of 900 s/,
        );
    });
});

describe("README runbook is the tested order", function () {
    const readme = fs.readFileSync(path.join(__dirname, "..", "README.md"), "utf8");
    const section = readme.slice(readme.indexOf("### First rollout"), readme.indexOf("## Policy pack"));

    it("lists the steps in the order the runbook test runs them", () => {
        const markers = [
            "without `idfed:entra.scim`",
            "stage 1 of 3",
            "**`pulumi up`** (stage 1)",
            "preferredTokenSigningKeyThumbprint",
            "Automatic provisioning → Enable",
            "pulumi config set --secret idfed:scimToken",
            "stage 2 of 3",
            "**`pulumi up`** (stage 2)",
            "stage 3 of 3",
        ];
        let at = -1;
        for (const m of markers) {
            const i = section.indexOf(m, at + 1);
            assert.ok(i > at, `README "First rollout": \`${m}\` missing or out of order`);
            at = i;
        }
    });

    it("promises the wait bound the program keeps (first delay, doubling cap, default timeout)", async () => {
        assert.match(section, /first lookup after 5 s,\s+doubling to at most 60 s/);
        assert.match(section, /bounded by `idfed:entra\.scim\.groupWaitTimeout` \(default 10 minutes\)/);
        const entra = stackConfig("prod")["idfed:entra"] as { scim: Record<string, unknown> };
        delete entra.scim.groupWaitTimeout;
        const c = stackConfig("prod");
        c["idfed:entra"] = entra;
        const model = parseStackConfig(c, { stackName: "prod", projectRoot: PROJECT_ROOT });
        assert.equal(model.entra.scim?.groupWaitTimeoutSeconds, 600);
        assert.equal(model.entra.scim?.groupWaitInitialDelaySeconds, 5);
        let t = 0;
        const delays: number[] = [];
        const r = await pollUntilFound(async () => undefined, {
            timeoutMs: 600_000,
            initialDelayMs: 5000,
            sleep: async (ms) => {
                delays.push(ms);
                t += ms;
            },
            now: () => t,
        });
        assert.equal(r.found, false);
        assert.ok(t <= 600_000 && Math.max(...delays) === 60_000 && delays[0] === 5000, `${t} ${delays.join(",")}`);
    });
});
