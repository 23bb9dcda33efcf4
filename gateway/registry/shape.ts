// The language module alone: the check's worker loads it before anything else (see check-worker.ts).
import {
  type DocumentNode,
  Kind,
  Lexer,
  Source,
  TokenKind,
  type TypeNode,
} from "graphql/language/index.js";
import type { Refusal } from "./checks.js";

/** Bounds on the shape of a published SDL, checked before anything costly is done with it. */
export interface ShapeBounds {
  /** `REGISTRY_MAX_TYPES`: type definitions and extensions in one subgraph. */
  maxTypes: number;
  /** `REGISTRY_MAX_DEPTH`: the longest chain of types, each the type of a field of the previous. */
  maxDepth: number;
}

const tooComplex = (what: string, extensions: Record<string, unknown>): Refusal => ({
  code: "SCHEMA_TOO_COMPLEX",
  message: `Schéma trop complexe : ${what} ; le graphe servi ne change pas.`,
  extensions,
});

/** Why an SDL is refused for its shape, too many types or too long a chain of them; null if it is not. */
export function shapeRefusal(document: DocumentNode, bounds: ShapeBounds): Refusal | null {
  const { types, depth } = schemaShape(document);
  if (types > bounds.maxTypes)
    return tooComplex(`${types} types, au plus ${bounds.maxTypes} (REGISTRY_MAX_TYPES)`, {
      types,
      depth,
      ...bounds,
    });
  if (depth > bounds.maxDepth)
    return tooComplex(
      `une chaîne de ${depth} types imbriqués, au plus ${bounds.maxDepth} (REGISTRY_MAX_DEPTH)`,
      { types, depth, ...bounds },
    );
  return null;
}

/**
 * How many types an SDL defines, and its depth: the longest chain of its types, each the type of a
 * field of the previous (a cycle counts once). Walked without recursion: the SDL may be hostile.
 */
export function schemaShape(document: DocumentNode): { types: number; depth: number } {
  const fieldTypes = new Map<string, string[]>();
  let types = 0;
  for (const definition of document.definitions) {
    if (
      !("name" in definition) ||
      !definition.name ||
      definition.kind === Kind.DIRECTIVE_DEFINITION
    )
      continue;
    types += 1;
    const fields = "fields" in definition ? (definition.fields ?? []) : [];
    const named = fields.map((field) => namedType(field.type));
    fieldTypes.set(definition.name.value, [
      ...(fieldTypes.get(definition.name.value) ?? []),
      ...named,
    ]);
  }
  const depth = new Map<string, number>();
  const open = new Set<string>();
  for (const start of fieldTypes.keys()) {
    if (depth.has(start)) continue;
    const stack: { name: string; next: number }[] = [{ name: start, next: 0 }];
    open.add(start);
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const children = fieldTypes.get(top.name)!;
      const child = children[top.next++];
      if (child !== undefined) {
        if (fieldTypes.has(child) && !depth.has(child) && !open.has(child)) {
          open.add(child);
          stack.push({ name: child, next: 0 });
        }
        continue;
      }
      stack.pop();
      open.delete(top.name);
      depth.set(top.name, 1 + children.reduce((most, c) => Math.max(most, depth.get(c) ?? 0), 0));
    }
  }
  return { types, depth: [...depth.values()].reduce((most, d) => Math.max(most, d), 0) };
}

function namedType(type: TypeNode): string {
  return type.kind === Kind.NAMED_TYPE ? type.name.value : namedType(type.type);
}

/** The keywords that open a type's definition or extension: what `REGISTRY_MAX_TYPES` counts. */
const TYPE_KEYWORDS = new Set(["type", "interface", "union", "enum", "input", "scalar"]);
/** The tokens after which the grammar wants a name (a type named `type` is legal), never a keyword. */
const BEFORE_A_NAME = new Set<string>([
  ...TYPE_KEYWORDS,
  "implements",
  "on",
  TokenKind.AT,
  TokenKind.AMP,
  TokenKind.EQUALS,
  TokenKind.PIPE,
]);
const OPENING = new Set<string>([TokenKind.BRACE_L, TokenKind.PAREN_L, TokenKind.BRACKET_L]);
const CLOSING = new Set<string>([TokenKind.BRACE_R, TokenKind.PAREN_R, TokenKind.BRACKET_R]);

/**
 * How many types an SDL defines at least, read from its tokens and no further than `limit + 1`:
 * the type keywords outside any braces, parentheses or brackets, but where the grammar wants a
 * name. Never more than `schemaShape` counts; lexing stops at a syntax error, which `parse` reports.
 */
export function typesAtLeast(sdl: string, limit: number): number {
  const lexer = new Lexer(new Source(sdl));
  let types = 0;
  let nesting = 0;
  let previous = "";
  try {
    for (let token = lexer.advance(); token.kind !== TokenKind.EOF; token = lexer.advance()) {
      const word = token.kind === TokenKind.NAME ? token.value : token.kind;
      if (OPENING.has(word)) nesting += 1;
      else if (CLOSING.has(word)) nesting -= 1;
      else if (nesting === 0 && TYPE_KEYWORDS.has(word) && !BEFORE_A_NAME.has(previous)) {
        types += 1;
        if (types > limit) break;
      }
      previous = word;
    }
  } catch {}
  return types;
}

/**
 * Why an SDL whose tokens already hold more types than allowed is refused; null otherwise. A
 * hostile megabyte of types is so refused without building its syntax tree (building and
 * collecting the tree of 20,000 types takes a second of CPU).
 */
export function typeCountRefusal(sdl: string, bounds: ShapeBounds): Refusal | null {
  return typesAtLeast(sdl, bounds.maxTypes) > bounds.maxTypes
    ? tooComplex(`plus de ${bounds.maxTypes} types (REGISTRY_MAX_TYPES)`, { ...bounds })
    : null;
}
