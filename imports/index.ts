import { sourcePath } from "../lib/paths.js";

/** The connectors' own schema (`import_runs`), migrated with the others (see `prepareDatabase`). */
export const importsSchemaDefinition = {
  name: "imports",
  migrationsFolder: sourcePath(import.meta.url, "migrations"),
  seed: async () => {},
};
