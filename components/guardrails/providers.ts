import * as pulumi from "@pulumi/pulumi";
import { Provider } from "@pulumi/aws/provider";

/** How the guardrails reach member accounts. */
export interface AccountAccess {
    /** The account the program runs in (the organization's management account). */
    managementAccountId: string;
    /** Role assumed in member accounts (e.g. `OrganizationAccountAccessRole`). */
    roleName: string;
    /** Region of the per-account providers (the stack's `aws:region`). */
    region?: string;
}

/**
 * Per-account AWS providers that assume `roleName` in the account, created once per account and parented to
 * the component asking for them. The management account uses the program's default provider (undefined).
 */
export class AccountProviders {
    private readonly cache = new Map<string, Provider>();

    constructor(
        private readonly parent: pulumi.Resource,
        private readonly prefix: string,
        private readonly access: AccountAccess,
    ) {}

    /** The provider for `accountId`, or undefined for the management account. */
    get(accountId: string): Provider | undefined {
        if (accountId === this.access.managementAccountId) return undefined;
        let p = this.cache.get(accountId);
        if (!p) {
            p = new Provider(
                `${this.prefix}-${accountId}`,
                {
                    assumeRoles: [{ roleArn: `arn:aws:iam::${accountId}:role/${this.access.roleName}`, sessionName: "idfed-guardrails" }],
                    allowedAccountIds: [accountId],
                    ...(this.access.region ? { region: this.access.region } : {}),
                },
                { parent: this.parent },
            );
            this.cache.set(accountId, p);
        }
        return p;
    }

    /** Options for a child of `parent` that lives in `accountId`. */
    opts(parent: pulumi.Resource, accountId: string, extra: pulumi.CustomResourceOptions = {}): pulumi.CustomResourceOptions {
        const provider = this.get(accountId);
        return { parent, ...(provider ? { provider } : {}), ...extra };
    }
}
