/**
 * IAM name, path and ARN patterns, declared once (IAM's documented character set `[\w+=,.@-]` and its
 * lengths: role and user names 64, policy names 128, permission set names 32, path segments 64).
 */

/** One IAM name character: letters, digits and `+ = , . @ _ -`. */
const C = "[\\w+=,.@-]";
const re = (source: string) => new RegExp(`^${source}$`);
const PARTITION = "arn:aws(?:-us-gov|-cn)?";

/** IAM role (and user, group) name: 1–64 name characters. */
export const ROLE_NAME_RE = re(`${C}{1,64}`);
/** IAM user or group name: the same rule as roles. */
export const IAM_NAME_RE = ROLE_NAME_RE;
/** IAM policy name: 1–128 name characters. */
export const POLICY_NAME_RE = re(`${C}{1,128}`);
/** Identity Center permission set name: 1–32 name characters. */
export const PERMISSION_SET_NAME_RE = re(`${C}{1,32}`);
/** IAM path: `/`, or `/a/b/` with segments of 1–64 name characters. */
export const IAM_PATH_RE = re(`\\/(?:${C}{1,64}\\/){0,16}`);
/** ARN of an AWS-managed or customer-managed IAM policy (any path). */
export const POLICY_ARN_RE = re(`${PARTITION}:iam::(?:aws|\\d{12}):policy\\/(?:${C}{1,128}\\/){0,8}${C}{1,128}`);
/** ARN of an AWS-managed IAM policy (any path: `job-function/`, `service-role/`, …). */
export const MANAGED_POLICY_ARN_RE = re(`${PARTITION}:iam::aws:policy\\/(?:${C}{1,128}\\/){0,8}${C}{1,128}`);
/** ARN of an IAM role; group 1 is the account id. */
export const ROLE_ARN_RE = re(`${PARTITION}:iam::(\\d{12}):role\\/(?:${C}{1,64}\\/){0,8}${C}{1,64}`);
