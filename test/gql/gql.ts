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
    "query AuditEvents($accountId: ID!, $first: Int, $after: String) {\n  auditEvents(accountId: $accountId, first: $first, after: $after) {\n    edges {\n      cursor\n      node {\n        id\n        accountId\n        actorUserId\n        action\n        targetId\n        requestId\n        details\n        createdAt\n      }\n    }\n    pageInfo {\n      endCursor\n      hasNextPage\n    }\n  }\n}": typeof types.AuditEventsDocument,
    "mutation SignUp($input: SignUpInput!) {\n  signUp(input: $input) {\n    token\n    user {\n      id\n      email\n    }\n    account {\n      id\n      name\n    }\n  }\n}\n\nmutation SignIn($input: SignInInput!) {\n  signIn(input: $input) {\n    token\n    user {\n      id\n      email\n    }\n    accounts {\n      id\n      name\n    }\n  }\n}\n\nmutation SignOut {\n  signOut\n}\n\nquery Me {\n  me {\n    id\n    email\n    memberships {\n      role\n      account {\n        id\n        name\n      }\n    }\n  }\n}": typeof types.SignUpDocument,
    "query Health {\n  health {\n    status\n  }\n}": typeof types.HealthDocument,
    "query AccountMembers($accountId: ID!) {\n  accountMembers(accountId: $accountId) {\n    userId\n    email\n    role\n  }\n}\n\nmutation PutAccountMember($accountId: ID!, $input: AccountMemberInput!) {\n  putAccountMember(accountId: $accountId, input: $input) {\n    userId\n    email\n    role\n  }\n}\n\nmutation RemoveAccountMember($accountId: ID!, $userId: ID!) {\n  removeAccountMember(accountId: $accountId, userId: $userId)\n}": typeof types.AccountMembersDocument,
};
const documents: Documents = {
    "query AuditEvents($accountId: ID!, $first: Int, $after: String) {\n  auditEvents(accountId: $accountId, first: $first, after: $after) {\n    edges {\n      cursor\n      node {\n        id\n        accountId\n        actorUserId\n        action\n        targetId\n        requestId\n        details\n        createdAt\n      }\n    }\n    pageInfo {\n      endCursor\n      hasNextPage\n    }\n  }\n}": types.AuditEventsDocument,
    "mutation SignUp($input: SignUpInput!) {\n  signUp(input: $input) {\n    token\n    user {\n      id\n      email\n    }\n    account {\n      id\n      name\n    }\n  }\n}\n\nmutation SignIn($input: SignInInput!) {\n  signIn(input: $input) {\n    token\n    user {\n      id\n      email\n    }\n    accounts {\n      id\n      name\n    }\n  }\n}\n\nmutation SignOut {\n  signOut\n}\n\nquery Me {\n  me {\n    id\n    email\n    memberships {\n      role\n      account {\n        id\n        name\n      }\n    }\n  }\n}": types.SignUpDocument,
    "query Health {\n  health {\n    status\n  }\n}": types.HealthDocument,
    "query AccountMembers($accountId: ID!) {\n  accountMembers(accountId: $accountId) {\n    userId\n    email\n    role\n  }\n}\n\nmutation PutAccountMember($accountId: ID!, $input: AccountMemberInput!) {\n  putAccountMember(accountId: $accountId, input: $input) {\n    userId\n    email\n    role\n  }\n}\n\nmutation RemoveAccountMember($accountId: ID!, $userId: ID!) {\n  removeAccountMember(accountId: $accountId, userId: $userId)\n}": types.AccountMembersDocument,
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
export function graphql(source: "query AuditEvents($accountId: ID!, $first: Int, $after: String) {\n  auditEvents(accountId: $accountId, first: $first, after: $after) {\n    edges {\n      cursor\n      node {\n        id\n        accountId\n        actorUserId\n        action\n        targetId\n        requestId\n        details\n        createdAt\n      }\n    }\n    pageInfo {\n      endCursor\n      hasNextPage\n    }\n  }\n}"): (typeof documents)["query AuditEvents($accountId: ID!, $first: Int, $after: String) {\n  auditEvents(accountId: $accountId, first: $first, after: $after) {\n    edges {\n      cursor\n      node {\n        id\n        accountId\n        actorUserId\n        action\n        targetId\n        requestId\n        details\n        createdAt\n      }\n    }\n    pageInfo {\n      endCursor\n      hasNextPage\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation SignUp($input: SignUpInput!) {\n  signUp(input: $input) {\n    token\n    user {\n      id\n      email\n    }\n    account {\n      id\n      name\n    }\n  }\n}\n\nmutation SignIn($input: SignInInput!) {\n  signIn(input: $input) {\n    token\n    user {\n      id\n      email\n    }\n    accounts {\n      id\n      name\n    }\n  }\n}\n\nmutation SignOut {\n  signOut\n}\n\nquery Me {\n  me {\n    id\n    email\n    memberships {\n      role\n      account {\n        id\n        name\n      }\n    }\n  }\n}"): (typeof documents)["mutation SignUp($input: SignUpInput!) {\n  signUp(input: $input) {\n    token\n    user {\n      id\n      email\n    }\n    account {\n      id\n      name\n    }\n  }\n}\n\nmutation SignIn($input: SignInInput!) {\n  signIn(input: $input) {\n    token\n    user {\n      id\n      email\n    }\n    accounts {\n      id\n      name\n    }\n  }\n}\n\nmutation SignOut {\n  signOut\n}\n\nquery Me {\n  me {\n    id\n    email\n    memberships {\n      role\n      account {\n        id\n        name\n      }\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query Health {\n  health {\n    status\n  }\n}"): (typeof documents)["query Health {\n  health {\n    status\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query AccountMembers($accountId: ID!) {\n  accountMembers(accountId: $accountId) {\n    userId\n    email\n    role\n  }\n}\n\nmutation PutAccountMember($accountId: ID!, $input: AccountMemberInput!) {\n  putAccountMember(accountId: $accountId, input: $input) {\n    userId\n    email\n    role\n  }\n}\n\nmutation RemoveAccountMember($accountId: ID!, $userId: ID!) {\n  removeAccountMember(accountId: $accountId, userId: $userId)\n}"): (typeof documents)["query AccountMembers($accountId: ID!) {\n  accountMembers(accountId: $accountId) {\n    userId\n    email\n    role\n  }\n}\n\nmutation PutAccountMember($accountId: ID!, $input: AccountMemberInput!) {\n  putAccountMember(accountId: $accountId, input: $input) {\n    userId\n    email\n    role\n  }\n}\n\nmutation RemoveAccountMember($accountId: ID!, $userId: ID!) {\n  removeAccountMember(accountId: $accountId, userId: $userId)\n}"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;