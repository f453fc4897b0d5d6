/** A small stack (4 groups, 5 permission sets) over test/fixtures/orgs/unmanaged.yaml, for the reality tests. */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { stringify } from "yaml";
import { PROJECT_ROOT, runPlan } from "../offline";
import type { PlanOutcome } from "../offline";
import { stackConfig } from "./helpers";

/** The snapshot fixture. */
export const UNMANAGED_ORG = path.join(PROJECT_ROOT, "test", "fixtures", "orgs", "unmanaged.yaml");

const doc = (...Statement: object[]) => ({ Version: "2012-10-17", Statement });

/** The small stack's config (prod settings, own groups, sets and assignments, no guardrails). */
export function smallConfig(environment: "prod" | "dev"): Record<string, unknown> {
    const c = stackConfig("prod");
    delete c["idfed:guardrails"];
    delete c["idfed:allowManagementAccount"];
    c["idfed:environment"] = environment;
    c["idfed:groups"] = {
        admins: { displayName: "Admins" },
        readers: { displayName: "Readers" },
        bounded: { displayName: "Bounded" },
        "not-iam": { displayName: "NotIam" },
        denied: { displayName: "Denied" },
    };
    const admin = ["arn:aws:iam::aws:policy/AdministratorAccess"];
    c["idfed:permissionSets"] = {
        admin: { name: "Admin", sessionDuration: "PT1H", managedPolicies: admin },
        "read-only": { name: "ReadOnly", sessionDuration: "PT2H", managedPolicies: ["arn:aws:iam::aws:policy/ReadOnlyAccess"] },
        bounded: {
            name: "Bounded",
            sessionDuration: "PT1H",
            managedPolicies: admin,
            permissionsBoundary: { managedPolicyArn: "arn:aws:iam::aws:policy/IAMReadOnlyAccess" },
        },
        "not-iam": { name: "NotIam", sessionDuration: "PT1H", inlinePolicy: doc({ Effect: "Allow", NotAction: ["iam:*"], Resource: "*" }) },
        "deny-users": {
            name: "DenyUsers",
            sessionDuration: "PT1H",
            managedPolicies: admin,
            inlinePolicy: doc({ Sid: "NoUsers", Effect: "Deny", Action: ["iam:CreateUser"], Resource: "*" }),
        },
    };
    const wl = ["ou-ab12-workload"];
    c["idfed:assignments"] = [
        { group: "admins", permissionSet: "admin", ous: wl },
        { group: "readers", permissionSet: "read-only", ous: wl },
        { group: "bounded", permissionSet: "bounded", accounts: ["222222222222"] },
        { group: "not-iam", permissionSet: "not-iam", accounts: ["222222222222"] },
        { group: "denied", permissionSet: "deny-users", accounts: ["222222222222"] },
    ];
    return c;
}

/** Plans the small stack against the snapshot fixture (no policy pack). */
export async function planSmall(environment: "prod" | "dev" = "prod", org = UNMANAGED_ORG): Promise<PlanOutcome> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "idfed-reality-"));
    const file = path.join(dir, `Pulumi.small.yaml`);
    fs.writeFileSync(file, stringify({ config: smallConfig(environment) }));
    try {
        return await runPlan({ stack: "small", configFile: file, orgFile: org, now: new Date("2026-11-23T00:00:00Z"), policies: false });
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}
