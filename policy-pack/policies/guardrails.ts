/**
 * Guardrail policies: prod must keep a protected break-glass path, the root user should be denied by an
 * attached SCP, and the federated roles a SAML StackSet deploys get the same trust analysis as IAM roles.
 * The guardrails are registered by idfed's `components/guardrails/` (type tokens `idfed:guardrails:*`).
 */
import * as cloudformation from "@pulumi/aws/cloudformation";
import { PolicyResource, ResourceValidationPolicy, StackValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import { isUnknownValue, parseDocument } from "../analysis/document";
import { analyzeTrustPolicy } from "../analysis/trust";
import { Unknowns, plain, prop, reportFindings, str } from "./common";
import { ENVIRONMENT_SCHEMA, stackEnvironment } from "./environment";

/** Type tokens the guardrail policies read. */
export const GUARDRAIL_TYPES = {
    breakGlass: "idfed:guardrails:BreakGlass",
    guardrails: "idfed:guardrails:Guardrails",
    identityCenterApp: "idfed:entra:IdentityCenterApp",
    iamUser: "aws:iam/user:User",
    accessKey: "aws:iam/accessKey:AccessKey",
    orgPolicy: "aws:organizations/policy:Policy",
    orgPolicyAttachment: "aws:organizations/policyAttachment:PolicyAttachment",
} as const;

const parentUrn = (r: PolicyResource): string | undefined => r.parent?.urn ?? r.opts.parent;

/** Break-glass users (IAM users under a BreakGlass component) and whether each is protected. */
export function breakGlassUsers(resources: readonly PolicyResource[]): { user: PolicyResource; protected: boolean }[] {
    const components = new Set(resources.filter((r) => r.type === GUARDRAIL_TYPES.breakGlass).map((r) => r.urn));
    return resources
        .filter((r) => r.type === GUARDRAIL_TYPES.iamUser && components.has(parentUrn(r) ?? ""))
        .map((user) => ({ user, protected: user.opts.protect === true }));
}

/** In prod, the stack that owns the federation must hold a protected break-glass path without access keys. */
export const breakGlassRequired: StackValidationPolicy = {
    name: "break-glass-required",
    description:
        "A prod federation stack keeps protected break-glass IAM users (no access keys) that do not depend on Entra or Identity Center.",
    configSchema: { properties: { ...ENVIRONMENT_SCHEMA } },
    validateStack: (args, report) => {
        const { env } = stackEnvironment(args);
        if (!env.prod) return;
        // Assignment shards hold no federation and no guardrails: the shared stack carries break-glass.
        const owner = args.resources.find((r) => r.type === GUARDRAIL_TYPES.identityCenterApp || r.type === GUARDRAIL_TYPES.guardrails);
        if (!owner) return;
        const users = breakGlassUsers(args.resources);
        if (users.length === 0) {
            report(
                `${env.name} (${env.source}) has no break-glass path: when Entra or Identity Center fails nobody can reach the ` +
                    "organization. Enable `idfed:guardrails.breakGlass` (IAM users in the management or security account).",
                owner.urn,
            );
            return;
        }
        for (const u of users) {
            if (!u.protected) {
                report(
                    `break-glass user \`${str(u.user.props, "name") ?? u.user.name}\` is not protected: set \`protect: true\` so no ` +
                        "update can delete it.",
                    u.user.urn,
                );
            }
        }
        const names = new Set(users.map((u) => str(u.user.props, "name")).filter((n): n is string => n !== undefined));
        for (const k of args.resources.filter((r) => r.type === GUARDRAIL_TYPES.accessKey)) {
            const user = prop(k.props, "user");
            if (typeof user === "string" && names.has(user)) {
                report(
                    `break-glass user \`${user}\` has an access key (\`${k.name}\`): break-glass users sign in to the console with MFA only.`,
                    k.urn,
                );
            }
        }
    },
};

/** True when an SCP document denies every action to `arn:aws:iam::*:root` principals. */
export function deniesRootUser(content: unknown): boolean {
    const doc = parseDocument(content);
    if (doc.kind !== "ok") return false;
    return doc.statements.some(
        (s) =>
            s.effect === "Deny" &&
            (s.actions ?? []).includes("*") &&
            s.conditions.some(
                (c) =>
                    c.key === "aws:principalarn" &&
                    /like|equals/i.test(c.operator) &&
                    c.values.some((v) => /^arn:aws[a-z-]*:iam::\*:root$/.test(v)),
            ),
    );
}

/** Advisory in prod: an attached SCP should deny member accounts' root users. */
export const rootUserDenied: StackValidationPolicy = {
    name: "root-user-denied",
    description: "In prod, an attached SCP denies every action by member accounts' root users (aws:PrincipalArn arn:aws:iam::*:root).",
    enforcementLevel: "advisory",
    configSchema: { properties: { ...ENVIRONMENT_SCHEMA } },
    validateStack: (args, report) => {
        const { env } = stackEnvironment(args);
        const owner = args.resources.find((r) => r.type === GUARDRAIL_TYPES.identityCenterApp || r.type === GUARDRAIL_TYPES.guardrails);
        if (!env.prod || !owner) return;
        const unknowns = new Unknowns();
        const denying = new Set<string>();
        const denyingParents = new Set<string>();
        for (const p of args.resources.filter((r) => r.type === GUARDRAIL_TYPES.orgPolicy)) {
            const content = prop(p.props, "content");
            if (unknowns.check(content, `the content of SCP ${p.name}`)) continue;
            if (!deniesRootUser(content)) continue;
            denying.add(p.urn);
            const parent = parentUrn(p);
            if (parent) denyingParents.add(parent);
        }
        // An attachment counts when its policyId depends on a denying SCP, or (without dependency data) when it
        // is a sibling of one (idfed's RootLockdown parents the SCP and its attachments together).
        const attached = args.resources.some(
            (a) =>
                a.type === GUARDRAIL_TYPES.orgPolicyAttachment &&
                ((a.propertyDependencies?.["policyId"] ?? []).some((d) => denying.has(d.urn)) || denyingParents.has(parentUrn(a) ?? "")),
        );
        if (!attached) {
            report(
                `${env.name} (${env.source}): no attached SCP denies member accounts' root users. Enable ` +
                    "`idfed:guardrails.rootLockdown` or attach an equivalent SCP.",
                owner.urn,
            );
        }
        unknowns.finish();
    },
};

/** Replaces CloudFormation `{ Ref: X }` principals with a placeholder SAML provider ARN the analysis understands. */
function resolveRefs(v: unknown): unknown {
    if (Array.isArray(v)) return v.map(resolveRefs);
    if (v !== null && typeof v === "object") {
        const o = v as Record<string, unknown>;
        const keys = Object.keys(o);
        if (keys.length === 1 && keys[0] === "Ref" && typeof o.Ref === "string") return `arn:aws:iam::000000000000:saml-provider/${o.Ref}`;
        return Object.fromEntries(keys.map((k) => [k, resolveRefs(o[k])]));
    }
    return v;
}

/** The trust policies of the `AWS::IAM::Role` resources in a CloudFormation template (JSON). */
export function templateTrustPolicies(templateBody: string): { logicalId: string; document: unknown }[] | "invalid" {
    let t: unknown;
    try {
        t = JSON.parse(templateBody);
    } catch {
        return "invalid";
    }
    const res = plain(prop(t, "Resources"));
    if (res === null || typeof res !== "object") return [];
    const out: { logicalId: string; document: unknown }[] = [];
    for (const [id, r] of Object.entries(res as Record<string, unknown>)) {
        if (prop(r, "Type") !== "AWS::IAM::Role") continue;
        out.push({ logicalId: id, document: resolveRefs(prop(prop(r, "Properties"), "AssumeRolePolicyDocument")) });
    }
    return out;
}

/** Roles in StackSet templates get the trust analysis (SAML:aud, wildcard principals, cross-account conditions). */
export const stackSetRoleTrust: ResourceValidationPolicy = {
    name: "stackset-role-trust",
    description:
        "IAM roles deployed by CloudFormation StackSets have trust policies that name their principals and carry SAML:aud / ExternalId / MFA conditions.",
    validateResource: validateResourceOfType(cloudformation.StackSet, (props, _args, report) => {
        const body = prop(props, "templateBody");
        const unknowns = new Unknowns();
        if (unknowns.check(body, "the StackSet template") || typeof body !== "string") return unknowns.finish();
        const roles = templateTrustPolicies(body);
        if (roles === "invalid") {
            report("the StackSet template is not JSON; the pack can only judge JSON templates (write YAML templates as JSON).");
            return;
        }
        for (const r of roles) {
            if (isUnknownValue(r.document)) continue;
            const what = `role \`${r.logicalId}\` of the StackSet template`;
            reportFindings(analyzeTrustPolicy(r.document, {}, what).findings, "mandatory", report, `${what}: `);
        }
    }),
};
