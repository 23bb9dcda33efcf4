import type { CodegenConfig } from "@graphql-codegen/cli";

/** Typed operations for the examples kept in `operations/`, checked against the client-facing schema. */
const config: CodegenConfig = {
  schema: "schema/api.graphql",
  documents: ["operations/**/*.graphql"],
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
