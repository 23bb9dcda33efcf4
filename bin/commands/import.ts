import { hubSchemas } from "../../gateway/hub.js";
import { importsSchemaDefinition } from "../../imports/index.js";
import { describeJobFailure, type ImportJob, runJob } from "../../imports/jobs.js";
import { formatReport } from "../../imports/report.js";
import { describeRun, lastRuns } from "../../imports/runs.js";
import { USAGE } from "../usage.js";
import {
  type Command,
  type CommandInput,
  log,
  openConfiguredDatabase,
  prepare,
  progressPrinter,
} from "./command.js";

/** `hub import <connector>` runs one import now; `hub import status` lists the last runs. */
export const importCommand: Command = async ({ name, values, config }) => {
  const job = name === "status" ? null : importJob(name, values);
  const database = await openConfiguredDatabase();
  try {
    await prepare(database, job ? hubSchemas : [importsSchemaDefinition]);
    if (!job) {
      const runs = await lastRuns(database.db);
      log(runs.length ? runs.map(describeRun).join("\n") : "no import has run yet");
      return;
    }
    const progress = progressPrinter();
    try {
      const { report, resumed } = await runJob(database.db, job, {
        pseudonymSecret: config.pseudonymSecret,
        maxRejectedShare: config.importMaxRejectedShare,
        progress,
      });
      if (process.stdout.isTTY) process.stdout.write("\n");
      log(`${job.connector}${resumed ? " (resumed)" : ""}:\n${formatReport(report.data)}`);
    } catch (error) {
      if (process.stdout.isTTY) process.stdout.write("\n");
      throw new Error(describeJobFailure(error));
    }
  } finally {
    await database.close();
  }
};

function importJob(connector: string | undefined, values: CommandInput["values"]): ImportJob {
  const { url, instance, "database-url": databaseUrl, territory, name } = values;
  if (connector === "rustine-libre" && url) return { connector, url };
  if (connector === "ebs" && instance && databaseUrl) {
    return { connector, instance, databaseUrl, territoryId: territory, name };
  }
  throw new Error(
    `import needs rustine-libre --url, ebs --instance and --database-url, or status.\n\n${USAGE}`,
  );
}
