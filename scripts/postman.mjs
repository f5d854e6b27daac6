// The Postman collection, generated from specs/openapi.json with openapi-to-postmanv2, made
// reproducible: the converter fills schema-only values from Math.random (seeded here) and the clock
// (frozen here), and gives every item a random id (replaced by ids derived from its place).
//   node scripts/postman.mjs NODE_PREFIX OUT_DIR
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { join, resolve } from "node:path";

const [prefix, outDir] = process.argv.slice(2);

// mulberry32: a small seeded generator, so the same spec gives the same bytes on every machine.
let seed = 20261130;
Math.random = () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

// Faked date-times are offsets from "now": freeze it.
const FROZEN = Date.parse("2026-04-01T04:30:00Z");
const RealDate = Date;
globalThis.Date = class extends RealDate {
  constructor(...args) {
    super(...(args.length ? args : [FROZEN]));
  }
  static now() {
    return FROZEN;
  }
};
// The converter's schema faker warns once per non-JSON-Schema format (decimal, naive-date, uint32).
console.warn = () => {};

const require = createRequire(join(resolve(prefix), "node_modules", "_"));
const Converter = require("openapi-to-postmanv2");
const spec = readFileSync("specs/openapi.json", "utf8");
const options = {
  folderStrategy: "Tags",
  parametersResolution: "Example",
  // Optional headers (x-sandbox-scenario among them) stay unticked: a request sends only what it needs.
  enableOptionalParameters: false,
  alwaysInheritAuthentication: true,
};

const stableId = (path) => {
  const h = createHash("sha256").update(path).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
};
function renumber(node, path) {
  if (Array.isArray(node)) return node.forEach((child, i) => renumber(child, `${path}/${i}`));
  if (node === null || typeof node !== "object") return;
  for (const key of Object.keys(node)) {
    if ((key === "id" || key === "_postman_id") && typeof node[key] === "string") node[key] = stableId(`${path}/${key}`);
    else renumber(node[key], `${path}/${key}`);
  }
}

Converter.convert({ type: "string", data: spec }, options, (error, result) => {
  if (error || !result.result) {
    console.error("openapi-to-postmanv2:", error || result.reason);
    process.exit(1);
  }
  const collection = result.output[0].data;
  renumber(collection, "");
  // The sandbox's address comes from the environment (the spec's server is relative).
  collection.variable = [{ key: "baseUrl", value: "http://localhost:8080" }];
  const environment = {
    id: stableId("environment"),
    name: "sandbank demo (localhost:8080)",
    values: [
      { key: "baseUrl", value: "http://localhost:8080", type: "default", enabled: true },
      { key: "apiKey", value: "sandbank-demo-key", type: "default", enabled: true },
    ],
    _postman_variable_scope: "environment",
  };
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, "sandbank.postman_collection.json"), JSON.stringify(collection, null, 2) + "\n");
  writeFileSync(join(outDir, "sandbank-demo.postman_environment.json"), JSON.stringify(environment, null, 2) + "\n");
  console.log(`wrote ${outDir}/sandbank.postman_collection.json and ${outDir}/sandbank-demo.postman_environment.json`);
});
