// Relay-style connections over the shared cursor pages.
import { Field, ObjectType } from 'type-graphql';
import { encodeCursor, type Page } from '../shared/pagination.js';

@ObjectType('PageInfo')
export class PageInfoType {
  @Field(() => String, { nullable: true })
  endCursor!: string | null;

  @Field()
  hasNextPage!: boolean;
}

export function toConnection<T extends { createdAt: Date; id: string }, N>(page: Page<T>, toNode: (item: T) => N) {
  const edges = page.items.map((item) => ({ cursor: encodeCursor(item), node: toNode(item) }));
  return { edges, pageInfo: { endCursor: edges.length ? edges[edges.length - 1]!.cursor : null, hasNextPage: page.nextCursor !== null } };
}
