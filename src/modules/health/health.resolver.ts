// `Query.health`: a cheap, unauthenticated liveness answer for GraphQL clients (the HTTP
// probes are /healthz and /readyz).
import { Field, ObjectType, Query, Resolver } from 'type-graphql';

@ObjectType({ description: 'Liveness of the API process.' })
export class Health {
  @Field({ description: 'Always "ok" when the process answers.' })
  status!: string;
}

@Resolver()
export class HealthResolver {
  @Query(() => Health, { description: 'Answers without touching the database or requiring a token.' })
  health(): Health {
    return { status: 'ok' };
  }
}
