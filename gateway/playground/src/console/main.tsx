import "./console.css";
import { type FormEvent, type ReactNode, StrictMode, useState } from "react";
import { createRoot } from "react-dom/client";
import { apiKey } from "../api-key.js";
import { Apps } from "./apps.js";
import { Changelog } from "./changelog.js";
import { CheckForm } from "./check.js";
import { SUBGRAPHS, Subgraphs } from "./subgraphs.js";
import { Usage } from "./usage.js";
import { useAdmin } from "./use-admin.js";
import { editable, type Subgraph, type Viewer } from "./viewer.js";

// The playground beside this page, whether at /console or behind a path prefix.
const PLAYGROUND = `${window.location.pathname.replace(/console\/?$/, "").replace(/\/?$/, "/")}playground`;

/** The same key as the playground's key panel: kept in this browser only, sent to this hub only. */
function KeyForm({ current, onChange }: { current: string; onChange(key: string): void }) {
  const [value, setValue] = useState(current);
  function submit(event: FormEvent) {
    event.preventDefault();
    apiKey.set(value.trim());
    onChange(value.trim());
  }
  return (
    <form className="key-form" onSubmit={submit}>
      <label>
        Clé d'API
        <input
          type="password"
          autoComplete="off"
          placeholder="hub_…"
          value={value}
          onChange={(event) => setValue(event.target.value)}
        />
      </label>
      <button type="submit">Utiliser cette clé</button>
      {current && (
        <button
          type="button"
          onClick={() => {
            setValue("");
            apiKey.set("");
            onChange("");
          }}
        >
          Oublier la clé
        </button>
      )}
    </form>
  );
}

function HowToGetKey() {
  return (
    <section aria-labelledby="key-title" className="panel">
      <h2 id="key-title">Obtenir une clé</h2>
      <p>
        La console montre le registre des sous-graphes à qui tient une clé de partenaire ou
        d'administration. La clé reste dans ce navigateur et n'est envoyée qu'à ce hub.
      </p>
      <ul>
        <li>
          <strong>Plateforme partenaire</strong> : demandez votre jeton à l'équipe qui administre le
          hub (l'Apes) ; il est donné une seule fois, à votre inscription. Avec lui, vous voyez vos
          sous-graphes et ceux du hub, et seuls les vôtres sont modifiables.
        </li>
        <li>
          <strong>Administration du hub</strong> : sur le serveur,{" "}
          <code>npm run hub -- key create --name console --role admin</code> affiche une clé une
          seule fois ; <code>npm run hub -- partner create --id ID --name NOM</code> inscrit un
          partenaire et affiche son jeton.
        </li>
      </ul>
      <p>Collez la clé dans le champ « Clé d'API » ci-dessus.</p>
    </section>
  );
}

function Section({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <section id={id} aria-labelledby={`${id}-title`} className="panel">
      <h2 id={`${id}-title`}>{title}</h2>
      {children}
    </section>
  );
}

function Registry({ viewer }: { viewer: Viewer }) {
  const subgraphs = useAdmin<{ subgraphs: Subgraph[] }>(SUBGRAPHS);
  const list = subgraphs.data?.subgraphs ?? [];
  const own = list.filter((subgraph) => editable(subgraph, viewer)).map(({ name }) => name);
  const visible = list.filter((subgraph) => viewer.role === "admin" || !subgraph.builtIn);
  return (
    <>
      <nav aria-label="Sections de la console">
        <a href="#sous-graphes">Sous-graphes</a>
        <a href="#verifier">Vérifier un schéma</a>
        <a href="#journal">Journal des schémas</a>
        <a href="#utilisation">Utilisation</a>
        <a href="#applications">Applications</a>
      </nav>
      <Section id="sous-graphes" title="Sous-graphes">
        <p>
          <button type="button" onClick={subgraphs.reload} disabled={subgraphs.loading}>
            Actualiser
          </button>{" "}
          <span role="status">{subgraphs.loading ? "Interrogation des sous-graphes…" : ""}</span>
        </p>
        {subgraphs.error && <p className="error">{subgraphs.error.message}</p>}
        {subgraphs.data && <Subgraphs viewer={viewer} subgraphs={list} reload={subgraphs.reload} />}
      </Section>
      <Section id="verifier" title="Vérifier un schéma">
        <CheckForm names={own} />
      </Section>
      <Section id="journal" title="Journal des schémas">
        <Changelog />
      </Section>
      <Section id="utilisation" title="Utilisation par les clients">
        <Usage subgraphs={visible.map(({ name }) => name)} />
      </Section>
      <Section id="applications" title="Applications déployées">
        <Apps />
      </Section>
    </>
  );
}

/** Who the key is, then the registry as that key sees it. */
function Connected() {
  const viewer = useAdmin<{ viewer: Viewer }>("query ConsoleViewer { viewer { role partner } }");
  if (viewer.error)
    return (
      <>
        <p className="error" role="alert">
          Clé refusée : {viewer.error.message}
        </p>
        <HowToGetKey />
      </>
    );
  if (!viewer.data) return <p role="status">Connexion au registre…</p>;
  const { role, partner } = viewer.data.viewer;
  return (
    <>
      <p className="who">
        {role === "admin"
          ? "Connecté en administration : tous les sous-graphes."
          : `Connecté comme partenaire ${partner} : vos sous-graphes et ceux du hub.`}
      </p>
      <Registry viewer={viewer.data.viewer} />
    </>
  );
}

function Console() {
  const [key, setKey] = useState(apiKey.get());
  return (
    <>
      <a className="skip" href="#contenu">
        Aller au contenu
      </a>
      <header>
        <div className="title">
          <h1>Console du registre</h1>
          <a href={PLAYGROUND}>Terrain de jeu GraphQL</a>
        </div>
        <KeyForm current={key} onChange={setKey} />
      </header>
      <main id="contenu">{key ? <Connected key={key} /> : <HowToGetKey />}</main>
    </>
  );
}

createRoot(document.getElementById("console")!).render(
  <StrictMode>
    <Console />
  </StrictMode>,
);
