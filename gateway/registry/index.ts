import { fileURLToPath } from "node:url";

/** The registry's schema, migrated with the others (see `prepareDatabase`). */
export const registrySchemaDefinition = {
  name: "registry",
  migrationsFolder: fileURLToPath(new URL("./migrations", import.meta.url)),
  seed: async () => {},
};
