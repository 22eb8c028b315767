// Turns a zod schema's verdict into the API's VALIDATION_FAILED error: one entry per failing
// field, named as the caller wrote it, with the rule it broke.
import type { z } from 'zod';
import { validationFailed, type FieldProblem } from '../errors.js';

export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw validationFailed(toFieldProblems(result.error));
}

export function toFieldProblems(error: z.ZodError, fieldName: (path: string) => string = (path) => path): FieldProblem[] {
  const problems: FieldProblem[] = [];
  for (const issue of error.issues) {
    const base = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) problems.push({ field: fieldName(base ? `${base}.${key}` : key), message: 'is not a known field' });
    } else {
      problems.push({ field: fieldName(base || 'body'), message: issue.message });
    }
  }
  return problems;
}
