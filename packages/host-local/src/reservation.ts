/**
 * What a reservation file holds and whom it belongs to. The reference writes
 * `<containerID>\r\n<ifname>`; releases older than CNI 0.7 wrote the container ID alone, and
 * such "legacy" files still belong to that container on any interface.
 */

/** The separator the reference writes between container ID and ifname. */
const LINE_BREAK = '\r\n';

/** The owner of a reservation; `ifName` is undefined in a legacy file. */
export interface ReservationOwner {
  readonly containerId: string;
  readonly ifName: string | undefined;
}

/** An attachment as CNI names it. */
export interface Attachment {
  readonly containerId: string;
  readonly ifName: string;
}

/** The bytes of a reservation file for an attachment (no trailing newline, as the reference). */
export const formatReservation = (owner: Attachment): string =>
  `${owner.containerId.trim()}${LINE_BREAK}${owner.ifName}`;

/** Reads a reservation file's text; surrounding whitespace is ignored, as the reference does. */
export function parseReservation(text: string): ReservationOwner {
  const content = text.trim();
  const cut = content.indexOf(LINE_BREAK);
  if (cut === -1) return { containerId: content, ifName: undefined };
  return { containerId: content.slice(0, cut), ifName: content.slice(cut + LINE_BREAK.length) };
}

/** True when the file names exactly this attachment (container ID and ifname). */
export const ownedExactly = (owner: ReservationOwner, attachment: Attachment): boolean =>
  owner.ifName !== undefined &&
  owner.containerId === attachment.containerId.trim() &&
  owner.ifName === attachment.ifName;

/** True when a legacy file (container ID only) names this attachment's container. */
export const ownedLegacy = (owner: ReservationOwner, attachment: Attachment): boolean =>
  owner.ifName === undefined && owner.containerId === attachment.containerId.trim();

/**
 * Of the given reservations, those that belong to the attachment, as the reference decides:
 * the exact matches, or when there are none, the legacy ones of its container.
 */
export function belongingTo<T extends { owner: ReservationOwner }>(
  reservations: readonly T[],
  attachment: Attachment,
): T[] {
  const exact = reservations.filter((r) => ownedExactly(r.owner, attachment));
  return exact.length > 0 ? exact : reservations.filter((r) => ownedLegacy(r.owner, attachment));
}

/**
 * True when GC must keep the reservation: its attachment is valid, or (legacy file) some valid
 * attachment has its container ID — dropping those would release live addresses after an upgrade.
 */
export function isStillValid(owner: ReservationOwner, valid: readonly Attachment[]): boolean {
  return valid.some((a) =>
    owner.ifName === undefined ? ownedLegacy(owner, a) : ownedExactly(owner, a),
  );
}
