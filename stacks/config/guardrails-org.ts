/**
 * Parsers of the organization-level guardrail sections: root lock-down, SAML via StackSets and audit.
 * Pure, no Pulumi.
 */
import type { AuditModel, RootLockdownModel, SamlRoleModel, SamlStackSetsModel } from "../model/guardrails";
import { IAM_NAME_RE, POLICY_ARN_RE, ROLE_ARN_RE, ROLE_NAME_RE } from "../input/iam-names";

export { IAM_NAME_RE, POLICY_ARN_RE, ROLE_ARN_RE, ROLE_NAME_RE };
import { readRepoFile } from "../input/repo-file";
import { at, bool, checkKeys, checkOuId, expectObject, Issues, own, show, str, stringList } from "../input/validate";

import {
    accounts,
    BUCKET_RE,
    GuardrailsContext,
    int,
    keyed,
    parseAlerts,
    policyArns,
    RESOURCE_NAME_RE,
    sessionSeconds,
} from "./guardrails-common";

/** Parses `rootLockdown`. */
export function parseRootLockdown(v: unknown, path: string, issues: Issues): RootLockdownModel | undefined {
    const o = expectObject(v, path, issues);
    if (!o) return undefined;
    checkKeys(o, ["enabled", "targets", "exemptAccounts", "alertEmails", "alertSubscriptions"], path, issues);
    return {
        enabled: bool(o, "enabled", path, issues, false),
        targets: stringList(o, "targets", path, issues, (x, p) => checkOuId(x, p, issues, true)),
        exemptAccounts: accounts(o, "exemptAccounts", path, issues),
        alerts: parseAlerts(o, path, issues),
    };
}

function readMetadata(
    o: Record<string, unknown>,
    path: string,
    issues: Issues,
    ctx: GuardrailsContext,
): { xml: string; source: string } | undefined {
    const inline = str(o, "metadataXml", path, issues, { max: 100_000, expected: "the federation metadata XML", multiline: true });
    const file = str(o, "metadataFile", path, issues, { max: 1024, expected: "a repo-relative .xml path" });
    if ((inline === undefined) === (file === undefined)) {
        issues.add(
            path,
            "needs exactly one of `metadataFile` (repo-relative path to the Entra app's federation metadata XML) " +
                "or `metadataXml`; a StackSet template cannot fetch the metadata URL",
        );
        return undefined;
    }
    let xml = inline ?? "";
    let source = "inline";
    if (file !== undefined) {
        const fp = at(path, "metadataFile");
        const read = readRepoFile(
            file,
            fp,
            { projectRoot: ctx.projectRoot ?? ".", ext: ".xml", what: "SAML metadata file", readFile: ctx.readFile },
            issues,
        );
        if (read === undefined) return undefined;
        xml = read.text;
        source = file;
    }
    if (!/<(?:\w+:)?EntityDescriptor[\s>]/.test(xml) || !/<(?:\w+:)?X509Certificate>/.test(xml)) {
        issues.add(
            at(path, file !== undefined ? "metadataFile" : "metadataXml"),
            `${source === "inline" ? "the XML" : show(source)} is not SAML ` +
                "federation metadata (no EntityDescriptor with an X509Certificate)",
        );
        return undefined;
    }
    if (xml.length > 40_000) {
        issues.add(path, `the metadata is ${xml.length} characters; with the roles it must fit a 51,200-byte StackSet template`);
        return undefined;
    }
    return { xml, source };
}

/** Parses `samlStackSets`. */
export function parseSamlStackSets(v: unknown, path: string, issues: Issues, ctx: GuardrailsContext): SamlStackSetsModel | undefined {
    const o = expectObject(v, path, issues);
    if (!o) return undefined;
    checkKeys(o, ["enabled", "targets", "providerName", "metadataFile", "metadataXml", "callAs", "stackSetName", "roles"], path, issues);
    const enabled = bool(o, "enabled", path, issues, false);
    const targets = stringList(o, "targets", path, issues, (x, p) => checkOuId(x, p, issues, true));
    if (enabled && targets.length === 0)
        issues.add(at(path, "targets"), "is required when enabled (OU ids such as ou-ab12-workload, or the root r-xxxx)");
    const callAs = str(o, "callAs", path, issues, { expected: "SELF or DELEGATED_ADMIN" }) ?? "SELF";
    if (callAs !== "SELF" && callAs !== "DELEGATED_ADMIN")
        issues.add(at(path, "callAs"), `${show(callAs)} is not allowed (expected SELF or DELEGATED_ADMIN)`);
    const roles = keyed<SamlRoleModel>(o, "roles", path, issues, (key, r, p) => {
        checkKeys(r, ["roleName", "policies", "maxSessionDuration"], p, issues);
        const policies = policyArns(r, "policies", p, issues);
        if (policies.length === 0) issues.add(at(p, "policies"), "is required (at least one managed policy ARN)");
        return {
            key,
            roleName: str(r, "roleName", p, issues, { pattern: ROLE_NAME_RE, expected: "an IAM role name" }) ?? `Entra-${key}`,
            policyArns: policies,
            maxSessionDurationSeconds: sessionSeconds(r, p, issues),
        };
    });
    if (enabled && roles.length === 0 && own(o, "roles") === undefined)
        issues.add(at(path, "roles"), "is required when enabled (at least one role)");
    const metadata = readMetadata(o, path, issues, ctx);
    if (!metadata) return undefined;
    return {
        enabled,
        targets,
        providerName:
            str(o, "providerName", path, issues, { pattern: /^[\w.-]{1,128}$/, expected: "a SAML provider name ([\\w.-], ≤ 128)" }) ??
            "EntraID",
        metadataXml: metadata.xml,
        metadataSource: metadata.source,
        callAs: callAs === "DELEGATED_ADMIN" ? "DELEGATED_ADMIN" : "SELF",
        stackSetName:
            str(o, "stackSetName", path, issues, { pattern: RESOURCE_NAME_RE, expected: "a StackSet name" }) ?? "idfed-saml-federation",
        roles,
    };
}

/** Parses `audit`. */
export function parseAudit(v: unknown, path: string, issues: Issues): AuditModel | undefined {
    const o = expectObject(v, path, issues);
    if (!o) return undefined;
    checkKeys(
        o,
        ["enabled", "trailName", "bucketName", "archiveAfterDays", "retentionDays", "alertEmails", "alertSubscriptions"],
        path,
        issues,
    );
    const bucketName = str(o, "bucketName", path, issues, {
        pattern: BUCKET_RE,
        expected: "an S3 bucket name (3–63 lowercase letters, digits, dots, dashes)",
    });
    const archiveAfterDays = int(o, "archiveAfterDays", path, issues, 30, 3650, 90);
    const retentionDays = int(o, "retentionDays", path, issues, 90, 36500, 2555);
    if (retentionDays <= archiveAfterDays) {
        issues.add(at(path, "retentionDays"), `${show(retentionDays)} must be greater than \`archiveAfterDays\` (${archiveAfterDays})`);
    }
    return {
        enabled: bool(o, "enabled", path, issues, false),
        trailName:
            str(o, "trailName", path, issues, { pattern: RESOURCE_NAME_RE, expected: "a trail name (letters, digits, _ and -)" }) ??
            "idfed-org-trail",
        ...(bucketName !== undefined ? { bucketName } : {}),
        archiveAfterDays,
        retentionDays,
        alerts: parseAlerts(o, path, issues),
    };
}
