import { appCommand } from "../../gateway/registry/app-cli.js";
import { type Command, registryClient } from "./command.js";

/** `hub app <verb>`: a portal's app deployments, through a running hub. */
export const app: Command = ({ name, values, config }) =>
  appCommand(name, values, registryClient(config));
