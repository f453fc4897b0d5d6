/**
 * Adoption of unmanaged access: the Pulumi bulk-import file (`pulumi import --file`) and the stack config
 * entries for chosen existing permission sets and group assignments, under exactly the resource names idfed
 * gives them (`index.ts`: `ps-<key>`; `components/permissionSet.ts`: `<name>-managed-<suffix>`,
 * `<name>-customer-<suffix>`, `<name>-inline`, `<name>-boundary`; `components/accountAssignments.ts`:
 * `assignments-<account>-<group>-<set>`), so adopting is `pulumi import`, not delete-and-recreate.
 *
 * Import ids, from the provider's docs (`@pulumi/aws` ssoadmin `.d.ts` "Import" sections, = terraform-provider-aws
 * `website/docs/r/ssoadmin_*.html.markdown`): PermissionSet `arn,instanceArn`; ManagedPolicyAttachment
 * `managedPolicyArn,permissionSetArn,instanceArn`; CustomerManagedPolicyAttachment `name,path,permissionSetArn,
 * instanceArn`; PermissionSetInlinePolicy and PermissionsBoundaryAttachment `permissionSetArn,instanceArn`;
 * AccountAssignment `principalId,principalType,targetId,targetType,permissionSetArn,instanceArn`.
 * File format: pulumi/pulumi `pkg/cmd/pulumi/import.go` (`importFile`, `importSpec`).
 */
import { assignmentResourceName } from "../../components/accountAssignments";
import { managedPolicyResourceSuffix } from "../../components/permissionSet";
import type { OrgTree } from "../../stacks/model/index";
import type { SnapshotPermissionSet } from "../../stacks/model/snapshot";
import type { PlanResult } from "../types";

/** One entry of the import file's `resources` (the fields idfed uses). */
export interface ImportSpec {
    type: string;
    name: string;
    id?: string;
    parent?: string;
    logicalName?: string;
    component?: boolean;
}

/** The bulk-import file. */
export interface ImportFile {
    nameTable: Record<string, string>;
    resources: ImportSpec[];
}

/** What the adopt command produces. */
export interface Adoption {
    importFile: ImportFile;
    /** Config entries to add (`idfed:permissionSets`, `idfed:groups`, `idfed:assignments`). */
    config: { permissionSets: Record<string, unknown>; groups: Record<string, unknown>; assignments: Record<string, unknown>[] };
    /** Inline policies of adopted permission sets, to write as the files the config names. */
    files: Record<string, unknown>;
    notes: string[];
}

/** Thrown for a selection that cannot be adopted (exit 2 with the message). */
export class AdoptError extends Error {}

const T = {
    psComponent: "idfed:aws:PermissionSet",
    ps: "aws:ssoadmin/permissionSet:PermissionSet",
    managed: "aws:ssoadmin/managedPolicyAttachment:ManagedPolicyAttachment",
    customer: "aws:ssoadmin/customerManagedPolicyAttachment:CustomerManagedPolicyAttachment",
    inline: "aws:ssoadmin/permissionSetInlinePolicy:PermissionSetInlinePolicy",
    boundary: "aws:ssoadmin/permissionsBoundaryAttachment:PermissionsBoundaryAttachment",
    assignments: "idfed:aws:AccountAssignments",
    assignment: "aws:ssoadmin/accountAssignment:AccountAssignment",
} as const;

/** A config key from a name: lower-case, `-` for anything else, starting with a letter (KEY_RE). */
export function keyFromName(name: string, taken: ReadonlySet<string>): string {
    let k = name
        .replace(/([a-z0-9])([A-Z])/g, "$1-$2")
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, "-")
        .replace(/^-+|-+$/g, "");
    if (!/^[a-z]/.test(k)) k = `x-${k}`;
    k = k.slice(0, 36).replace(/-+$/, "");
    let out = k;
    for (let i = 2; taken.has(out); i++) out = `${k}-${i}`;
    return out;
}

/** The selection: permission set names and assignments `account:permission set name:group display name`. */
export interface AdoptSelection {
    permissionSets: readonly string[];
    assignments: readonly string[];
}

/** Builds the import file and config entries for a selection of the plan's unmanaged access. */
export function buildAdoption(stack: string, plan: PlanResult, org: OrgTree, sel: AdoptSelection): Adoption {
    const ic = org.snapshot?.identityCenter;
    if (!ic) throw new AdoptError("the org fixture has no `identityCenter` snapshot: nothing to adopt (run the org export first)");
    const instance = org.instanceArn;
    const byName = new Map(ic.permissionSets.map((p) => [p.name.toLowerCase(), p]));
    const declared = new Map(plan.permissionSets.map((p) => [p.name.toLowerCase(), p.key]));
    const keys = new Set(plan.permissionSets.map((p) => p.key));
    const groupKeys = new Set(plan.groups.map((g) => g.key));
    const out: Adoption = {
        importFile: { nameTable: {}, resources: [] },
        config: { permissionSets: {}, groups: {}, assignments: [] },
        files: {},
        notes: [],
    };
    const problems: string[] = [];
    const adoptedKey = new Map<string, string>();

    const addPermissionSet = (e: SnapshotPermissionSet) => {
        let key = declared.get(e.name.toLowerCase());
        if (key === undefined) {
            key = keyFromName(e.name, keys);
            keys.add(key);
            const entry: Record<string, unknown> = { name: e.name, managedPolicies: [...e.managedPolicies] };
            if (e.description !== undefined) entry.description = e.description;
            entry.sessionDuration = e.sessionDuration ?? "PT1H";
            if (e.customerManagedPolicies.length)
                entry.customerManagedPolicies = e.customerManagedPolicies.map((c) => ({ name: c.name, path: c.path }));
            if (e.inlinePolicy !== undefined) {
                const file = `stacks/policies/adopted-${key}.json`;
                entry.inlinePolicy = file;
                out.files[file] = e.inlinePolicy;
            }
            if (e.permissionsBoundary !== undefined) entry.permissionsBoundary = e.permissionsBoundary;
            out.config.permissionSets[key] = entry;
        } else {
            out.notes.push(
                `permission set ${e.name} is declared as \`${key}\`: its declared policies replace the existing ones on the next update (check the plan's unmanaged section for differences)`,
            );
        }
        adoptedKey.set(e.arn, key);
        const name = `ps-${key}`;
        const psId = `${e.arn},${instance}`;
        // `name` is the file's reference key, `logicalName` the resource name in the URN: the component and its
        // permission set share the URN name, so the component gets its own reference key.
        const parent = `${name}-component`;
        out.importFile.resources.push({ type: T.psComponent, name: parent, logicalName: name, component: true });
        out.importFile.resources.push({ type: T.ps, name, logicalName: name, id: psId, parent });
        const decl = plan.permissionSets.find((p) => p.key === key);
        const managed = decl ? decl.managedPolicyArns.filter((a) => e.managedPolicies.includes(a)) : e.managedPolicies;
        for (const arn of managed) {
            const n = `${name}-managed-${managedPolicyResourceSuffix(arn)}`;
            out.importFile.resources.push({ type: T.managed, name: n, logicalName: n, id: `${arn},${e.arn},${instance}`, parent });
        }
        const cms = decl
            ? decl.customerManagedPolicies.filter((c) => e.customerManagedPolicies.some((x) => x.name === c.name && x.path === c.path))
            : e.customerManagedPolicies;
        for (const c of cms) {
            const n = `${name}-customer-${`${c.path}${c.name}`.replace(/^\//, "").replace(/\//g, "-")}`;
            out.importFile.resources.push({
                type: T.customer,
                name: n,
                logicalName: n,
                id: `${c.name},${c.path},${e.arn},${instance}`,
                parent,
            });
        }
        if (e.inlinePolicy !== undefined && (!decl || decl.inlinePolicy !== undefined)) {
            out.importFile.resources.push({
                type: T.inline,
                name: `${name}-inline`,
                logicalName: `${name}-inline`,
                id: `${e.arn},${instance}`,
                parent,
            });
        }
        if (e.permissionsBoundary !== undefined && (!decl || decl.permissionsBoundary !== undefined)) {
            out.importFile.resources.push({
                type: T.boundary,
                name: `${name}-boundary`,
                logicalName: `${name}-boundary`,
                id: `${e.arn},${instance}`,
                parent,
            });
        }
    };

    for (const n of sel.permissionSets) {
        const e = byName.get(n.toLowerCase());
        if (!e)
            problems.push(
                `\`--permission-set\`: no permission set named \`${n}\` in the snapshot (names: ${[...byName.values()].map((p) => p.name).join(", ")})`,
            );
        else if (!adoptedKey.has(e.arn)) addPermissionSet(e);
    }
    let needsAssignments = false;
    for (const spec of sel.assignments) {
        const m = /^(\d{12}):([\w+=,.@-]{1,32}):(.{1,256})$/.exec(spec);
        if (!m) {
            problems.push(`\`--assignment\`: \`${spec.slice(0, 80)}\` is not <account id>:<permission set name>:<group display name>`);
            continue;
        }
        const [, acct, psName, principal] = m;
        const u = plan.unmanaged.assignments.find(
            (a) =>
                a.accountId === acct && a.permissionSetName.toLowerCase() === psName.toLowerCase() && a.principalDisplayName === principal,
        );
        if (!u) {
            problems.push(`\`--assignment\`: \`${spec}\` is not an unmanaged assignment of this stack (see the plan's unmanaged section)`);
            continue;
        }
        if (u.principalType !== "GROUP") {
            problems.push(
                `\`--assignment\`: \`${spec}\` is a user assignment; idfed manages group assignments only: add the user to a group, then remove the assignment`,
            );
            continue;
        }
        const e = ic.permissionSets.find((p) => p.arn === u.permissionSetArn)!;
        const psKey = u.declaredPermissionSet ?? adoptedKey.get(e.arn);
        if (psKey === undefined) {
            problems.push(
                `\`--assignment\`: \`${spec}\` uses permission set ${e.name}, which the stack does not declare; add \`--permission-set ${e.name}\``,
            );
            continue;
        }
        let groupKey = u.declaredGroup;
        if (groupKey === undefined) {
            groupKey = keyFromName(principal, groupKeys);
            groupKeys.add(groupKey);
            // ASSUMPTION: the Identity Center group is SCIM-provisioned from an Entra group of the same display name.
            out.config.groups[groupKey] = { displayName: principal, description: "adopted from Identity Center; check its Entra source" };
        }
        out.config.assignments.push({
            group: groupKey,
            permissionSet: psKey,
            accounts: [acct],
            reason: "adopted from Identity Center (was unmanaged)",
        });
        const n = assignmentResourceName("assignments", { accountId: acct, groupKey, permissionSetKey: psKey });
        out.importFile.resources.push({
            type: T.assignment,
            name: n,
            logicalName: n,
            parent: "assignments",
            id: `${u.principalId},GROUP,${acct},AWS_ACCOUNT,${u.permissionSetArn},${instance}`,
        });
        needsAssignments = true;
    }
    if (problems.length) throw new AdoptError(problems.join("\n"));
    if (needsAssignments) {
        // The stack's AccountAssignments component exists once the stack has been deployed (`index.ts`).
        out.importFile.nameTable.assignments = `urn:pulumi:${stack}::idfed::${T.assignments}::assignments`;
    }
    return out;
}
