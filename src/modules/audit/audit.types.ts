// GraphQL types for the audit log.
import { GraphQLJSONObject } from 'graphql-scalars';
import { Field, ID, ObjectType } from 'type-graphql';
import { PageInfoType } from '../../graphql/connection.js';

@ObjectType('AuditEvent', { description: 'An append-only record of a change or a test. Never holds a secret.' })
export class AuditEventType {
  @Field(() => ID)
  id!: string;

  @Field(() => ID, { nullable: true })
  accountId!: string | null;

  @Field(() => ID, { nullable: true, description: 'The user who acted.' })
  actorUserId!: string | null;

  @Field({ description: 'e.g. credential.created, credential.rotated, member.added, auth.sign_in_failed' })
  action!: string;

  @Field(() => ID, { nullable: true })
  targetId!: string | null;

  @Field(() => String, { nullable: true })
  requestId!: string | null;

  @Field(() => GraphQLJSONObject, { description: 'Non-secret facts, e.g. { "from": 1, "to": 2 } for a rotation.' })
  details!: Record<string, unknown>;

  @Field()
  createdAt!: Date;
}

@ObjectType('AuditEventEdge')
export class AuditEventEdge {
  @Field()
  cursor!: string;

  @Field(() => AuditEventType)
  node!: AuditEventType;
}

@ObjectType('AuditEventConnection')
export class AuditEventConnection {
  @Field(() => [AuditEventEdge])
  edges!: AuditEventEdge[];

  @Field(() => PageInfoType)
  pageInfo!: PageInfoType;
}
