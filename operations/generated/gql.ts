/* eslint-disable */
import * as types from './graphql.js';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "query PlatformsNearby($territoryId: ID!, $first: Int) {\n  territory(id: $territoryId) {\n    name\n    platforms(first: $first) {\n      totalCount\n      nodes {\n        slug\n        name\n        themes {\n          slug\n          label\n        }\n        territories {\n          id\n        }\n        source\n      }\n    }\n  }\n}\n\nquery Platforms($theme: String, $territoryId: ID, $search: String, $first: Int, $after: String) {\n  platforms(\n    theme: $theme\n    territoryId: $territoryId\n    search: $search\n    first: $first\n    after: $after\n  ) {\n    totalCount\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    nodes {\n      slug\n      name\n      url\n      source\n      sourceId\n      software {\n        slug\n        name\n        licence\n      }\n      operator {\n        id\n        name\n      }\n    }\n  }\n}": typeof types.PlatformsNearbyDocument,
    "query TerritoryPage($id: ID!) {\n  territory(id: $id) {\n    id\n    name\n    kind\n    parent {\n      id\n      name\n    }\n    epci {\n      id\n      name\n    }\n    departement {\n      code\n      name\n    }\n    region {\n      name\n    }\n  }\n}\n\nquery TerritoryMembers($id: ID!, $first: Int, $after: String) {\n  territory(id: $id) {\n    name\n    members(first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      nodes {\n        id\n        name\n        kind\n      }\n    }\n  }\n}\n\nquery SearchTerritories($search: String, $kind: TerritoryKind, $postalCode: String, $first: Int, $after: String) {\n  territories(\n    search: $search\n    kind: $kind\n    postalCode: $postalCode\n    first: $first\n    after: $after\n  ) {\n    totalCount\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    edges {\n      cursor\n      node {\n        id\n        name\n        kind\n        population\n      }\n    }\n  }\n}": typeof types.TerritoryPageDocument,
};
const documents: Documents = {
    "query PlatformsNearby($territoryId: ID!, $first: Int) {\n  territory(id: $territoryId) {\n    name\n    platforms(first: $first) {\n      totalCount\n      nodes {\n        slug\n        name\n        themes {\n          slug\n          label\n        }\n        territories {\n          id\n        }\n        source\n      }\n    }\n  }\n}\n\nquery Platforms($theme: String, $territoryId: ID, $search: String, $first: Int, $after: String) {\n  platforms(\n    theme: $theme\n    territoryId: $territoryId\n    search: $search\n    first: $first\n    after: $after\n  ) {\n    totalCount\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    nodes {\n      slug\n      name\n      url\n      source\n      sourceId\n      software {\n        slug\n        name\n        licence\n      }\n      operator {\n        id\n        name\n      }\n    }\n  }\n}": types.PlatformsNearbyDocument,
    "query TerritoryPage($id: ID!) {\n  territory(id: $id) {\n    id\n    name\n    kind\n    parent {\n      id\n      name\n    }\n    epci {\n      id\n      name\n    }\n    departement {\n      code\n      name\n    }\n    region {\n      name\n    }\n  }\n}\n\nquery TerritoryMembers($id: ID!, $first: Int, $after: String) {\n  territory(id: $id) {\n    name\n    members(first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      nodes {\n        id\n        name\n        kind\n      }\n    }\n  }\n}\n\nquery SearchTerritories($search: String, $kind: TerritoryKind, $postalCode: String, $first: Int, $after: String) {\n  territories(\n    search: $search\n    kind: $kind\n    postalCode: $postalCode\n    first: $first\n    after: $after\n  ) {\n    totalCount\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    edges {\n      cursor\n      node {\n        id\n        name\n        kind\n        population\n      }\n    }\n  }\n}": types.TerritoryPageDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query PlatformsNearby($territoryId: ID!, $first: Int) {\n  territory(id: $territoryId) {\n    name\n    platforms(first: $first) {\n      totalCount\n      nodes {\n        slug\n        name\n        themes {\n          slug\n          label\n        }\n        territories {\n          id\n        }\n        source\n      }\n    }\n  }\n}\n\nquery Platforms($theme: String, $territoryId: ID, $search: String, $first: Int, $after: String) {\n  platforms(\n    theme: $theme\n    territoryId: $territoryId\n    search: $search\n    first: $first\n    after: $after\n  ) {\n    totalCount\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    nodes {\n      slug\n      name\n      url\n      source\n      sourceId\n      software {\n        slug\n        name\n        licence\n      }\n      operator {\n        id\n        name\n      }\n    }\n  }\n}"): (typeof documents)["query PlatformsNearby($territoryId: ID!, $first: Int) {\n  territory(id: $territoryId) {\n    name\n    platforms(first: $first) {\n      totalCount\n      nodes {\n        slug\n        name\n        themes {\n          slug\n          label\n        }\n        territories {\n          id\n        }\n        source\n      }\n    }\n  }\n}\n\nquery Platforms($theme: String, $territoryId: ID, $search: String, $first: Int, $after: String) {\n  platforms(\n    theme: $theme\n    territoryId: $territoryId\n    search: $search\n    first: $first\n    after: $after\n  ) {\n    totalCount\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    nodes {\n      slug\n      name\n      url\n      source\n      sourceId\n      software {\n        slug\n        name\n        licence\n      }\n      operator {\n        id\n        name\n      }\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query TerritoryPage($id: ID!) {\n  territory(id: $id) {\n    id\n    name\n    kind\n    parent {\n      id\n      name\n    }\n    epci {\n      id\n      name\n    }\n    departement {\n      code\n      name\n    }\n    region {\n      name\n    }\n  }\n}\n\nquery TerritoryMembers($id: ID!, $first: Int, $after: String) {\n  territory(id: $id) {\n    name\n    members(first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      nodes {\n        id\n        name\n        kind\n      }\n    }\n  }\n}\n\nquery SearchTerritories($search: String, $kind: TerritoryKind, $postalCode: String, $first: Int, $after: String) {\n  territories(\n    search: $search\n    kind: $kind\n    postalCode: $postalCode\n    first: $first\n    after: $after\n  ) {\n    totalCount\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    edges {\n      cursor\n      node {\n        id\n        name\n        kind\n        population\n      }\n    }\n  }\n}"): (typeof documents)["query TerritoryPage($id: ID!) {\n  territory(id: $id) {\n    id\n    name\n    kind\n    parent {\n      id\n      name\n    }\n    epci {\n      id\n      name\n    }\n    departement {\n      code\n      name\n    }\n    region {\n      name\n    }\n  }\n}\n\nquery TerritoryMembers($id: ID!, $first: Int, $after: String) {\n  territory(id: $id) {\n    name\n    members(first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      nodes {\n        id\n        name\n        kind\n      }\n    }\n  }\n}\n\nquery SearchTerritories($search: String, $kind: TerritoryKind, $postalCode: String, $first: Int, $after: String) {\n  territories(\n    search: $search\n    kind: $kind\n    postalCode: $postalCode\n    first: $first\n    after: $after\n  ) {\n    totalCount\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    edges {\n      cursor\n      node {\n        id\n        name\n        kind\n        population\n      }\n    }\n  }\n}"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;