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
      presetConfig: { fragmentMasking: false },
    },
  },
};

export default config;
