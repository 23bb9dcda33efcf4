/**
 * `npm run build`: the hub's TypeScript as JavaScript in dist/, one file per source file, which
 * `npm start` runs with plain Node. Running through tsx instead keeps a loader thread, its
 * transform cache and source maps in every process (docs/adr/0003-run-from-dist-built-by-esbuild.md).
 *
 * esbuild transpiles only, as tsx does (same esbuild, same tsconfig): `npm run typecheck` checks.
 */
import { readdirSync, rmSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";
import { BUILD_DIR } from "../lib/paths.js";

/** The directories of code the running hub loads; tests, scripts and the playground's sources stay out. */
const CODE_DIRS = ["bin", "gateway", "imports", "lib", "subgraphs"];
const SKIPPED = /(\.test\.ts|\.d\.ts)$|^gateway\/playground\//;

function sourceFiles(): string[] {
  return CODE_DIRS.flatMap((dir) =>
    readdirSync(dir, { recursive: true, encoding: "utf8" })
      .map((file) => join(dir, file))
      .filter((file) => file.endsWith(".ts") && !SKIPPED.test(file)),
  );
}

export async function buildServer(): Promise<number> {
  const entryPoints = sourceFiles();
  const { metafile } = await build({
    entryPoints,
    outdir: BUILD_DIR,
    outbase: ".",
    platform: "node",
    format: "esm",
    target: "node20",
    // Written beside each file, for `NODE_OPTIONS=--enable-source-maps` when debugging; not loaded otherwise.
    sourcemap: true,
    logLevel: "warning",
    metafile: true,
  });
  // A module deleted from the sources must not keep running from an old build. Removed after the
  // build rather than emptying dist/ first, so that a hub started meanwhile finds its files.
  const written = new Set(Object.keys(metafile.outputs).map((file) => resolve(file)));
  for (const file of readdirSync(BUILD_DIR, { recursive: true, encoding: "utf8" })) {
    const path = resolve(BUILD_DIR, file);
    if (!written.has(path) && statSync(path).isFile()) rmSync(path);
  }
  return entryPoints.length;
}

if (import.meta.url === pathToFileURL(process.argv[1]!).href) {
  const started = performance.now();
  const count = await buildServer();
  // On stderr: `npm run -s hub -- … --json` (which builds first) prints nothing but its answer.
  console.error(
    `built ${count} modules into ${BUILD_DIR}/ in ${Math.round(performance.now() - started)} ms`,
  );
}
