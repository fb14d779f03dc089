/**
 * Maps the error text of iproute2 (and of nsenter and sh) to a {@link NetopsErrorKind}. iproute2
 * prints strerror() texts ("RTNETLINK answers: File exists") or its own ("Cannot find device"),
 * so matching the text is the only way to learn the errno.
 */
import type { NetopsErrorKind } from './errors.js';

const RULES: ReadonlyArray<readonly [RegExp, NetopsErrorKind]> = [
  [/File exists|already exists|already assigned|EEXIST/i, 'exists'],
  [
    /Cannot find device|does not exist|not found|nonexistent|No such device|No such process|No such file or directory|Cannot open network namespace|ENOENT|ENODEV|ESRCH/i,
    'not-found',
  ],
  [/Operation not supported|not supported|EOPNOTSUPP/i, 'not-supported'],
  [/Device or resource busy|Resource busy|EBUSY/i, 'busy'],
  [
    /Invalid argument|Numerical result out of range|is unknown, try|is wrong|Invalid "|invalid|EINVAL/i,
    'invalid',
  ],
];

/**
 * The kind of failure a piece of error text describes; `failed` when nothing matches. `hints` are
 * tried first: an operation can give a message a more precise meaning (deleting an absent address
 * answers "Cannot assign requested address", which there means not-found).
 */
export function classifyMessage(
  text: string,
  hints: ReadonlyArray<readonly [RegExp, NetopsErrorKind]> = [],
): NetopsErrorKind {
  for (const [pattern, kind] of hints) if (pattern.test(text)) return kind;
  for (const [pattern, kind] of RULES) if (pattern.test(text)) return kind;
  return 'failed';
}

/**
 * The kind of a failure whose errno is known (a request refused over netlink): what
 * {@link classifyMessage} says of the text netlink failures carry (netlink/strerror.ts), without
 * running the expressions, whose first use costs start-up time. Tested against classifyMessage
 * for every errno.
 */
export function errnoKind(errno: number): NetopsErrorKind {
  switch (errno) {
    case 17: // EEXIST
      return 'exists';
    case 2: // ENOENT
    case 3: // ESRCH
    case 19: // ENODEV
      return 'not-found';
    case 93: // EPROTONOSUPPORT
    case 95: // EOPNOTSUPP
    case 97: // EAFNOSUPPORT
      return 'not-supported';
    case 16: // EBUSY
      return 'busy';
    case 22: // EINVAL
    case 34: // ERANGE
      return 'invalid';
    default:
      return 'failed';
  }
}
