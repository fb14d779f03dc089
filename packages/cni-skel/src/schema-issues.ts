/**
 * Turns zod issues into short English text naming the field ("ipam.type: expected string").
 * zod/mini ships no messages (it says "Invalid input"), so the text is built from each issue's
 * code and data; custom checks keep their own message.
 */
import type * as z from 'zod/mini';

type Issue = z.core.$ZodIssue;

/** "a.b[0].c" for a zod path; "(root)" for the empty path. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out === '' ? '(root)' : out;
}

function bound(issue: { inclusive?: boolean }, strict: string, loose: string): string {
  return issue.inclusive === false ? strict : loose;
}

function reason(issue: Issue): string {
  switch (issue.code) {
    case 'invalid_type':
      return `expected ${issue.expected}`;
    case 'too_small':
      return `must be ${bound(issue, 'more than', 'at least')} ${String(issue.minimum)}${issue.origin === 'string' ? ' characters' : issue.origin === 'array' ? ' items' : ''}`;
    case 'too_big':
      return `must be ${bound(issue, 'less than', 'at most')} ${String(issue.maximum)}${issue.origin === 'string' ? ' characters' : issue.origin === 'array' ? ' items' : ''}`;
    case 'invalid_value':
      return `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'invalid_format':
      return `invalid ${issue.format}`;
    case 'unrecognized_keys':
      return `unknown keys ${issue.keys.map((k) => JSON.stringify(k)).join(', ')}`;
    case 'invalid_union':
      return 'matches none of the allowed forms';
    case 'not_multiple_of':
      return `must be a multiple of ${String(issue.divisor)}`;
    default:
      return issue.message;
  }
}

/** One line per issue: "field.path: reason". */
export function formatIssues(issues: readonly Issue[]): string[] {
  return issues.map((issue) => `${formatPath(issue.path)}: ${reason(issue)}`);
}
