import { parseArgs } from "node:util";
import { UsageError } from "../gateway/registry/cli.js";
import { readConfig } from "../lib/config.js";
import { log } from "../lib/log.js";
import { app } from "./commands/app.js";
import { ARGUMENTS, type Command } from "./commands/command.js";
import { compose } from "./commands/compose.js";
import { gateway } from "./commands/gateway.js";
import { importCommand } from "./commands/import.js";
import { key } from "./commands/key.js";
import { partner } from "./commands/partner.js";
import { start } from "./commands/start.js";
import { subgraph } from "./commands/subgraph.js";
import { usage } from "./commands/usage.js";
import { USAGE } from "./usage.js";

/** `hub <command>`: one module per command group in bin/commands/. */
const COMMANDS = new Map<string, Command>([
  ["start", start],
  ["gateway", gateway],
  ["subgraph", subgraph],
  ["compose", compose],
  ["key", key],
  ["import", importCommand],
  ["partner", partner],
  ["app", app],
  ["usage", usage],
]);

async function main(): Promise<void> {
  let parsed: ReturnType<typeof parseArgs<typeof ARGUMENTS>>;
  try {
    parsed = parseArgs(ARGUMENTS);
  } catch (error) {
    throw new UsageError(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
  }
  const { positionals, values } = parsed;
  const [command, name, argument] = positionals;
  const config = readConfig();
  const run = command === undefined ? undefined : COMMANDS.get(command);
  if (!run) {
    console.log(USAGE);
    process.exitCode = command ? 1 : 0;
    return;
  }
  await run({ name, argument, values, config });
}

main().catch((error: unknown) => {
  log.error(error instanceof Error ? error.message : String(error));
  // 2 for a command given wrongly, 1 for one that failed or was refused.
  process.exit(error instanceof UsageError ? 2 : 1);
});
