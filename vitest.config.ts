import { createRequire } from "node:module";
import { defineConfig } from "vitest/config";

const require = createRequire(import.meta.url);

// .bench/ holds tools installed for benchmarks and scripts (Hive Gateway), with tests of their own.
const exclude = ["node_modules/**", "dist/**", "gateway/playground/**", ".bench/**"];

export default defineConfig({
  resolve: {
    // One graphql copy: Vite would resolve index.mjs while externalized packages load index.js.
    alias: [{ find: /^graphql$/, replacement: require.resolve("graphql") }],
  },
  test: {
    testTimeout: 60_000,
    // A niced schema check waits for the CPU the suite's own servers leave: on two busy cores,
    // every publication of the suite would wait its turn. Its niceness is measured by the bench.
    env: { REGISTRY_CHECK_NICE: "0" },
    hookTimeout: 180_000,
    // Two cores: each end-to-end test file starts real servers over a database of its own.
    maxWorkers: 2,
    // Bundled through the alias above, so that it checks types against the same graphql copy as
    // the schemas it is given (otherwise its diff silently finds no change).
    server: { deps: { inline: [/@graphql-inspector/] } },
    projects: [
      {
        extends: true,
        // In-process only: no database, no hub server, no child process.
        test: {
          name: "unit",
          include: ["**/*.test.ts"],
          exclude: [...exclude, "**/*.e2e.test.ts"],
        },
      },
      {
        extends: true,
        // Real servers over the test database, which the global setup migrates and seeds once.
        test: {
          name: "e2e",
          include: ["**/*.e2e.test.ts"],
          exclude,
          globalSetup: ["./test/global-setup.ts"],
        },
      },
    ],
  },
});
