/** Which environment a stack is, for the prod-only rules. */
import { StackValidationArgs } from "@pulumi/policy";
import { config, JsonSchema } from "./common";
import { StackView, stackView } from "./stack-model";

/** Settings shared by the prod-only policies. */
export interface EnvironmentConfig {
    /**
     * `auto` (default): the AccountAssignments component's `environment` output, else the `environment` stack
     * tag, else the stack name; a stack whose environment cannot be told is treated as prod (strict).
     */
    environment: string;
    /** Environment names that get the prod rules. Default `["prod", "production"]`. */
    prodEnvironments: string[];
}

/** Defaults of {@link EnvironmentConfig}. */
export const ENVIRONMENT_DEFAULTS: EnvironmentConfig = { environment: "auto", prodEnvironments: ["prod", "production"] };

/** JSON-schema properties of {@link EnvironmentConfig}. */
export const ENVIRONMENT_SCHEMA: Record<string, JsonSchema> = {
    environment: {
        type: "string",
        default: "auto",
        description:
            "The stack's environment, or `auto` to read it from the AccountAssignments metadata, the `environment` stack tag or the stack name (unknown → prod).",
    },
    prodEnvironments: {
        type: "array",
        items: { type: "string" },
        default: ["prod", "production"],
        description: "Environment names that get the prod-only rules.",
    },
};

/** The environment name and whether the prod rules apply, with how it was decided (for messages). */
export function resolveEnvironment(
    cfg: EnvironmentConfig,
    view: StackView,
    stackTags: ReadonlyMap<string, string>,
): { name: string; prod: boolean; source: string } {
    const prodSet = new Set(cfg.prodEnvironments.map((e) => e.toLowerCase()));
    const decide = (name: string, source: string) => ({ name, prod: prodSet.has(name.toLowerCase()), source });
    if (cfg.environment && cfg.environment !== "auto") return decide(cfg.environment, "policy config `environment`");
    if (view.environment) return decide(view.environment, "the AccountAssignments metadata");
    const tag = stackTags.get("environment");
    if (tag) return decide(tag, "the `environment` stack tag");
    const stack = process.env.PULUMI_STACK ?? process.env.PULUMI_NODEJS_STACK;
    if (stack) {
        const last = stack.split("/").pop() ?? stack;
        return decide(last, "the stack name");
    }
    return { name: "unknown", prod: true, source: "no environment could be told, so the prod rules apply" };
}

/** A stack policy's view of the stack and its environment (from the policy's environment config). */
export function stackEnvironment(args: StackValidationArgs): { env: ReturnType<typeof resolveEnvironment>; view: StackView } {
    const cfg = config<EnvironmentConfig>(args, ENVIRONMENT_DEFAULTS);
    const view = stackView(args.resources);
    return { env: resolveEnvironment(cfg, view, args.stackTags), view };
}
