import type { CodegenConfig } from "@graphql-codegen/cli";

/**
 * A portal's typed client and its trusted documents (docs/portals.md), run from the repository:
 *   npx graphql-codegen --config examples/portal/codegen.ts
 * Outside it, `schema` is the hub's endpoint: "https://<hub>/graphql" (introspection).
 */
const config: CodegenConfig = {
  schema: "schema/api.graphql",
  documents: ["examples/portal/operations.graphql"],
  importExtension: ".js",
  generates: {
    "examples/portal/generated/": {
      preset: "client",
      config: { enumsAsTypes: true, useTypeImports: true },
      // persisted-documents.json: what `hub app publish --manifest` takes.
      presetConfig: { fragmentMasking: false, persistedDocuments: { hashAlgorithm: "sha256" } },
    },
  },
};

export default config;
