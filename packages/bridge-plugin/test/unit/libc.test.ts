/**
 * The Bun executable's system calls (libc.ts through bun:ffi, and the netlink link read), run for
 * real under `bun` (the tests themselves run on Node, which has no bun:ffi). Unprivileged.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const BUN = join(import.meta.dirname, '../../../../node_modules/.bin/bun');
const PROBE = join(import.meta.dirname, 'libc-probe.ts');
/** Larger than the first read buffer (64 KiB), so later reads must land after the earlier ones. */
const STDIN = Array.from({ length: 30_000 }, (_, i) => `line ${i}`).join('\n');

describe('libc through bun:ffi', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cnikit-libc-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  // writeFile opens without O_CREAT, as /proc/sys files want.
  writeFileSync(join(dir, 'file'), '');

  const seen = JSON.parse(
    execFileSync(BUN, ['--conditions=@cnikit/source', PROBE, dir], {
      input: STDIN,
      encoding: 'utf8',
    }),
  ) as Record<string, unknown>;

  it('reads stdin to its end (several reads) and files back as written', () => {
    expect(seen.stdin).toBe(STDIN);
    expect(seen.readBack).toBe('written by write(2)');
  });

  it('makes a memory file and reads it from its start', () => {
    expect(seen.memfdText).toBe('in memory');
  });

  it('reads once per call, into the buffer at the offset given, 0 at end of file', () => {
    // 19 bytes: 7 into [3, 10), the other 12 from 10 on, then end of file.
    expect(seen.readCounts).toEqual([7, 12, 0]);
    expect(seen.readBuffer).toBe('...written by write(2)..');
    expect(seen.badRead).toMatch(/^EBADF /);
  });

  it('gives a path and its open descriptor the same identity, another file another', () => {
    expect(seen.sameId).toBe(true);
    expect(seen.otherId).toBe(false);
    expect(seen.ownNetnsTwice).toBe(true);
  });

  it('reads statfs magics and tells regular files from directories and missing paths', () => {
    expect(seen.procMagic).toBe('9fa0');
    expect(seen.regular).toEqual([true, false, false]);
  });

  it('throws errno errors shaped like Node (code, text, call, path)', () => {
    expect(seen.missingRead).toBe(
      `ENOENT ENOENT: no such file or directory, open '${dir}/missing'`,
    );
    expect(seen.missingStatfs).toMatch(/^ENOENT .*, statfs '/);
    expect(seen.missingId).toMatch(/^ENOENT .*, statx '/);
  });

  it('sends netlink requests in the background through io_uring where the kernel allows it', () => {
    const disabled = existsSync('/proc/sys/kernel/io_uring_disabled')
      ? readFileSync('/proc/sys/kernel/io_uring_disabled', 'utf8').trim()
      : '0';
    expect(seen.background).toBe(disabled === '0');
    expect(seen.backgroundAnswerType).toBe(seen.background ? 16 : null);
    // Root learns the link is absent; anyone else is refused first.
    expect(seen.absentDeletion).toBe(
      process.getuid?.() === 0 ? 'absent' : 'RTNETLINK answers: Operation not permitted',
    );
  });

  it('reads a link with its addresses over netlink (no process), and nothing for a missing one', () => {
    expect(seen.lo).toMatchObject({ name: 'lo', mac: '00:00:00:00:00:00', mtu: 65536 });
    expect(typeof (seen.lo as { ifindex: unknown }).ifindex).toBe('number');
    expect(['UNKNOWN', 'DOWN']).toContain((seen.lo as { operstate: string }).operstate);
    expect(seen.absent).toBeNull();
  });
});
