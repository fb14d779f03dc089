/**
 * glibc's strerror() texts of the errnos rtnetlink answers with, so that a failure met over
 * netlink reads (and classifies) as iproute2 prints it: `RTNETLINK answers: File exists`.
 */
/** The errno of a missing link (`Cannot find device`, `Device ... does not exist`). */
export const ENODEV = 19;

// Built on first use: a failure is rare, and an object literal costs start-up time on every call.
const texts = (): Record<number, string> => ({
  1: 'Operation not permitted',
  2: 'No such file or directory',
  3: 'No such process',
  5: 'Input/output error',
  12: 'Cannot allocate memory',
  13: 'Permission denied',
  16: 'Device or resource busy',
  17: 'File exists',
  19: 'No such device',
  22: 'Invalid argument',
  28: 'No space left on device',
  34: 'Numerical result out of range',
  61: 'No data available',
  90: 'Message too long',
  93: 'Protocol not supported',
  95: 'Operation not supported',
  97: 'Address family not supported by protocol',
  98: 'Address already in use',
  99: 'Cannot assign requested address',
  100: 'Network is down',
  101: 'Network is unreachable',
  105: 'No buffer space available',
  113: 'No route to host',
});

/** The strerror() text of `errno` (`Unknown error N` as glibc says for the others). */
export function strerror(errno: number): string {
  return texts()[errno] ?? `Unknown error ${errno}`;
}

/** The message iproute2 prints for a request the kernel refused with `errno`. */
export function rtnetlinkAnswer(errno: number): string {
  return `RTNETLINK answers: ${strerror(errno)}`;
}
