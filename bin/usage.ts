import { ACTS_FOR_KINDS, ROLES } from "../lib/identity.js";
import { subgraphs } from "../subgraphs/index.js";

export const USAGE = `Usage: hub <command>

  start               the gateway and every subgraph in one process (what \`npm start\` runs)
  gateway             the gateway alone; subgraphs are reached at <NAME>_URL
  subgraph <name>     one subgraph alone (${subgraphs.map((s) => s.name).join(", ")})
  compose             write each subgraph's SDL, the supergraph and the API schema into schema/
  key create --name N --role R [--for KIND:ID]
                      issue an API key (printed once); roles: ${ROLES.slice(1).join(", ")};
                      kinds: ${ACTS_FOR_KINDS.join(", ")} (e.g. --for collectivite:lomme)
  key list            the keys issued, without their secrets
  key revoke <id>     revoke a key at once
  import rustine-libre --url URL
                      import Rustine Libre's repairers from its API into bookings
  import ebs --instance SLUG --database-url URL [--territory KIND:CODE] [--name N]
                      import one EBS instance from its database, read only, into exchanges
                      (--territory registers an instance the hub does not know yet)
  import status       the last import runs

  The partner registry, through a running hub's /admin/graphql (HUB_URL, HUB_TOKEN):
  subgraph publish --name N --url U [--schema FILE] [--force] [--timeout-ms MS]
                      check and publish a subgraph: its SDL from FILE, or from _service { sdl } at U;
                      --timeout-ms sets the deadline of each call to it (a partner may only lower it)
  subgraph check --name N (--url U | --schema FILE) [--json]
                      every check of a publication, nothing stored: exit 0 if it would be
                      accepted, 1 if refused, 2 on a usage error; --json for CI
  subgraph list       the registry's subgraphs, their version, health, deadline and circuit breaker
  subgraph versions --name N [--json]
                      every version, the live one marked, who published it (partner id or admin)
  subgraph changelog [--last N] [--json]
                      each supergraph that went live: when, who, which subgraph, its changes
  subgraph rollback --name N --version V [--force]
  subgraph remove --name N [--force]
  partner create --id ID --name N
                      register a partner and print its token (admin key)
  partner list
  app publish --name CLIENT --version V --manifest FILE [--json]
                      publish a portal's operations (graphql-codegen's persisted-documents.json):
                      anonymous clients may send them, breaking changes are checked against them
  app retire --name CLIENT --version V
  app list [--json]   the app deployments, active and retired
  usage field <Type.field | Type> [--days N] [--json]
                      which operations and clients read a field or a type (default: 30 days)
  usage unused --subgraph S [--days N] [--json]
                      the fields of a subgraph no client read, nor any active app deployment
`;
