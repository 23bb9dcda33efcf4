import { usageCommand } from "../../gateway/registry/app-cli.js";
import { type Command, registryClient } from "./command.js";

/** `hub usage field|unused`: who uses what, through a running hub. */
export const usage: Command = ({ name, argument, values, config }) =>
  usageCommand(name, argument, values, registryClient(config));
