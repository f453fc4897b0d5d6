/** Parser of `idfed:groups`: Entra groups federated into Identity Center, keyed by a stable config key. */
import { EntraGroupSource, GroupModel } from "../model";
import {
    at,
    checkKeys,
    checkString,
    compareStrings,
    expectObject,
    GUID_RE,
    has,
    Issues,
    KEY_RE,
    own,
    show,
    str,
    stringList,
} from "../input/validate";

const GROUP_KEYS = ["displayName", "create", "existing", "description", "owners"] as const;
const EXISTING_KEYS = ["objectId", "displayName"] as const;

/** Checks a config key of `idfed:groups` / `idfed:permissionSets`; records an issue when it is invalid. */
export function checkConfigKey(key: string, path: string, issues: Issues): boolean {
    if (KEY_RE.test(key)) return true;
    issues.add(
        path,
        `${show(key)} is not a valid key (expected /^[a-z][a-z0-9-]{0,39}$/: lowercase letter, ` +
            "then up to 39 lowercase letters, digits or dashes)",
    );
    return false;
}

/** The valid config keys of a keyed mapping (for reference checks even when entries are invalid). */
export function validKeys(value: unknown): Set<string> {
    const out = new Set<string>();
    if (value === null || typeof value !== "object" || Array.isArray(value)) return out;
    for (const k of Object.keys(value)) if (KEY_RE.test(k)) out.add(k);
    return out;
}

function parseSource(
    o: Record<string, unknown>,
    path: string,
    displayName: string | undefined,
    issues: Issues,
): EntraGroupSource | undefined {
    const createRaw = own(o, "create");
    if (createRaw !== undefined && createRaw !== null && typeof createRaw !== "boolean") {
        issues.add(at(path, "create"), `expected a boolean (true or false), got ${show(createRaw)}`);
        return undefined;
    }
    const existingRaw = own(o, "existing");
    if (existingRaw === undefined || existingRaw === null) {
        if (createRaw === false) {
            issues.add(
                at(path, "create"),
                "is false but no `existing` group is given; set `existing: { objectId }` " +
                    "or `existing: { displayName }`, or remove `create: false`",
            );
            return undefined;
        }
        return displayName === undefined ? undefined : { kind: "create", displayName };
    }
    const ep = at(path, "existing");
    if (createRaw === true) {
        issues.add(
            at(path, "create"),
            "is true but `existing` is also given; a group is either created by this " +
                "stack (create: true) or looked up (existing), not both — remove one",
        );
        return undefined;
    }
    const e = expectObject(existingRaw, ep, issues);
    if (!e) return undefined;
    checkKeys(e, EXISTING_KEYS, ep, issues);
    if (has(e, "objectId") === has(e, "displayName")) {
        issues.add(ep, `${show(e)} must have exactly one of \`objectId\` (GUID) or \`displayName\``);
        return undefined;
    }
    if (has(e, "objectId")) {
        const objectId = str(e, "objectId", ep, issues, { pattern: GUID_RE, expected: "an Entra object id (GUID)", max: 36 });
        return objectId === undefined || displayName === undefined
            ? undefined
            : { kind: "existingById", objectId: objectId.toLowerCase(), displayName };
    }
    const name = str(e, "displayName", ep, issues, { max: 256 });
    if (name === undefined || displayName === undefined) return undefined;
    if (name !== displayName) {
        issues.add(
            at(ep, "displayName"),
            `${show(name)} differs from \`${at(path, "displayName")}\` ${show(displayName)}; ` +
                "SCIM gives the Identity Center group the Entra display name, so make them equal",
        );
        return undefined;
    }
    return { kind: "existingByName", displayName };
}

function parseGroup(key: string, v: unknown, path: string, issues: Issues): GroupModel | undefined {
    const o = expectObject(v, path, issues);
    if (!o) return undefined;
    checkKeys(o, GROUP_KEYS, path, issues);
    const displayName = str(o, "displayName", path, issues, { required: true, expected: "the Entra group display name", max: 256 });
    const description = str(o, "description", path, issues, { max: 1024, multiline: true });
    const source = parseSource(o, path, displayName, issues);
    const owners = stringList(o, "owners", path, issues, (x, p) =>
        checkString(x, p, issues, { pattern: GUID_RE, expected: "an Entra object id (GUID)", max: 36 })?.toLowerCase(),
    );
    if (owners.length > 0 && source !== undefined && source.kind !== "create") {
        issues.add(
            at(path, "owners"),
            `${show(owners)} can only be set on groups this stack creates; ` +
                "manage owners of existing groups in Entra, or remove `owners`",
        );
    }
    if (displayName === undefined || source === undefined) return undefined;
    return { key, source, displayName, ...(description !== undefined ? { description } : {}), owners };
}

/** Parses `idfed:groups` into groups sorted by key; duplicate display names are errors. */
export function parseGroups(value: unknown, issues: Issues): GroupModel[] {
    const path = "idfed:groups";
    if (value === undefined || value === null) return [];
    const o = expectObject(value, path, issues);
    if (!o) return [];
    const out: GroupModel[] = [];
    const byName = new Map<string, string>();
    for (const key of Object.keys(o).sort(compareStrings)) {
        const p = at(path, key);
        if (!checkConfigKey(key, p, issues)) continue;
        const g = parseGroup(key, o[key], p, issues);
        if (!g) continue;
        const other = byName.get(g.displayName);
        if (other !== undefined) {
            issues.add(
                at(p, "displayName"),
                `${show(g.displayName)} is also the display name of group \`${other}\`; ` +
                    "Identity Center group names are unique, so give each group its own display name",
            );
            continue;
        }
        byName.set(g.displayName, key);
        out.push(g);
    }
    return out;
}
