import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { stringify } from "yaml";
import { planCli } from "../scripts/plan";
import { stackConfig } from "./helpers";

const TOKEN = "scim-tok-3f9a1c7e-NEVER-PRINT-ME";

/**
 * The SCIM token in printed output and in the shipped files. Its secrecy in the registered resources is tested on the
 * component (test/components/identityCenterApp.test.ts) and across the whole prod program (test/program.test.ts).
 */
describe("the SCIM token stays a secret end to end", function () {
    it("never appears in plan output, in any format, even when the config file holds it in clear", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "idfed-secret-"));
        try {
            const config = stackConfig("prod");
            config["idfed:scimToken"] = TOKEN;
            const file = path.join(dir, "Pulumi.prod.yaml");
            // In prod a plaintext token is an error (exit 2) that names the key, never the token.
            fs.writeFileSync(file, stringify({ config }));
            let prodErr = "";
            assert.equal(
                await planCli(["--stack", "prod", "--config", file, "--at", "2026-11-23"], {
                    stdout: () => undefined,
                    stderr: (t) => {
                        prodErr += t;
                    },
                }),
                2,
            );
            assert.match(prodErr, /`idfed:scimToken` is in plain text in Pulumi\.prod\.yaml/);
            assert.ok(!prodErr.includes(TOKEN), prodErr);
            // Elsewhere it is a warning, and the plan still never prints the token.
            config["idfed:environment"] = "staging";
            fs.writeFileSync(file, stringify({ config }));
            for (const format of ["text", "markdown", "json"]) {
                let out = "";
                const code = await planCli(["--stack", "prod", "--config", file, "--format", format, "--at", "2026-11-23"], {
                    stdout: (t) => {
                        out += t;
                    },
                    stderr: (t) => {
                        out += t;
                    },
                });
                assert.ok(code === 0 || code === 1, `exit ${code}: ${out.slice(0, 400)}`);
                assert.ok(out.length > 500);
                assert.ok(!out.includes(TOKEN), `token printed in ${format} output`);
                assert.match(out, /warning: .*idfed:scimToken.* is in plain text/, format);
            }
            // A bad config next to the token: the error names keys, never the token.
            (config["idfed:entra"] as { tenantId: string }).tenantId = "nope";
            config["idfed:scimTokn"] = TOKEN;
            fs.writeFileSync(file, stringify({ config }));
            let err = "";
            assert.equal(
                await planCli(["--stack", "prod", "--config", file], {
                    stdout: () => undefined,
                    stderr: (t) => {
                        err += t;
                    },
                }),
                2,
            );
            assert.match(err, /idfed:entra\.tenantId/);
            assert.ok(!err.includes(TOKEN), err);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("the shipped stack files hold only secure (encrypted) token values", () => {
        for (const stack of ["dev", "prod"]) {
            const text = fs.readFileSync(path.join(__dirname, "..", `Pulumi.${stack}.yaml`), "utf8");
            assert.match(text, /idfed:scimToken:\s*\n\s*secure: v1:/);
        }
    });
});
