/**
 * fast-check building blocks shared by the fuzz suites: hostile characters and text, JSON values
 * of any shape, and key spellings. Sizes and extra characters stay with each suite (what is huge
 * for an in-process parser is slow for a plugin run), so the builders take them as parameters.
 */
import fc from 'fast-check';

/** Characters every suite treats as hostile: breaks, controls, blanks, punctuation, non-ASCII. */
export const HOSTILE_CHARS: readonly string[] = [
  '\n',
  '\r',
  '\t',
  '\0',
  '\x01',
  '\x1b',
  '\x7f',
  '\x85',
  ' ',
  '\u00a0',
  '\u2028',
  '"',
  "'",
  '\\',
  '#',
  ';',
  '=',
  '$',
  '`',
  '/',
  ':',
  '-',
  '.',
  '%',
  'é',
  'K',
  '😀',
  '\ud800', // lone surrogate
];

/** One character of HOSTILE_CHARS or `extra`, uniformly; shrinks to the first one, "\n". */
export const hostileCharFrom = (extra: readonly string[] = []): fc.Arbitrary<string> =>
  fc.constantFrom(...HOSTILE_CHARS, ...extra);

/** A short piece (1-3 characters) repeated `min` to `max` times, for length limits. */
export const repeatedString = (min: number, max: number): fc.Arbitrary<string> =>
  fc
    .tuple(fc.string({ minLength: 1, maxLength: 3 }), fc.integer({ min, max }))
    .map(([piece, n]) => piece.repeat(n));

/** The sizes of {@link hostileStringOf}'s branches. */
export interface HostileStringSizes {
  /** Most pieces (hostile characters or short strings) in the mixed branch. */
  readonly maxParts: number;
  /** Longest string of any code unit. */
  readonly maxBinaryLength: number;
  /** Longest string of graphemes; no grapheme branch when absent. */
  readonly maxGraphemeLength?: number;
  /** Repeat counts of the long-run branch. */
  readonly repeat: { readonly min: number; readonly max: number };
}

/** Text: short pieces mixed with `char`s (weight 4), any code unit (2), graphemes (1), runs (1). */
export function hostileStringOf(
  char: fc.Arbitrary<string>,
  sizes: HostileStringSizes,
): fc.Arbitrary<string> {
  const mixed = fc
    .array(fc.oneof(char, fc.string({ maxLength: 4 })), { maxLength: sizes.maxParts })
    .map((parts) => parts.join(''));
  const branches: Array<fc.WeightedArbitrary<string>> = [
    { weight: 4, arbitrary: mixed },
    { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: sizes.maxBinaryLength }) },
  ];
  if (sizes.maxGraphemeLength !== undefined)
    branches.push({
      weight: 1,
      arbitrary: fc.string({ unit: 'grapheme', maxLength: sizes.maxGraphemeLength }),
    });
  branches.push({ weight: 1, arbitrary: repeatedString(sizes.repeat.min, sizes.repeat.max) });
  return fc.oneof(...branches);
}

/** The JSON leaves in order: null, booleans, integers, finite doubles, and `text` strings. */
export const jsonLeaves = (text: fc.Arbitrary<string>): Array<fc.Arbitrary<unknown>> => [
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  text,
];

/** A JSON value of any shape: one of `leaves`, or arrays and objects of up to `maxChildren`. */
export const anyJsonOf = (
  leaves: ReadonlyArray<fc.Arbitrary<unknown>>,
  maxChildren: number,
): fc.Arbitrary<unknown> =>
  fc.letrec<{ value: unknown }>((tie) => ({
    value: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      ...leaves,
      fc.array(tie('value'), { maxLength: maxChildren }),
      fc.dictionary(fc.string({ maxLength: 8 }), tie('value'), { maxKeys: maxChildren }),
    ),
  })).value;

/** `key` with a random case on its ASCII letters (Go's decoder matches keys case-insensitively). */
export const caseVariant = (key: string): fc.Arbitrary<string> => fc.mixedCase(fc.constant(key));
