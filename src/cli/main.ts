// The `decloud` executable (bin/decloud.js imports this file).
import { run } from "./program.js";

process.exitCode = await run(process.argv.slice(2));
