import { fileURLToPath } from "node:url";

/** The gateway's own schema, migrated with the subgraphs' (see `prepareDatabase`). */
export const accessSchemaDefinition = {
  name: "access",
  migrationsFolder: fileURLToPath(new URL("./migrations", import.meta.url)),
  seed: async () => {},
};
