/**
 * A fast path for reading YAML files (stack config, org fixture). The `yaml` package keeps a full document
 * model with positions, which costs ~100–300 ms for a 120 KB file: most of the offline plan's validation time
 * at scale. Plain files (no anchors, aliases or tags; no duplicate keys; valid syntax) are read with js-yaml's
 * YAML 1.2 core schema, which gives the same values in ~10–40 ms. Anything else returns undefined and the
 * caller takes its full path, with its line-numbered errors and alias rules.
 */
import { CORE_SCHEMA, load } from "js-yaml";

/** A token that may start an anchor, alias or tag (`&a`, `*a`, `!t`) after whitespace or a flow indicator. */
const SPECIAL = /(^|[\s[{,])[&*!][^\s,[\]{}]/m;

/**
 * The value of a plain YAML text, or undefined when the text needs the full parser (anchors, aliases or tags,
 * or any error, including duplicate keys). Values equal the `yaml` package's for the core schema (except `-0`, read as 0).
 */
export function loadPlainYaml(text: string): unknown | undefined {
    if (SPECIAL.test(text)) return undefined;
    try {
        return load(text, { schema: CORE_SCHEMA, json: false });
    } catch {
        return undefined;
    }
}
