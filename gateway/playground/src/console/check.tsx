import { type FormEvent, useState } from "react";
import { AdminError, admin } from "./admin.js";
import { CHECK_FIELDS, CheckResult, type SubgraphCheck } from "./changes.js";

/** "Check a schema": what publishing this SDL or this URL would do, without publishing it. */
export function CheckForm({ names }: { names: string[] }) {
  const [name, setName] = useState(names[0] ?? "");
  const [source, setSource] = useState<"sdl" | "url">("sdl");
  const [sdl, setSdl] = useState("");
  const [url, setUrl] = useState("");
  const [result, setResult] = useState<SubgraphCheck | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      const data = await admin<{ checkSubgraph: SubgraphCheck }>(
        `query ConsoleCheck($name: String!, $url: String, $sdl: String) {
          checkSubgraph(name: $name, url: $url, sdl: $sdl) { ${CHECK_FIELDS} } }`,
        source === "sdl" ? { name, sdl } : { name, url },
      );
      setResult(data.checkSubgraph);
    } catch (caught) {
      setError(caught instanceof AdminError ? caught.message : String(caught));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form onSubmit={submit} className="check-form">
      <p>
        Le registre fait les mêmes vérifications qu'à une publication (composition, changements
        cassants pour les opérations des clients) et ne publie rien.
      </p>
      <label>
        Sous-graphe
        <input
          required
          list="subgraph-names"
          value={name}
          onChange={(event) => setName(event.target.value)}
        />
      </label>
      <datalist id="subgraph-names">
        {names.map((known) => (
          <option key={known} value={known} />
        ))}
      </datalist>
      <fieldset>
        <legend>Schéma à vérifier</legend>
        <label className="inline">
          <input
            type="radio"
            name="source"
            checked={source === "sdl"}
            onChange={() => setSource("sdl")}
          />
          Coller la SDL
        </label>
        <label className="inline">
          <input
            type="radio"
            name="source"
            checked={source === "url"}
            onChange={() => setSource("url")}
          />
          Donner l'URL
        </label>
      </fieldset>
      {source === "sdl" ? (
        <label>
          SDL
          <textarea
            required
            rows={10}
            spellCheck={false}
            value={sdl}
            onChange={(event) => setSdl(event.target.value)}
          />
        </label>
      ) : (
        <label>
          URL
          <input
            required
            type="url"
            placeholder="https://…/graphql"
            value={url}
            onChange={(event) => setUrl(event.target.value)}
          />
        </label>
      )}
      <p>
        <button type="submit" className="primary" disabled={busy}>
          Vérifier
        </button>
      </p>
      <div aria-live="polite">
        {busy && <p>Vérification…</p>}
        {error && <p className="error">{error}</p>}
        {result && <CheckResult check={result} />}
      </div>
    </form>
  );
}
