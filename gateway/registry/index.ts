import { sourcePath } from "../../lib/paths.js";

/** The registry's schema, migrated with the others (see `prepareDatabase`). */
export const registrySchemaDefinition = {
  name: "registry",
  migrationsFolder: sourcePath(import.meta.url, "migrations"),
  seed: async () => {},
};
