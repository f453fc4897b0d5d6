/** The guardrails components (one per file); see `guardrails.ts` for the aggregate the program creates. */
export * from "./alerts";
export * from "./audit";
export * from "./breakGlass";
export * from "./crossAccountRoles";
export * from "./guardrails";
export * from "./iamUsers";
export * from "./jitAccess";
export * from "./providers";
export * from "./rootLockdown";
export * from "./samlStackSet";
