/**
 * `idfed:gitops`: the cloud side of the GitOps credentials (GitHub OIDC provider, deploy role, Entra
 * federated identity credentials), validated here with the component's own rules so a wildcard trust is
 * reported with every other config error, before any resource is registered.
 */
import { GitHubOidcTrustArgs, validateGitHubOidcTrustArgs } from "../../components/githubOidc";
import { at, bool, checkKeys, checkString, expectObject, Issues, isGuid, own, show, str, stringList } from "../input/validate";

/** The validated `idfed:gitops` block. */
export type GitOpsModel = { readonly enabled: false } | { readonly enabled: true; readonly trust: GitHubOidcTrustArgs };

const KEYS = ["enabled", "repository", "subjects", "deployRoleName", "deployRolePath", "maxSessionDuration",
    "managedPolicyArns", "permissionsBoundaryArn", "existingProviderArn", "entraApplicationObjectId"] as const;

/** Parses `idfed:gitops` (absent or `enabled: false` = not managed by this stack). */
export function parseGitOps(value: unknown, path: string, issues: Issues): GitOpsModel {
    if (value === undefined || value === null) return { enabled: false };
    const o = expectObject(value, path, issues);
    if (o === undefined) return { enabled: false };
    checkKeys(o, KEYS, path, issues);
    const enabled = bool(o, "enabled", path, issues, true);
    if (!enabled) return { enabled: false };
    const before = issues.count;
    const repository = str(o, "repository", path, issues, { required: true, expected: "owner/name" }) ?? "";
    const text = (v: unknown, p: string) => checkString(v, p, issues);
    const subjects = stringList(o, "subjects", path, issues, text);
    const deployRoleName = str(o, "deployRoleName", path, issues, { required: true, expected: "an IAM role name" }) ?? "";
    const deployRolePath = str(o, "deployRolePath", path, issues, { pattern: /^\/(?:[\w+=,.@-]{1,64}\/)*$/, expected: "an IAM path such as /idfed/" });
    const maxRaw = own(o, "maxSessionDuration");
    let maxSessionDuration: number | undefined;
    if (maxRaw !== undefined && maxRaw !== null) {
        if (typeof maxRaw === "number") maxSessionDuration = maxRaw;
        else issues.add(at(path, "maxSessionDuration"), `expected seconds as a number (3600–43200), got ${show(maxRaw)}`);
    }
    const managedPolicyArns = stringList(o, "managedPolicyArns", path, issues,
        (v, p) => checkString(v, p, issues, { pattern: /^arn:aws[\w-]*:iam::(?:aws|\d{12}):policy\//, expected: "an IAM policy ARN" }));
    const permissionsBoundaryArn = str(o, "permissionsBoundaryArn", path, issues, { pattern: /^arn:aws[\w-]*:iam::(?:aws|\d{12}):policy\//, expected: "an IAM policy ARN" });
    const existingProviderArn = str(o, "existingProviderArn", path, issues, { pattern: /^arn:aws[\w-]*:iam::\d{12}:oidc-provider\/token\.actions\.githubusercontent\.com$/, expected: "the ARN of GitHub's OIDC provider" });
    const entraApplicationObjectId = str(o, "entraApplicationObjectId", path, issues);
    if (entraApplicationObjectId !== undefined && !isGuid(entraApplicationObjectId)) {
        issues.add(at(path, "entraApplicationObjectId"), `${show(entraApplicationObjectId)} is not a GUID (the object id of the Entra application)`);
    }
    const trust: GitHubOidcTrustArgs = {
        repository, subjects, deployRoleName, deployRolePath, maxSessionDuration,
        managedPolicyArns, permissionsBoundaryArn, existingProviderArn, entraApplicationObjectId,
    };
    if (issues.count === before) {
        // The component's own rules (no wildcard repository or subject), reported under the config keys.
        for (const problem of validateGitHubOidcTrustArgs(trust)) {
            const key = /^`([A-Za-z]+)(\[\d+\])?`/.exec(problem);
            issues.add(key ? `${at(path, key[1])}${key[2] ?? ""}` : path, problem.replace(/^`[^`]+`: /, ""));
        }
    }
    return { enabled: true, trust };
}
