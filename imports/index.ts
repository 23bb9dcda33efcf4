import { fileURLToPath } from "node:url";

/** The connectors' own schema (`import_runs`), migrated with the others (see `prepareDatabase`). */
export const importsSchemaDefinition = {
  name: "imports",
  migrationsFolder: fileURLToPath(new URL("./migrations", import.meta.url)),
  seed: async () => {},
};
