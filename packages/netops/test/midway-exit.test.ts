// iproute2 exiting in the middle of a batch (its argument parser rejects a line): what netops
// records per line, what it throws, and what the journal undoes. The stderr texts are iproute2
// 6.1's own (see integration/midway-exit.test.ts for the real thing).
import { describe, expect, it } from 'vitest';
import type { NetopsError } from '../src/index.js';
import {
  applyBatch,
  BridgeBatch,
  IpBatch,
  Journal,
  showLink,
  type LineStatus,
} from '../src/index.js';
import { makeLine } from '../src/batch/line.js';
import { exitedMidway, locateMidwayExit } from '../src/batch/midway-exit.js';
import { parseStderr } from '../src/batch/report.js';
import { docLine, fakeRunner } from './helpers/fake-runner.js';
import { rejection } from './helpers/rejection.js';

/** `link set dev X master missing0`: invarg() names the missing master, then exit(-1). */
const NO_MASTER = 'Error: argument "missing0" is wrong: Device does not exist\n\n';
/** A keyword without its value: incomplete_command(), which names no word of the line. */
const INCOMPLETE = 'Command line is not complete. Try option "help"\n';

function statuses(err: NetopsError): LineStatus[] | undefined {
  return err.outcomes?.map((o) => o.status);
}

describe('exitedMidway', () => {
  const res = (exitCode: number, stderr: string) => ({
    argv: ['ip'],
    exitCode,
    stdout: '',
    stderr,
  });
  const check = (exitCode: number, stderr: string, mode: 'stop' | 'continue') =>
    exitedMidway(res(exitCode, stderr), parseStderr(stderr), 3, mode);

  it('tells a normal end from an exit midway', () => {
    const reported = 'Cannot find device "nope"\nCommand failed -:2\n';
    expect(check(0, '', 'continue')).toBe(false);
    expect(check(1, reported, 'continue')).toBe(false);
    expect(check(1, reported, 'stop')).toBe(false);
    expect(check(255, reported + NO_MASTER, 'continue')).toBe(true);
    expect(check(255, NO_MASTER, 'stop')).toBe(true);
    // get_prefix() exits with 1: an error left without its Command failed marker gives it away.
    const prefix = 'Error: any valid prefix is expected rather than "garbage/24".\n';
    expect(check(1, reported + prefix, 'continue')).toBe(true);
  });
});

describe('locateMidwayExit', () => {
  const lines = (...texts: string[]) => texts.map((t) => makeLine(t.split(' ')));

  it('blames the only line holding the quoted word; earlier lines ran', () => {
    const chunk = lines('link add name v0 type dummy', 'link set dev v0 master missing0', 'x y');
    expect(locateMidwayExit(chunk, parseStderr(NO_MASTER), '')).toEqual({
      ranThrough: 1,
      lastPossible: 2,
      culprit: 2,
      text: 'Error: argument "missing0" is wrong: Device does not exist',
    });
  });

  it('keeps the span between the first and the last line holding the word', () => {
    const chunk = lines('a b', 'link set dev v0 master missing0', 'c d', 'e missing0', 'f g');
    expect(locateMidwayExit(chunk, parseStderr(NO_MASTER), '')).toMatchObject({
      ranThrough: 1,
      lastPossible: 4,
      culprit: undefined,
    });
  });
});

describe('applyBatch when iproute2 exits midway (continue mode, -force)', () => {
  it('exit 255 at a known line: records what ran, resumes after it, throws for that line', async () => {
    const journal = new Journal();
    const runner = fakeRunner({ exitCode: 255, stderr: NO_MASTER }, {});
    const b = new IpBatch()
      .vethAdd({ name: 'v0', peerName: 'p0' })
      .linkSet('v0', { master: 'missing0' })
      .linkSet('v0', { up: true });
    const err = await rejection(applyBatch(b, { runner, onError: 'continue', journal }));
    expect(err).toMatchObject({
      kind: 'not-found',
      stage: 'command',
      line: 2,
      lineText: 'link set dev v0 master missing0',
      exitCode: 255,
      stderr: NO_MASTER,
      argv: ['ip', '-force', '-batch', '-'],
    });
    expect(err.outcomes?.[1]?.message).toBe(
      'Error: argument "missing0" is wrong: Device does not exist',
    );
    expect(statuses(err)).toEqual(['ok', 'failed', 'ok']);
    // -force tries every line: the one after the exit runs in one more process.
    expect(runner.calls.map((c) => c.options.input)).toEqual([b.text(), 'link set dev v0 up\n']);
    expect(journal.steps[0]?.undo.text()).toBe('link del dev v0\n');
  });

  it('reported lines before the exit ran; the quoted word points past them', async () => {
    const stderr = `Cannot find device "nope"\nCommand failed -:2\n${NO_MASTER}`;
    const runner = fakeRunner({ exitCode: 255, stderr }, {});
    const b = new IpBatch()
      .vethAdd({ name: 'v0', peerName: 'p0' })
      .linkSet('nope', { up: true }, { tolerate: ['not-found'] })
      .linkSet('v0', { up: true })
      .linkSet('v0', { master: 'missing0' })
      .linkDel('old0');
    const err = await rejection(applyBatch(b, { runner, onError: 'continue' }));
    expect(err).toMatchObject({ line: 4, kind: 'not-found' });
    expect(statuses(err)).toEqual(['ok', 'tolerated', 'ok', 'failed', 'ok']);
    expect(runner.calls[1]?.options.input).toBe('link del dev old0\n');
  });

  it('exit 255 naming no line, no reads: every line is unknown and journaled as maybe applied', async () => {
    const journal = new Journal();
    const runner = fakeRunner({ exitCode: 255, stderr: INCOMPLETE });
    const b = new IpBatch()
      .vethAdd({ name: 'v0', peerName: 'p0' })
      .linkSet('v0', { up: true })
      .addrAdd('v0', '10.1.0.1/24');
    const err = await rejection(applyBatch(b, { runner, onError: 'continue', journal }));
    expect(err).toMatchObject({ stage: 'command', line: undefined, exitCode: 255 });
    expect(err.message).toBe(
      'ip gave up on the batch (exit 255) somewhere in lines 1-3: Command line is not complete. Try option "help"',
    );
    expect(statuses(err)).toEqual(['unknown', 'unknown', 'unknown']);
    // Nothing is left past the unknown lines: no second process.
    expect(runner.calls).toHaveLength(1);
    expect(journal.steps[0]?.undo.text()).toBe('addr del 10.1.0.1/24 dev v0\nlink del dev v0\n');
  });

  it('exit 255 with JSON documents: reads bound what ran; the rest runs in one more process', async () => {
    const journal = new Journal();
    const runner = fakeRunner(
      { exitCode: 255, stderr: INCOMPLETE, stdout: docLine('container-reads.jsonl', 0) },
      {},
    );
    const b = new IpBatch().vethAdd({ name: 'va', peerName: 'pa' });
    b.query(showLink('va'));
    b.vethAdd({ name: 'vb', peerName: 'pb' }).linkSet('vb', { up: true });
    b.query(showLink('vb'));
    b.linkSet('va', { up: true });
    const err = await rejection(applyBatch(b, { runner, onError: 'continue', journal }));
    // Line 2 printed the one document: lines 1-2 ran. Line 5 printed nothing: 6 never ran.
    expect(statuses(err)).toEqual(['ok', 'ok', 'unknown', 'unknown', 'unknown', 'ok']);
    expect(err).toMatchObject({ line: undefined, exitCode: 255 });
    expect(err.message).toContain('somewhere in lines 3-5');
    expect(runner.calls[1]?.options.input).toBe('link set dev va up\n');
    expect(runner.calls[1]?.argv).toEqual(['ip', '-details', '-json', '-force', '-batch', '-']);
    expect(journal.steps[0]?.undo.text()).toBe('link del dev vb\nlink del dev va\n');
  });

  it('an earlier untolerated failure stays the error; the unknown lines are still journaled', async () => {
    const journal = new Journal();
    const stderr = `RTNETLINK answers: Operation not permitted\nCommand failed -:1\n${INCOMPLETE}`;
    const runner = fakeRunner({ exitCode: 255, stderr });
    const b = new IpBatch()
      .linkSet('v0', { mtu: 9000 })
      .vethAdd({ name: 'v1', peerName: 'p1' })
      .linkSet('v1', { up: true });
    const err = await rejection(applyBatch(b, { runner, onError: 'continue', journal }));
    expect(err).toMatchObject({ line: 1, kind: 'failed' });
    expect(statuses(err)).toEqual(['failed', 'unknown', 'unknown']);
    expect(journal.steps[0]?.undo.text()).toBe('link del dev v1\n');
  });

  it('does not undo an unknown line that tolerated `exists` (its object may not be ours)', async () => {
    const journal = new Journal();
    const runner = fakeRunner({ exitCode: 255, stderr: INCOMPLETE });
    const b = new IpBatch()
      .addrAdd('cni0', '10.22.0.1/16', { tolerate: ['exists'] })
      .vethAdd({ name: 'v0', peerName: 'p0' });
    await rejection(applyBatch(b, { runner, onError: 'continue', journal }));
    expect(journal.steps[0]?.undo.text()).toBe('link del dev v0\n');
  });

  it('undoes an unknown line tolerating not-found, and rollback tolerates its absence', async () => {
    const journal = new Journal();
    const custom = makeLine(['vlan', 'add', 'dev', 'v0', 'vid', '7', 'master'], {
      undo: makeLine(['vlan', 'del', 'dev', 'v0', 'vid', '7', 'master']),
    });
    const b = new BridgeBatch().add(custom).vlanAdd('v0', 8);
    await rejection(
      applyBatch(b, {
        runner: fakeRunner({ exitCode: 255, stderr: INCOMPLETE }),
        onError: 'continue',
        journal,
      }),
    );
    const undo = journal.steps[0]?.undo;
    expect(undo?.text()).toBe('vlan del dev v0 vid 8 master\nvlan del dev v0 vid 7 master\n');
    expect(undo?.lines[1]?.tolerate).toEqual(['not-found']);

    const gone = 'RTNETLINK answers: No such file or directory\n';
    const undoRunner = fakeRunner({
      exitCode: 1,
      stderr: `${gone}Command failed -:1\n${gone}Command failed -:2\n`,
    });
    expect(await journal.rollback({ runner: undoRunner })).toEqual([]);
    expect(undoRunner.calls[0]?.argv).toEqual(['bridge', '-force', '-batch', '-']);
  });

  it('an exit 1 with an unmarked error is an exit midway too', async () => {
    const prefix = 'Error: any valid prefix is expected rather than "garbage/24".\n';
    const stderr = `Cannot find device "nope"\nCommand failed -:1\n${prefix}`;
    const runner = fakeRunner({ exitCode: 1, stderr }, {});
    const b = new IpBatch()
      .linkSet('nope', { up: true }, { tolerate: ['not-found'] })
      .add(makeLine(['addr', 'add', 'garbage/24', 'dev', 'v0']))
      .linkSet('v0', { up: true });
    const err = await rejection(applyBatch(b, { runner, onError: 'continue' }));
    expect(err).toMatchObject({ line: 2, exitCode: 1 });
    expect(statuses(err)).toEqual(['tolerated', 'failed', 'ok']);
  });
});

describe('applyBatch when iproute2 exits midway (stop mode)', () => {
  it('resumes after a tolerated culprit in one more process', async () => {
    const runner = fakeRunner({ exitCode: 255, stderr: NO_MASTER }, {});
    const b = new IpBatch()
      .linkSet('v0', { up: true })
      .linkSet('v0', { master: 'missing0' }, { tolerate: ['not-found'] })
      .linkSet('v1', { up: true });
    const r = await applyBatch(b, { runner });
    expect(r.outcomes.map((o) => o.status)).toEqual(['ok', 'tolerated', 'ok']);
    expect(r.processes).toBe(2);
    expect(runner.calls[1]?.options.input).toBe('link set dev v1 up\n');
  });

  it('stops at an untolerated culprit; the lines after it are skipped', async () => {
    const runner = fakeRunner({ exitCode: 255, stderr: NO_MASTER });
    const b = new IpBatch()
      .linkSet('v0', { up: true })
      .linkSet('v0', { master: 'missing0' })
      .linkSet('v1', { up: true });
    const err = await rejection(applyBatch(b, { runner }));
    expect(err).toMatchObject({ line: 2, kind: 'not-found', argv: ['ip', '-batch', '-'] });
    expect(statuses(err)).toEqual(['ok', 'failed', 'skipped']);
    expect(runner.calls).toHaveLength(1);
  });

  it('does not run past unknown lines', async () => {
    const runner = fakeRunner({ exitCode: 255, stderr: INCOMPLETE });
    const b = new IpBatch().linkSet('v0', { up: true }).linkSet('v1', { up: true });
    b.query(showLink('v1'));
    b.linkSet('v2', { up: true });
    const err = await rejection(applyBatch(b, { runner }));
    expect(statuses(err)).toEqual(['unknown', 'unknown', 'unknown', 'skipped']);
    expect(runner.calls).toHaveLength(1);
  });
});

describe('applyBatch on a timeout', () => {
  it('marks the lines of the killed process unknown and journals their undo', async () => {
    const journal = new Journal();
    const runner = fakeRunner({ exitCode: 143, timedOut: true });
    const b = new IpBatch().vethAdd({ name: 'v0', peerName: 'p0' }).linkSet('v0', { up: true });
    const err = await rejection(applyBatch(b, { runner, journal, timeoutMs: 5 }));
    expect(err).toMatchObject({ stage: 'spawn', kind: 'failed' });
    expect(statuses(err)).toEqual(['unknown', 'unknown']);
    expect(journal.steps[0]?.undo.text()).toBe('link del dev v0\n');
  });
});
