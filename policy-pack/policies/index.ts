/** Every policy of the pack, in the order the pack lists them. */
import { Policies } from "@pulumi/policy";
import { adminPermissionSets, permissionSetDocuments, permissionSetDocumentsAdvisories, prodPermissionBoundaries } from "./permission-sets";
import { expiredGrants, expiredGrantsInConfig, managementAccountAssignments, noUserAssignmentsInProd } from "./assignments";
import { breakGlassRequired, rootUserDenied, stackSetRoleTrust } from "./guardrails";
import { iamDocuments, iamDocumentsAdvisories, serviceControlPolicies, serviceControlPoliciesAdvisories } from "./documents";
import { awsLimits, awsLimitsPerPermissionSet } from "./limits";
import { scimTokenExpired, scimTokenExpiring } from "./secrets";
import { githubOidcTrust, trustPolicies } from "./trust";

/** The idfed policies. Levels: the pack's `mandatory` unless a policy says `advisory`; config overrides both. */
export const policies: Policies = [
    iamDocuments,
    iamDocumentsAdvisories,
    trustPolicies,
    serviceControlPolicies,
    serviceControlPoliciesAdvisories,
    permissionSetDocuments,
    permissionSetDocumentsAdvisories,
    adminPermissionSets,
    prodPermissionBoundaries,
    noUserAssignmentsInProd,
    managementAccountAssignments,
    expiredGrants,
    expiredGrantsInConfig,
    scimTokenExpiring,
    scimTokenExpired,
    awsLimits,
    awsLimitsPerPermissionSet,
    breakGlassRequired,
    rootUserDenied,
    stackSetRoleTrust,
    githubOidcTrust,
];
