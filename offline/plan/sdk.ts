/**
 * The one adapter over @pulumi/pulumi internals that the offline plan relies on: the mock monitor's
 * registration calls (wrapped to capture what the program registers) and the runtime's wait for outstanding
 * RPCs. Neither is in the SDK's typings; test/sdk-adapters.test.ts fails when an SDK update changes them.
 */
import * as pulumi from "@pulumi/pulumi";

/** The monitor calls the plan wraps (the mock monitor of `pulumi.runtime.setMocks`). */
export interface MonitorLike {
    readResource(
        req: { getType(): string; getName(): string; getParent(): string; getProperties(): unknown },
        cb: (err: unknown, resp?: { getUrn(): string }) => void,
    ): void;
    registerResource(
        req: {
            getType(): string;
            getName(): string;
            getParent(): string;
            getProtect(): boolean;
            getCustom(): boolean;
            getObject(): unknown;
            getDependenciesList(): string[];
        },
        cb: (err: unknown, resp?: { getUrn(): string }) => void,
    ): void;
    registerResourceOutputs(req: { getUrn(): string; getOutputs(): unknown }, cb: (err: unknown, resp?: unknown) => void): void;
}

/** The monitor installed by `setMocks`, with the calls {@link MonitorLike} names (throws if the SDK changed them). */
export function mockMonitor(): MonitorLike {
    const m = pulumi.runtime.getMonitor() as unknown as Partial<MonitorLike> | undefined;
    for (const call of ["readResource", "registerResource", "registerResourceOutputs"] as const) {
        if (typeof m?.[call] !== "function")
            throw new Error(`@pulumi/pulumi changed: the mock monitor has no ${call}() (offline/plan/sdk.ts)`);
    }
    return m as MonitorLike;
}

/** Waits until every RPC the program started has finished (`runtime/settings.waitForRPCs`). */
export async function waitForRPCs(): Promise<void> {
    const settings = require("@pulumi/pulumi/runtime/settings") as { waitForRPCs?: () => Promise<void> };
    if (typeof settings.waitForRPCs !== "function")
        throw new Error("@pulumi/pulumi changed: runtime/settings has no waitForRPCs() (offline/plan/sdk.ts)");
    await settings.waitForRPCs();
}
