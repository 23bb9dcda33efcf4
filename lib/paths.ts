import { basename, dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

/** Where `npm run build` writes the JavaScript that `npm start` runs, mirroring the source tree. */
export const BUILD_DIR = "dist";

// lib/.. is the top of the code: the repository when run from the TypeScript sources (tests, tsx),
// dist/ when run from the build.
const codeRoot = dirname(dirname(fileURLToPath(import.meta.url)));
const projectRoot = basename(codeRoot) === BUILD_DIR ? dirname(codeRoot) : codeRoot;

/**
 * A path relative to a module, in the source tree: the files that are not code (migrations,
 * `schema/`, the playground's build) stay there and are found the same way from dist/.
 */
export function sourcePath(moduleUrl: string, path: string): string {
  return join(projectRoot, relative(codeRoot, fileURLToPath(new URL(path, moduleUrl))));
}

/** The built command line, `hub` (bin/hub.ts), which `npm start` and `npm run hub` run. */
export const BUILT_HUB = join(projectRoot, BUILD_DIR, "bin", "hub.js");
