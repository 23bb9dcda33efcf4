import { partnerCommand } from "../../gateway/registry/cli.js";
import { type Command, registryClient } from "./command.js";

/** `hub partner <verb>`: the registry's partners, through a running hub. */
export const partner: Command = ({ name, values, config }) =>
  partnerCommand(name, values, registryClient(config));
