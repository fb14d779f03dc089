/**
 * The on-disk store, in the reference's format so both can serve one node: under
 * `<dataDir>/<network>/`, one file per reserved address named by its canonical text and holding
 * `<containerID>\r\n<ifname>`, `last_reserved_ip.<range set index>` holding the last address
 * reserved from that range set, and the `lock` file that every writer flocks. Callers hold the
 * lock (see lock.ts) around anything that reads then writes.
 */
import { constants } from 'node:fs';
import { mkdir, open, readdir, readFile, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { HostLocalError, pathErrorText } from './errors.js';
import { formatIp, parseIp, type IpAddress } from './ip.js';
import {
  formatReservation,
  parseReservation,
  type Attachment,
  type ReservationOwner,
} from './reservation.js';

/** Where the reference keeps its stores when the config names no `dataDir`. */
export const DEFAULT_DATA_DIR = '/var/lib/cni/networks';

const LAST_RESERVED_PREFIX = 'last_reserved_ip.';
const LOCK_FILE = 'lock';

/** A reservation file: the address it reserves, its file name and its owner. */
export interface StoredReservation {
  readonly address: IpAddress;
  readonly file: string;
  readonly owner: ReservationOwner;
}

const isErrno = (error: unknown, code: string): boolean =>
  error instanceof Error && (error as NodeJS.ErrnoException).code === code;

/** The network name becomes a directory name: refuse anything that could leave dataDir. */
function checkNetworkName(network: string): void {
  if (network === '' || network === '.' || network === '..' || /[/\0]/.test(network)) {
    throw new HostLocalError('config', `invalid network name ${JSON.stringify(network)}`);
  }
}

/** One network's store directory. */
export class DiskStore {
  /** `<dataDir>/<network>`. */
  readonly dir: string;
  /** The file flocked around every change. */
  readonly lockFile: string;

  constructor(dataDir: string, network: string) {
    checkNetworkName(network);
    this.dir = join(dataDir, network);
    this.lockFile = join(this.dir, LOCK_FILE);
  }

  /** Creates the directory (and dataDir) when missing, mode 0755 as the reference. */
  async ensure(): Promise<void> {
    try {
      await mkdir(this.dir, { recursive: true, mode: 0o755 });
    } catch (error) {
      throw new HostLocalError('store', pathErrorText('mkdir', this.dir, error), { cause: error });
    }
  }

  /** The addresses reserved, by file name alone (no owners read). */
  async reservedAddresses(): Promise<IpAddress[]> {
    return (await this.reservationFiles()).map((f) => f.address);
  }

  /** Every reservation with its owner. Files that vanish while reading are skipped. */
  async reservations(): Promise<StoredReservation[]> {
    const files = await this.reservationFiles();
    const read = await Promise.all(
      files.map(async ({ address, file }) => {
        try {
          const owner = parseReservation(await readFile(join(this.dir, file), 'utf8'));
          return { address, file, owner };
        } catch (error) {
          if (isErrno(error, 'ENOENT')) return undefined;
          throw this.failure('open', file, error);
        }
      }),
    );
    return read.filter((r): r is StoredReservation => r !== undefined);
  }

  /**
   * Reserves `address` for the attachment (exclusive create) and records it as the last reserved
   * of the range set. False when someone holds it already.
   */
  async reserve(address: IpAddress, owner: Attachment, rangeSetIndex: number): Promise<boolean> {
    const file = formatIp(address);
    const path = join(this.dir, file);
    let handle;
    try {
      handle = await open(path, constants.O_RDWR | constants.O_CREAT | constants.O_EXCL, 0o644);
    } catch (error) {
      if (isErrno(error, 'EEXIST')) return false;
      throw this.failure('open', file, error);
    }
    try {
      await handle.writeFile(formatReservation(owner));
      await handle.close();
    } catch (error) {
      await handle.close().catch(() => undefined);
      await unlink(path).catch(() => undefined);
      throw this.failure('write', file, error);
    }
    const last = `${LAST_RESERVED_PREFIX}${rangeSetIndex}`;
    try {
      await writeFile(join(this.dir, last), file, { mode: 0o644 });
    } catch (error) {
      throw this.failure('open', last, error);
    }
    return true;
  }

  /** The last address reserved from the range set, if recorded and readable. */
  async lastReserved(rangeSetIndex: number): Promise<IpAddress | undefined> {
    try {
      // Parsed untrimmed, as the reference: a file it could not read starts the round afresh.
      return parseIp(
        await readFile(join(this.dir, `${LAST_RESERVED_PREFIX}${rangeSetIndex}`), 'utf8'),
      );
    } catch {
      return undefined;
    }
  }

  /** Deletes reservation files; already gone counts as done. Returns the failures. */
  async remove(files: readonly string[]): Promise<HostLocalError[]> {
    const failures: HostLocalError[] = [];
    for (const file of files) {
      try {
        await unlink(join(this.dir, file));
      } catch (error) {
        if (!isErrno(error, 'ENOENT')) failures.push(this.failure('remove', file, error));
      }
    }
    return failures;
  }

  /** Files whose name is an address: the reservations (lock and last_reserved_ip.* are not). */
  private async reservationFiles(): Promise<Array<{ address: IpAddress; file: string }>> {
    let entries;
    try {
      entries = await readdir(this.dir, { withFileTypes: true });
    } catch (error) {
      if (isErrno(error, 'ENOENT')) return [];
      throw new HostLocalError('store', pathErrorText('open', this.dir, error), { cause: error });
    }
    const files: Array<{ address: IpAddress; file: string }> = [];
    for (const entry of entries) {
      const address = entry.isFile() ? parseIp(entry.name) : undefined;
      if (address) files.push({ address, file: entry.name });
    }
    return files;
  }

  private failure(op: string, file: string, error: unknown): HostLocalError {
    return new HostLocalError('store', pathErrorText(op, join(this.dir, file), error), {
      cause: error,
    });
  }
}
