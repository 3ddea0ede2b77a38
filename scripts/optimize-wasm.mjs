// Optimizes every WebAssembly module in a folder for size, as `wasm-opt -Oz` does, in one
// process. The split page has about thirty modules (scripts/build-split.sh), and npm's wasm-opt
// spends most of a second starting for each; binaryen's own API is loaded once for them all.
//
// Usage: node scripts/optimize-wasm.mjs <folder>
import binaryen from "binaryen";
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const folder = process.argv[2];
if (!folder) {
  console.error("usage: node scripts/optimize-wasm.mjs <folder>");
  process.exit(2);
}

// -Oz: the most passes, tuned for size. Names and debug information are not kept.
binaryen.setOptimizeLevel(2);
binaryen.setShrinkLevel(2);
binaryen.setDebugInfo(false);
// The features the Rust toolchain's wasm32 target uses by default; the optimizer must not
// introduce others.
const F = binaryen.Features;
const features =
  F.MVP | F.BulkMemory | F.BulkMemoryOpt | F.NontrappingFPToInt | F.SignExt | F.MutableGlobals | F.ReferenceTypes | F.Multivalue | F.CallIndirectOverlong;

let before = 0;
let after = 0;
const names = readdirSync(folder).filter((name) => name.endsWith(".wasm"));
for (const name of names) {
  const path = join(folder, name);
  const bytes = readFileSync(path);
  const module = binaryen.readBinary(bytes);
  module.setFeatures(features);
  module.optimize();
  const out = module.emitBinary();
  module.dispose();
  writeFileSync(path, out);
  before += bytes.length;
  after += out.length;
}
console.log(`optimize-wasm: ${names.length} modules, ${before} -> ${after} bytes`);
