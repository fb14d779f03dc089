// Real iproute2 exiting in the middle of a -force batch, in throwaway namespaces only (Sandbox),
// as root: the outcomes netops records, and the journal undoing what ran before the exit.
import {
  execIn,
  isRoot,
  mustExecIn,
  NOT_ROOT_REASON,
  Sandbox,
  type Netns,
} from '@cnikit-tools/test-utils';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyBatch, IpBatch, Journal, showLink } from '../../src/index.js';
import { makeLine } from '../../src/batch/line.js';
import { rejection } from '../helpers/rejection.js';

/** The names of the links in `ns`, read with plain `ip -json` (not through netops). */
async function linkNames(ns: Netns): Promise<string[]> {
  const links = JSON.parse(await mustExecIn(ns, ['ip', '-json', 'link', 'show'])) as Array<{
    ifname: string;
  }>;
  return links.map((l) => l.ifname).sort();
}

describe.skipIf(!isRoot)(
  `ip exiting midway a batch, in throwaway namespaces (${NOT_ROOT_REASON})`,
  () => {
    let sandbox: Sandbox;
    let host: Netns;

    beforeEach(async () => {
      sandbox = new Sandbox();
      host = await sandbox.host();
    });
    afterEach(async () => {
      await sandbox.cleanup();
    });

    /** Line 1 makes a veth, line 2 names a missing master (ip exits), line 3 makes another veth. */
    const exitingBatch = () =>
      new IpBatch()
        .vethAdd({ name: 'mx0', peerName: 'mx0p' })
        .linkSet('mx0', { master: 'missing0' })
        .vethAdd({ name: 'mx1', peerName: 'mx1p' });

    it('reproduction: ip -force exits 255 at a missing master, without a Command failed line', async () => {
      const scratch = await sandbox.container();
      const raw = await execIn(scratch, ['ip', '-force', '-batch', '-'], {
        input: exitingBatch().text(),
      });
      expect(raw.exitCode).toBe(255);
      expect(raw.stderr).not.toMatch(/Command failed/);
      expect(raw.stderr).toMatch(/argument "missing0" is wrong/);
      // Line 1 ran, line 3 did not.
      expect(await linkNames(scratch)).toEqual(['lo', 'mx0', 'mx0p']);
    });

    it('records what ran, runs the rest, and the journal undoes the created links', async () => {
      const journal = new Journal();
      const err = await rejection(
        applyBatch(exitingBatch(), { netns: host.path, onError: 'continue', journal }),
      );
      expect(err).toMatchObject({
        kind: 'not-found',
        stage: 'command',
        line: 2,
        lineText: 'link set dev mx0 master missing0',
        exitCode: 255,
      });
      expect(err.outcomes?.map((o) => o.status)).toEqual(['ok', 'failed', 'ok']);
      expect(await linkNames(host)).toEqual(['lo', 'mx0', 'mx0p', 'mx1', 'mx1p']);

      expect(journal.plan().map((s) => s.undo.text())).toEqual([
        'link del dev mx1\nlink del dev mx0\n',
      ]);
      expect(await journal.rollback()).toEqual([]);
      expect(await linkNames(host)).toEqual(['lo']);
    });

    it('an exit naming no line: the lines that may have run are unknown, and undone anyway', async () => {
      const journal = new Journal();
      const b = new IpBatch().vethAdd({ name: 'ma', peerName: 'map' });
      b.query(showLink('ma'));
      b.vethAdd({ name: 'mb', peerName: 'mbp' })
        // A keyword without its value: ip says "Command line is not complete" and exits.
        .add(makeLine(['link', 'set', 'dev', 'mb', 'mtu']));
      b.query(showLink('mb'));
      b.vethAdd({ name: 'mc', peerName: 'mcp' });
      const err = await rejection(
        applyBatch(b, { netns: host.path, onError: 'continue', journal }),
      );
      expect(err).toMatchObject({ stage: 'command', line: undefined, exitCode: 255 });
      expect(err.message).toContain('somewhere in lines 3-5');
      // Line 2 printed its document, line 5 did not; line 6 ran in one more process.
      expect(err.outcomes?.map((o) => o.status)).toEqual([
        'ok',
        'ok',
        'unknown',
        'unknown',
        'unknown',
        'ok',
      ]);
      expect(await linkNames(host)).toEqual(['lo', 'ma', 'map', 'mb', 'mbp', 'mc', 'mcp']);

      expect(await journal.rollback()).toEqual([]);
      expect(await linkNames(host)).toEqual(['lo']);
    });
  },
);
