/** The validated `idfed:shard` (types only; parsed by `stacks/config/shard.ts`). */
/** How this stack takes part in a sharded deployment. */
export type ShardModel =
    | { readonly role: "single" }
    | { readonly role: "shared" }
    | {
          readonly role: "assignments";
          /** Stack reference of the shared stack (`org/project/stack`, `project/stack` or `stack`). */
          readonly sharedStack: string;
          /** OUs whose accounts (recursively) this shard owns. */
          readonly ous: readonly string[];
          /** Accounts this shard owns explicitly. */
          readonly accounts: readonly string[];
      };
