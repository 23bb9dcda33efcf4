import { createRequire } from "node:module";
import { defineConfig } from "vitest/config";

const require = createRequire(import.meta.url);

export default defineConfig({
  resolve: {
    // One graphql copy: Vite would resolve index.mjs while externalized packages load index.js.
    alias: [{ find: /^graphql$/, replacement: require.resolve("graphql") }],
  },
  test: {
    globalSetup: ["./test/global-setup.ts"],
    include: ["**/*.test.ts"],
    // .bench/ holds tools installed for benchmarks and scripts (Hive Gateway), with tests of their own.
    exclude: ["node_modules/**", "dist/**", "gateway/playground/**", ".bench/**"],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    // Two cores: each test file starts real servers over a database of its own.
    maxWorkers: 2,
    // Bundled through the alias above, so that it checks types against the same graphql copy as
    // the schemas it is given (otherwise its diff silently finds no change).
    server: { deps: { inline: [/@graphql-inspector/] } },
  },
});
