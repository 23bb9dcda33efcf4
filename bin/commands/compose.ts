import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { renderSchemaFiles, SCHEMA_DIR } from "../../gateway/schema-files.js";
import { subgraphs } from "../../subgraphs/index.js";
import { type Command, log } from "./command.js";

/** `hub compose`: each subgraph's SDL, the supergraph and the API schema, written into schema/. */
export const compose: Command = async () => {
  for (const [path, content] of await renderSchemaFiles(subgraphs)) {
    mkdirSync(dirname(join(SCHEMA_DIR, path)), { recursive: true });
    writeFileSync(join(SCHEMA_DIR, path), content);
    log(`wrote schema/${path}`);
  }
};
