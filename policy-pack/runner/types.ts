/**
 * What the pack runner exchanges with its callers (the offline plan, the benchmark, tests): the captured
 * resources it judges and the diagnostics it returns. Types only.
 */

/** A resource as the offline plan captured it. For components, `props` are the registered outputs. */
export interface CapturedResource {
    urn: string;
    type: string;
    name: string;
    /** Parent URN. */
    parent?: string;
    /** Inputs (sent to Analyze, and to AnalyzeStack when `outputs` is absent). For components: registered outputs. */
    props: Record<string, unknown>;
    /** Outputs (sent to AnalyzeStack, as the engine does): a component's registered outputs, a resource's state. */
    outputs?: Record<string, unknown>;
    protect?: boolean;
    /** Read, not managed (a `StackReference` or `Resource.get`). */
    read?: boolean;
    /** True for custom (provider-backed) resources: only they get an Analyze call. */
    custom: boolean;
    /** Provider reference (`urn::id`), informational. */
    provider?: string;
    /** URNs this resource depends on. */
    dependencies?: string[];
    /** Per input property, the URNs it depends on (e.g. `permissionSetArn` → the PermissionSet's URN). */
    propertyDependencies?: Record<string, string[]>;
}

/** One policy diagnostic. */
export interface Violation {
    policy: string;
    level: "advisory" | "mandatory" | "remediate";
    urn?: string;
    message: string;
}
