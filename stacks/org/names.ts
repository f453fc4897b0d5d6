/**
 * Resource names of account assignments, and the check that two different grants never share one. Keys may
 * contain hyphens, so `<account>-<group>-<permission set>` is ambiguous (group `a-b` with set `c` and group
 * `a` with set `b-c`). Existing names are kept (no churn); a collision is a config error (exit 2).
 */
import { ConfigIssue, Grant } from "../model";

/** Resource name of one assignment: from (account id, group key, permission-set key) only. */
export function assignmentResourceName(prefix: string, g: Pick<Grant, "accountId" | "groupKey" | "permissionSetKey">): string {
    return `${prefix}-${g.accountId}-${g.groupKey}-${g.permissionSetKey}`;
}

/** One issue per resource name that two or more different grants would share. */
export function assignmentNameCollisions(grants: readonly Pick<Grant, "accountId" | "groupKey" | "permissionSetKey">[]): ConfigIssue[] {
    const byName = new Map<string, Pick<Grant, "accountId" | "groupKey" | "permissionSetKey">[]>();
    for (const g of grants) {
        const n = assignmentResourceName("assignments", g);
        const list = byName.get(n);
        if (list === undefined) byName.set(n, [g]);
        else if (!list.some((x) => x.groupKey === g.groupKey && x.permissionSetKey === g.permissionSetKey)) list.push(g);
    }
    const issues: ConfigIssue[] = [];
    for (const [name, list] of byName) {
        if (list.length < 2) continue;
        const pairs = list.map((g) => `group \`${g.groupKey}\` + permission set \`${g.permissionSetKey}\``).join(" and ");
        issues.push({
            path: `idfed:groups.${list[1].groupKey}`,
            message:
                `\`idfed:groups.${list[1].groupKey}\`: in account ${list[0].accountId}, ${pairs} give the same resource name ` +
                `\`${name}\` (keys contain hyphens); rename one of the keys (e.g. \`${list[1].groupKey}\` → \`${list[1].groupKey.replace(/-/g, "")}\`) ` +
                "so every grant has its own name",
        });
    }
    return issues;
}
