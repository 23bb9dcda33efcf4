import { formatDate } from "./admin.js";
import { CHANGE_FIELDS, ChangeList, type SchemaChange } from "./changes.js";
import { useAdmin } from "./use-admin.js";

interface Entry {
  revision: number;
  publishedAt: string;
  publisher: string | null;
  subgraph: string;
  version: number | null;
  changes: SchemaChange[];
}

/** What each supergraph that went live changed, newest first. */
export function Changelog() {
  const { data, error, loading } = useAdmin<{ schemaChangelog: Entry[] }>(
    `query ConsoleChangelog { schemaChangelog(last: 20) {
      revision publishedAt publisher subgraph version changes { ${CHANGE_FIELDS} } } }`,
  );
  if (loading) return <p>Chargement…</p>;
  if (error) return <p className="error">Journal indisponible : {error.message}</p>;
  const entries = data?.schemaChangelog ?? [];
  if (entries.length === 0) return <p>Aucune publication pour l'instant.</p>;
  return (
    <ol className="changelog">
      {entries.map((entry) => (
        <li key={`${entry.revision}-${entry.subgraph}`}>
          <h3>
            Supergraphe n° {entry.revision} : {entry.subgraph}
            {entry.version === null ? " retiré" : ` v${entry.version}`}
          </h3>
          <p>
            {formatDate(entry.publishedAt)}, par {entry.publisher ?? "inconnu"}
          </p>
          <ChangeList changes={entry.changes} />
        </li>
      ))}
    </ol>
  );
}
