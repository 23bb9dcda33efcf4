import { createApiKey, listApiKeys, revokeApiKey } from "../../gateway/access/api-keys.js";
import { accessSchemaDefinition } from "../../gateway/access/index.js";
import { keyCommand, RegistryCommandFailed, UsageError } from "../../gateway/registry/cli.js";
import { type DatabaseHandle, DataDirInUse } from "../../lib/database.js";
import type { ActsForKind, Role } from "../../lib/identity.js";
import { USAGE } from "../usage.js";
import { type Command, log, openConfiguredDatabase, prepare, registryClient } from "./command.js";

/**
 * `hub key create|list|revoke`: the API keys, straight in the database; through the running hub's
 * admin API when it holds the embedded database (PGlite serves one process) and `HUB_TOKEN` is an
 * admin key.
 */
export const key: Command = async ({ name, argument, values, config }) => {
  let database: DatabaseHandle;
  try {
    database = await openConfiguredDatabase();
  } catch (error) {
    if (!(error instanceof DataDirInUse)) throw error;
    const client = registryClient(config);
    if (!client.token)
      throw new RegistryCommandFailed(
        `The hub running as process ${error.holder} holds the embedded database ${error.location}, which serves one process. Either set HUB_TOKEN to an admin key (and HUB_URL if not ${client.hubUrl}): this command then goes through the running hub; or stop the hub, run this command, and start the hub again (needed for the first admin key).`,
      );
    log(
      `the hub (process ${error.holder}) holds ${error.location}: going through its admin API at ${client.hubUrl}`,
    );
    return keyCommand(name, argument, values, client);
  }
  try {
    await prepare(database, [accessSchemaDefinition]);
    if (name === "create") {
      if (!values.name || !values.role)
        throw new UsageError(`key create needs --name and --role.\n\n${USAGE}`);
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
      throw new UsageError(USAGE);
    }
  } finally {
    await database.close();
  }
};
