import { sourcePath } from "../../lib/paths.js";

/** The gateway's own schema, migrated with the subgraphs' (see `prepareDatabase`). */
export const accessSchemaDefinition = {
  name: "access",
  migrationsFolder: sourcePath(import.meta.url, "migrations"),
  seed: async () => {},
};
