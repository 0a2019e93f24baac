// Runs a bundled matrix script inside Vercel's edge-runtime (EdgeVM: a node:vm context with only the Edge Web APIs)
// and prints "MATRIX_RESULT <json>". Usage: node run_edge.mjs <bundle.js> <dir holding node_modules/edge-runtime>
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import process from "node:process";

const [script, toolsDir] = process.argv.slice(2);
const require = createRequire(`${toolsDir}/package.json`);
const { EdgeRuntime } = require("edge-runtime");
const runtime = new EdgeRuntime({ initialCode: readFileSync(script, "utf8") });
const results = await runtime.evaluate("globalThis.__matrix()");
const version = require("edge-runtime/package.json").version;
console.log(`MATRIX_RESULT ${JSON.stringify({ version: `edge-runtime ${version}`, results })}`);
