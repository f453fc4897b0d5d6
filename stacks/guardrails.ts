/**
 * Hook for `idfed:guardrails`. Its parser is owned by another change: replace the body of
 * {@link parseGuardrailsHook} (keep the signature) to validate the value, recording problems in `issues`
 * so they are reported with every other config error.
 */
import { Issues } from "./validate";

/**
 * Validates `idfed:guardrails` and returns what goes into `StackModel.guardrails`. For now the value is
 * passed through unchanged (undefined when not configured). `path` is `idfed:guardrails`.
 */
export function parseGuardrailsHook(value: unknown, path: string, issues: Issues): unknown {
    void path;
    void issues;
    return value === null ? undefined : value;
}
