/**
 * What "already exists" looks like in iproute2's output: the errno text, or the kernel's extended
 * ack message (e.g. "Error: ipv4: Address already assigned.").
 */
export const EXISTS = /File exists|already (?:assigned|exists)/i;
