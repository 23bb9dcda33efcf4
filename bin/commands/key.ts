import { createApiKey, listApiKeys, revokeApiKey } from "../../gateway/access/api-keys.js";
import { accessSchemaDefinition } from "../../gateway/access/index.js";
import type { ActsForKind, Role } from "../../lib/identity.js";
import { USAGE } from "../usage.js";
import { type Command, log, openConfiguredDatabase, prepare } from "./command.js";

/** `hub key create|list|revoke`: the API keys, straight in the database. */
export const key: Command = async ({ name, argument, values }) => {
  const database = await openConfiguredDatabase();
  try {
    await prepare(database, [accessSchemaDefinition]);
    if (name === "create") {
      if (!values.name || !values.role)
        throw new Error(`key create needs --name and --role.\n\n${USAGE}`);
      const [kind, id] = values.for?.split(":", 2) ?? [];
      const { id: keyId, key } = await createApiKey(database.db, {
        name: values.name,
        role: values.role as Exclude<Role, "anonymous">,
        actsFor: kind && id ? { kind: kind as ActsForKind, id } : null,
      });
      log(`key ${keyId} created; it is shown only now, keep it safe:\n${key}`);
    } else if (name === "list") {
      for (const key of await listApiKeys(database.db)) {
        const actsFor = key.actsForKind ? ` for ${key.actsForKind}:${key.actsForId}` : "";
        log(
          `${key.id}  ${key.role}${actsFor}  "${key.name}"  ${key.revokedAt ? `revoked ${key.revokedAt.toISOString()}` : "active"}`,
        );
      }
    } else if (name === "revoke" && argument) {
      log(
        (await revokeApiKey(database.db, argument))
          ? `key ${argument} revoked`
          : `no active key ${argument}`,
      );
    } else {
      throw new Error(USAGE);
    }
  } finally {
    await database.close();
  }
};
