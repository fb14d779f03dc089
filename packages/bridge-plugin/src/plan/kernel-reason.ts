/** The kernel's reason for a failure, in the words the reference prints. */

/**
 * Lower-cases iproute2's text into the Go form the reference prints ("RTNETLINK answers: File
 * exists" -> "file exists", "Error: ipv4: Address already assigned." -> "ipv4: address already
 * assigned").
 */
export function kernelReason(text: string): string {
  const last = text.trim().split('\n').pop() ?? '';
  const stripped = last
    .replace(/^RTNETLINK answers:\s*/, '')
    .replace(/^Error:\s*/, '')
    .replace(/\.$/, '')
    .trim();
  return stripped.charAt(0).toLowerCase() + stripped.slice(1);
}
