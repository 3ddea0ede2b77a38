// Optimizes every WebAssembly module in a folder for size, as `wasm-opt -Oz` does. The split page
// has about thirty modules (scripts/build-split.sh), and npm's wasm-opt spends most of a second
// starting for each, so binaryen's own API is loaded once per thread instead. Binaryen's npm
// build runs on one core, so the modules are shared among one thread per core (at most four),
// largest first: on the 2-core CI machine the page's 28 modules took 41 s on one thread.
//
// Usage: node scripts/optimize-wasm.mjs <folder>
import { availableParallelism } from "node:os";
import { readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Worker, isMainThread, parentPort, workerData } from "node:worker_threads";

/// Optimizes the modules at `paths` in place; returns their total bytes before and after.
async function optimize(paths) {
  const { default: binaryen } = await import("binaryen");
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
  for (const path of paths) {
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
  return { before, after };
}

if (!isMainThread) {
  parentPort.postMessage(await optimize(workerData));
} else {
  const folder = process.argv[2];
  if (!folder) {
    console.error("usage: node scripts/optimize-wasm.mjs <folder>");
    process.exit(2);
  }
  const paths = readdirSync(folder)
    .filter((name) => name.endsWith(".wasm"))
    .map((name) => join(folder, name))
    .sort((a, b) => statSync(b).size - statSync(a).size);
  // Largest first, each to the thread with the fewest bytes so far.
  const threads = Math.max(1, Math.min(availableParallelism(), 4, paths.length));
  const shares = Array.from({ length: threads }, () => ({ bytes: 0, paths: [] }));
  for (const path of paths) {
    const share = shares.reduce((least, s) => (s.bytes < least.bytes ? s : least));
    share.bytes += statSync(path).size;
    share.paths.push(path);
  }
  const results = await Promise.all(
    shares.map(
      (share) =>
        new Promise((resolve, reject) => {
          const worker = new Worker(new URL(import.meta.url), { workerData: share.paths });
          worker.once("message", resolve);
          worker.once("error", reject);
          worker.once("exit", (code) => code !== 0 && reject(new Error(`optimize-wasm: a thread exited with ${code}`)));
        }),
    ),
  );
  const before = results.reduce((n, r) => n + r.before, 0);
  const after = results.reduce((n, r) => n + r.after, 0);
  console.log(`optimize-wasm: ${paths.length} modules on ${threads} threads, ${before} -> ${after} bytes`);
}
