// graphql-js quotes the offending input in its messages ("Variable "$input" got invalid value
// { …, secret: "…" }", "String cannot represent a non string value: …", "found …"). An input
// may hold a secret, so these messages are rebuilt without any value: the field path and the
// rule stay, the value goes.
import type { GraphQLError } from 'graphql';
import type { FieldProblem } from '../errors.js';

const VALUE_ECHOES: [RegExp, string][] = [
  [/(cannot represent[^:]*): [\s\S]*$/, '$1.'],
  [/^Value [\s\S]* does not exist in "(\w+)" enum\.?([\s\S]*)$/, 'The value is not one of the $1 enum values.$2'],
  [/(Expected value of type "[^"]+"), found [\s\S]*?(;|\.?$)/, '$1.'],
  [/(Expected type "[^"]+")[\s\S]*?, found [\s\S]*?(;|\.?$)/, '$1.'],
];

export function withoutValues(message: string): string {
  return VALUE_ECHOES.reduce((text, [pattern, replacement]) => text.replace(pattern, replacement), message);
}

/**
 * For a variable that failed coercion: a message and a field problem without the value.
 * The field is the path inside the variable ("input.port" → "port"), or the variable's name.
 */
export function describeVariableError(error: GraphQLError): { message: string; problem: FieldProblem } | null {
  const inner = error.originalError;
  const match = /^Variable "\$(\w+)" got invalid value /.exec(error.message);
  if (!match || !inner) return null;
  const prefix = error.message.slice(0, Math.max(0, error.message.length - inner.message.length - 2));
  const path = / at "([^"]+)"$/.exec(prefix)?.[1];
  const within = path ? path.split('.').slice(1).join('.').replace(/\[\d+\]/g, '') : '';
  // A missing or unknown field is reported at its parent object, naming the field in the rule.
  const named = /^Field "(\w+)"/.exec(inner.message)?.[1];
  const field = [within, named].filter(Boolean).join('.') || match[1]!;
  const rule = withoutValues(inner.message);
  return { message: `Variable "$${match[1]}" has an invalid value at "${field}": ${rule}`, problem: { field, message: rule } };
}
