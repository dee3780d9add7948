import { z } from 'zod';
import { FieldIssue, InvalidError, IssueCode } from '../domain/errors';
import { issue } from '../domain/wish/rules';

/** Zod's issues in the domain's words: the same codes the bot translates, the same English the rules use. */
export function fieldIssues(error: z.ZodError): FieldIssue[] {
  return error.issues.flatMap((i): FieldIssue[] => {
    const field = i.path.join('.') || '(body)';
    // `.strict()` reports unknown keys on the parent; name each one so the caller knows what to remove.
    if (i.code === 'unrecognized_keys') return i.keys.map((k) => issue(field === '(body)' ? k : `${field}.${k}`, 'unknown_field'));
    if (i.code === 'invalid_type') {
      return [i.input === undefined ? issue(field, 'required') : issue(field, 'wrong_type', { expected: expectedOf(i.expected) })];
    }
    if (i.code === 'invalid_value') {
      return [i.input === undefined ? issue(field, 'required') : issue(field, 'not_a_choice', { choices: i.values.map(String).join(', ') })];
    }
    if (i.code === 'too_small') return [issue(field, 'too_small', { min: Number(i.minimum) })];
    if (i.code === 'too_big') return [issue(field, 'too_large', { max: Number(i.maximum) })];
    const code = (i as { params?: { code?: IssueCode } }).params?.code;
    return [code ? issue(field, code) : { field, code: 'wrong_type', message: i.message }];
  });
}

function expectedOf(expected: string): string {
  return { string: 'a string', number: 'a number', boolean: 'true or false', object: 'an object', array: 'a list', int: 'a whole number' }[expected] ?? expected;
}

/** Parses untrusted input or throws an InvalidError naming every bad field (mapped to 400). */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input, { reportInput: true });
  if (!result.success) throw InvalidError.fields(fieldIssues(result.error));
  return result.data;
}
