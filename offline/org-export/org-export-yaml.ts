/**
 * Serializes an {@link OrgSnapshot} as an org fixture and checks it with the fixture parser the plan uses, so a
 * snapshot the plan cannot read is never written.
 */
import { stringify } from "yaml";
import { parseOrgFixture } from "../../stacks/org/fixture";
import type { OrgSnapshot } from "./org-export";

/** The fixture text of a snapshot; throws (naming the file) when the org fixture parser rejects it. */
export function snapshotYaml(snapshot: OrgSnapshot, file: string): string {
    const header = [
        `# Snapshot of the AWS Organization and IAM Identity Center, written by \`npm run org:export\` (read-only).`,
        "# Do not edit by hand: the scheduled org-snapshot workflow replaces it and opens a PR when the organization changed.",
    ].join("\n");
    const text = `${header}\n${stringify(snapshot, { lineWidth: 0, aliasDuplicateObjects: false })}`;
    parseOrgFixture(text, file);
    return text;
}
