/**
 * The nightly expiry job's decision (`npm run --silent gitops:expired-targets -- --stack S --plan plan.json
 * --preview preview.json`): from the offline plan's `expired` grants and `pulumi preview --json`, the exact
 * URNs of the account assignments to delete. A step is a target only when it is a delete whose URN equals,
 * character for character, the URN of an expired grant's assignment; any other pending change fails the job
 * (it belongs to the deploy workflow). Prints one URN per line; exit 1 with the other changes listed.
 */
/** The project name (Pulumi.yaml `name`). */
export const PROJECT = "idfed";
/** Type chain of an account assignment under the root `AccountAssignments` component named `assignments`. */
const ASSIGNMENT_TYPE = "idfed:aws:AccountAssignments$aws:ssoadmin/accountAssignment:AccountAssignment";
/** Steps that change nothing. */
const NO_CHANGE = new Set(["same", "read", "refresh"]);

/** An expired grant as the offline plan's JSON lists it. */
export interface ExpiredGrant {
    readonly accountId: string;
    readonly group: string;
    readonly permissionSet: string;
}

/** The exact URN of the assignment of one grant in a stack. */
export function assignmentUrn(stack: string, g: ExpiredGrant, project = PROJECT): string {
    return `urn:pulumi:${stack}::${project}::${ASSIGNMENT_TYPE}::assignments-${g.accountId}-${g.group}-${g.permissionSet}`;
}

/** Targets to delete and every other pending change (each `<op> <urn>`). */
export function expiredTargets(
    stack: string,
    expired: readonly ExpiredGrant[],
    steps: ReadonlyArray<{ op?: unknown; urn?: unknown }>,
): { targets: string[]; other: string[] } {
    const wanted = new Set(expired.map((g) => assignmentUrn(stack, g)));
    const targets: string[] = [];
    const other: string[] = [];
    for (const s of steps) {
        const op = String(s.op ?? "");
        const urn = String(s.urn ?? "");
        if (NO_CHANGE.has(op)) continue;
        if (op === "delete" && wanted.has(urn)) targets.push(urn);
        else other.push(`${op} ${urn}`);
    }
    return { targets: [...new Set(targets)].sort(), other };
}
