import type { Identity } from "../../../lib/identity.js";
import type { Registry } from "../registry.js";

/** What every resolver of the admin API receives: who calls, and the registry it acts on. */
export interface AdminContext {
  identity: Identity;
  registry: Registry;
}
