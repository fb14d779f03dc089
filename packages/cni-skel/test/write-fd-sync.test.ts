/**
 * writeFdSync and stderrWriter: stdout and stderr written with synchronous writes, the stream only
 * for what a full non-blocking descriptor refuses.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { stderrWriter, writeFdSync, type WriteSync } from '../src/io.js';

const bytes = (text: string) => new TextEncoder().encode(text);
const text = (b: Uint8Array) => new TextDecoder().decode(b);

/** A descriptor that takes at most `max` bytes per write and `capacity` in all, then EAGAIN. */
function sink(max: number, capacity = Infinity) {
  const written: Uint8Array[] = [];
  let total = 0;
  const write: WriteSync = (_fd, from, offset, length) => {
    const n = Math.min(length, max, capacity - total);
    if (n === 0)
      throw Object.assign(new Error('EAGAIN: resource temporarily unavailable'), {
        code: 'EAGAIN',
      });
    written.push(from.slice(offset, offset + n));
    total += n;
    return n;
  };
  return { write, got: () => written.map(text).join('') };
}

describe('writeFdSync', () => {
  it('writes everything, going on after short writes', () => {
    const fd = sink(7);
    const rest = writeFdSync(1, bytes('{"cniVersion":"1.1.0","ips":[]}\n'), fd.write);
    expect(rest.length).toBe(0);
    expect(fd.got()).toBe('{"cniVersion":"1.1.0","ips":[]}\n');
  });

  it('hands back the unwritten rest when a non-blocking descriptor is full', () => {
    const fd = sink(4, 10);
    const rest = writeFdSync(1, bytes('0123456789abcdef'), fd.write);
    expect(fd.got()).toBe('0123456789');
    expect(text(rest)).toBe('abcdef');
  });

  it('hands back all of it when the first write finds the descriptor full', () => {
    const fd = sink(4, 0);
    expect(text(writeFdSync(1, bytes('abc'), fd.write))).toBe('abc');
  });

  it('throws other failures (EPIPE: the reader went away)', () => {
    const broken: WriteSync = () => {
      throw Object.assign(new Error('EPIPE: broken pipe, write'), { code: 'EPIPE' });
    };
    expect(() => writeFdSync(1, bytes('x'), broken)).toThrow(/EPIPE/);
  });

  it('writes nothing for empty output', () => {
    const fd = sink(4);
    expect(writeFdSync(1, new Uint8Array(0), fd.write).length).toBe(0);
    expect(fd.got()).toBe('');
  });
});

describe('stderrWriter', () => {
  afterEach(() => vi.restoreAllMocks());

  it('writes diagnostics to fd 2 with synchronous writes', () => {
    const fd = sink(5);
    const calls: number[] = [];
    const write: WriteSync = (n, ...rest) => (calls.push(n), fd.write(n, ...rest));
    const stream = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const writeStderr = stderrWriter(write);
    writeStderr('bridge: rollback: link gone\n');
    expect(fd.got()).toBe('bridge: rollback: link gone\n');
    expect(new Set(calls)).toEqual(new Set([2]));
    expect(stream).not.toHaveBeenCalled();
  });

  it('sends what a full descriptor refuses, and everything after it, through process.stderr', () => {
    const fd = sink(64, 6);
    const streamed: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      streamed.push(typeof chunk === 'string' ? chunk : text(chunk));
      return true;
    });
    const writeStderr = stderrWriter(fd.write);
    writeStderr('first line\n');
    writeStderr('second\n');
    expect(fd.got()).toBe('first ');
    // In order: the refused rest, then the next line, never before it.
    expect(streamed).toEqual(['line\n', 'second\n']);
  });

  it('drops text nobody reads (EPIPE) without throwing', () => {
    const broken: WriteSync = () => {
      throw Object.assign(new Error('EPIPE: broken pipe, write'), { code: 'EPIPE' });
    };
    const stream = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    expect(() => stderrWriter(broken)('lost\n')).not.toThrow();
    expect(stream).not.toHaveBeenCalled();
  });
});
