import { z } from 'zod';
import { FieldIssue, InvalidError } from '../domain/errors';

function fieldIssues(error: z.ZodError): FieldIssue[] {
  return error.issues.flatMap((issue): FieldIssue[] => {
    // `.strict()` reports unknown keys on the parent; name each one so the caller knows what to remove.
    if (issue.code === 'unrecognized_keys') {
      const parent = issue.path.join('.');
      return issue.keys.map((k) => ({ field: parent ? `${parent}.${k}` : k, message: 'is not a known field' }));
    }
    return [{ field: issue.path.join('.') || '(body)', message: issue.message }];
  });
}

/** Parses untrusted input or throws an InvalidError naming every bad field (mapped to 400). */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw InvalidError.fields(fieldIssues(result.error));
  return result.data;
}
