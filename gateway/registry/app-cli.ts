import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import {
  call,
  need,
  type RegistryCliArgs,
  type RegistryCliOptions,
  RegistryCommandFailed,
  UsageError,
} from "./cli.js";

/** `hub app …` and `hub usage …`: clients of the registry's API, like `hub subgraph …`. */

interface Deployment {
  name: string;
  version: string;
  active: boolean;
  publishedAt: string;
  retiredAt: string | null;
  owner: string | null;
  operations: { hash: string; name: string | null }[];
}

/**
 * Reads a manifest and checks what needs no hub, so that its refusal is said here in English: a
 * JSON object of documents, each under the sha256 hash of its text (`sha256:` before it or not).
 */
function readManifest(file: string): string {
  let text: string;
  let entries: [string, unknown][];
  try {
    text = readFileSync(file, "utf8");
  } catch {
    throw new UsageError(`Cannot read the manifest ${file}.`);
  }
  try {
    const parsed = JSON.parse(text) as unknown;
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw new Error();
    entries = Object.entries(parsed);
  } catch {
    throw new UsageError(
      `${file} is not a manifest: a JSON object { "<sha256 hash>": "<document>" } is expected (graphql-codegen's persisted-documents.json).`,
    );
  }
  const wrong = entries.filter(
    ([hash, body]) =>
      typeof body !== "string" ||
      createHash("sha256").update(body).digest("hex") !== hash.replace(/^sha256:/, ""),
  );
  if (wrong.length > 0)
    throw new RegistryCommandFailed(
      [
        `BAD_USER_INPUT: ${wrong.length} hash(es) of ${file} are not the sha256 of their document; regenerate it:`,
        ...wrong.map(([hash]) => `  ${hash}`),
      ].join("\n"),
    );
  return text;
}

const DEPLOYMENT = "name version active publishedAt retiredAt owner operations { hash name }";

/** `--json`: the API's answer as it is, on stdout, whatever the log format, for CI. */
const print = (_options: RegistryCliOptions, value: unknown) => {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
};

export async function appCommand(
  verb: string | undefined,
  args: RegistryCliArgs,
  options: RegistryCliOptions,
): Promise<void> {
  const { log } = options;
  switch (verb) {
    case "publish": {
      const file = need(args.manifest, "--manifest");
      const manifest = readManifest(file);
      const version = need(args.version, "--version");
      if (!/^[0-9A-Za-z][0-9A-Za-z._+-]{0,63}$/.test(version))
        throw new UsageError(
          "--version: 1 to 64 letters, digits, dots, hyphens, + and _, starting with a letter or digit.",
        );
      const { publishApp } = await call<{ publishApp: Deployment }>(
        options,
        `mutation($name: String!, $version: String!, $manifest: String!) { publishApp(name: $name, version: $version, manifest: $manifest) { ${DEPLOYMENT} } }`,
        { name: need(args.name, "--name"), version, manifest },
      );
      if (args.json) return print(options, publishApp);
      log(
        `${publishApp.name} ${publishApp.version}: published, ${publishApp.operations.length} operation(s); clients may send them by hash`,
      );
      for (const operation of publishApp.operations)
        log(`  ${operation.hash}  ${operation.name ?? "(anonymous)"}`);
      return;
    }
    case "retire": {
      const { retireApp } = await call<{ retireApp: Deployment }>(
        options,
        `mutation($name: String!, $version: String!) { retireApp(name: $name, version: $version) { ${DEPLOYMENT} } }`,
        { name: need(args.name, "--name"), version: need(args.version, "--version") },
      );
      if (args.json) return print(options, retireApp);
      log(
        `${retireApp.name} ${retireApp.version}: retired; anonymous clients may no longer send its operations`,
      );
      return;
    }
    case "list": {
      const { appDeployments } = await call<{ appDeployments: Deployment[] }>(
        options,
        `{ appDeployments(includeRetired: true) { ${DEPLOYMENT} } }`,
        {},
      );
      if (args.json) return print(options, appDeployments);
      if (appDeployments.length === 0) log("no app deployment");
      for (const d of appDeployments)
        log(
          `${d.name}  ${d.version}  ${d.active ? "active" : `retired ${d.retiredAt}`}  ${d.operations.length} operation(s)  owner ${d.owner ?? "admin"}  published ${d.publishedAt}`,
        );
      return;
    }
    default:
      throw new UsageError(`Unknown command "app ${verb ?? ""}".`);
  }
}

interface FieldUsage {
  coordinate: string;
  total: number;
  clients: { clientName: string | null; clientVersion: string | null; count: number }[];
  operations: { hash: string; name: string | null; clientName: string | null; count: number }[];
  daily: { day: string; clientName: string | null; count: number }[];
}

const days = (args: RegistryCliArgs) => {
  if (args.days === undefined) return 30;
  const value = Number(args.days);
  if (!Number.isInteger(value) || value < 1 || value > 366)
    throw new UsageError("--days takes a whole number of days (1 to 366).");
  return value;
};

export async function usageCommand(
  verb: string | undefined,
  argument: string | undefined,
  args: RegistryCliArgs,
  options: RegistryCliOptions,
): Promise<void> {
  const { log } = options;
  switch (verb) {
    case "field": {
      if (!argument)
        throw new UsageError("Name a field (Type.field) or a type: hub usage field Territory.name");
      const { fieldUsage } = await call<{ fieldUsage: FieldUsage }>(
        options,
        `query($coordinate: String!, $days: Int!) { fieldUsage(coordinate: $coordinate, days: $days) {
          coordinate total clients { clientName clientVersion count }
          operations { hash name clientName count } daily { day clientName count } } }`,
        { coordinate: argument, days: days(args) },
      );
      if (args.json) return print(options, fieldUsage);
      log(`${fieldUsage.coordinate}: ${fieldUsage.total} operation(s) in ${days(args)} day(s)`);
      if (fieldUsage.clients.length > 0) log("clients:");
      for (const c of fieldUsage.clients)
        log(`  ${c.clientName ?? "(unnamed)"} ${c.clientVersion ?? ""}  ${c.count}`);
      if (fieldUsage.operations.length > 0) log("operations:");
      for (const o of fieldUsage.operations)
        log(`  ${o.name ?? o.hash.slice(0, 12)}  ${o.clientName ?? "(unnamed)"}  ${o.count}`);
      return;
    }
    case "unused": {
      const { unusedFields } = await call<{ unusedFields: string[] }>(
        options,
        `query($subgraph: String!, $days: Int!) { unusedFields(subgraph: $subgraph, days: $days) }`,
        { subgraph: need(args.subgraph, "--subgraph"), days: days(args) },
      );
      if (args.json) return print(options, unusedFields);
      if (unusedFields.length === 0)
        log(`every field of ${args.subgraph} was used in ${days(args)} day(s)`);
      else
        log(
          `${unusedFields.length} field(s) of ${args.subgraph} unused in ${days(args)} day(s), nor by an active app deployment:`,
        );
      for (const field of unusedFields) log(`  ${field}`);
      return;
    }
    default:
      throw new UsageError(`Unknown command "usage ${verb ?? ""}".`);
  }
}
