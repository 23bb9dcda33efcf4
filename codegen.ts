import type { CodegenConfig } from "@graphql-codegen/cli";

/**
 * Typed operations for the examples kept in `operations/` and the playground's ready operations,
 * checked against the client-facing schema; together they are the portal's trusted documents.
 */
const config: CodegenConfig = {
  schema: "schema/api.graphql",
  documents: ["operations/**/*.graphql", "gateway/playground/operations/*.graphql"],
  // NodeNext resolution wants explicit extensions in the generated imports.
  importExtension: ".js",
  generates: {
    "operations/generated/": {
      preset: "client",
      config: { enumsAsTypes: true, useTypeImports: true },
      // persisted-documents.json: the operations the gateway may accept as trusted documents.
      presetConfig: { fragmentMasking: false, persistedDocuments: { hashAlgorithm: "sha256" } },
    },
  },
};

export default config;
