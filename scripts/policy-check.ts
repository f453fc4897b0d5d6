/** `npm run --silent policy:check -- <doc.json>...` — see policy-pack/check.ts. */
import { runCheck } from "idfed-policy-pack/check";

process.exitCode = runCheck(process.argv.slice(2));
