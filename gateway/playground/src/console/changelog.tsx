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
  const { data, error, loading, reload } = useAdmin<{ schemaChangelog: Entry[] }>(
    `query ConsoleChangelog { schemaChangelog(last: 20) {
      revision publishedAt publisher subgraph version changes { ${CHANGE_FIELDS} } } }`,
  );
  const entries = data?.schemaChangelog ?? [];
  return (
    <>
      <p>
        <button type="button" onClick={reload} disabled={loading}>
          Actualiser le journal
        </button>
      </p>
      <div aria-live="polite">
        {loading && <p>Chargement…</p>}
        {error && <p className="error">Journal indisponible : {error.message}</p>}
        {data && entries.length === 0 && <p>Aucune publication pour l'instant.</p>}
      </div>
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
    </>
  );
}
