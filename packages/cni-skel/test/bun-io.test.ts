/** bunIo: the skel's io on a Bun-shaped global (a fake here: the tests run on Node). */
import { describe, expect, it } from 'vitest';
import { MAX_STDIN_BYTES, readFdSync, readStdinSyncFirst, type ReadSync } from '../src/io.js';
import { bunIo, runPlugin, definePlugin } from '../src/index.js';

function fakeBun(stdin: string) {
  const out = { stdout: [] as string[], stderr: [] as string[] };
  const stdout = { name: 'stdout' };
  const stderr = { name: 'stderr' };
  const bun = {
    stdin: { bytes: () => Promise.resolve(new TextEncoder().encode(stdin)) },
    stdout,
    stderr,
    write: (destination: unknown, data: string) => {
      (destination === stdout ? out.stdout : out.stderr).push(data);
      return Promise.resolve(data.length);
    },
  };
  return { bun, out };
}

describe('bunIo', () => {
  it('reads stdin and writes the answer through Bun.write to Bun.stdout', async () => {
    const { bun, out } = fakeBun('{"cniVersion":"1.0.0","name":"n","type":"t"}');
    const plugin = definePlugin({ name: 't', add: () => ({ cniVersion: '1.1.0' }), del() {} });
    const code = await runPlugin(plugin, bunIo(bun, { CNI_COMMAND: 'VERSION' }));
    expect(code).toBe(0);
    expect(JSON.parse(out.stdout.join(''))).toMatchObject({ cniVersion: '1.1.0' });
    expect(out.stderr).toEqual([]);
  });

  it('sends diagnostics to Bun.stderr', () => {
    const { bun, out } = fakeBun('');
    bunIo(bun, {}).writeStderr('note\n');
    expect(out.stderr).toEqual(['note\n']);
  });
});

describe('readStdinSyncFirst', () => {
  const bytes = (text: string) => new TextEncoder().encode(text);
  const errno = (code: string) => Object.assign(new Error(code), { code });

  it('takes what the synchronous read returns and never starts the asynchronous one', async () => {
    const got = await readStdinSyncFirst(
      () => bytes('{}'),
      () => Promise.reject(new Error('must not run')),
    );
    expect(new TextDecoder().decode(got)).toBe('{}');
  });

  it('reads a non-blocking stdin (EAGAIN) the asynchronous way', async () => {
    const got = await readStdinSyncFirst(
      () => {
        throw errno('EAGAIN');
      },
      () => Promise.resolve(bytes('{"a":1}')),
    );
    expect(new TextDecoder().decode(got)).toBe('{"a":1}');
  });

  it('passes any other read error on (the skel reports it as an I/O failure)', async () => {
    await expect(
      readStdinSyncFirst(
        () => {
          throw errno('EBADF');
        },
        () => Promise.resolve(bytes('{}')),
      ),
    ).rejects.toMatchObject({ code: 'EBADF' });
  });
});

/** A ReadSync serving `text`, at most `chunk` bytes a call, then end of file. */
function serve(text: string, chunk = Infinity): ReadSync {
  const data = new TextEncoder().encode(text);
  let at = 0;
  return (_fd, into, offset, length) => {
    const n = Math.min(length, chunk, data.length - at);
    into.set(data.subarray(at, at + n), offset);
    at += n;
    return n;
  };
}

describe('readFdSync', () => {
  const errno = (code: string) => Object.assign(new Error(code), { code });

  it('joins short reads up to end of file', () => {
    const text = 'x'.repeat(200_000);
    const got = readFdSync(0, MAX_STDIN_BYTES, serve(text, 777));
    expect(new TextDecoder().decode(got)).toBe(text);
  });

  it('stops after limit + 1 bytes of a writer that never ends', () => {
    let calls = 0;
    const endless: ReadSync = (_fd, into, offset, length) => {
      calls++;
      into.fill(0x61, offset, offset + length);
      return length;
    };
    expect(readFdSync(0, 100_000, endless).length).toBe(100_001);
    expect(calls).toBeLessThan(10);
  });

  it('reads nothing from an empty descriptor', () => {
    expect(readFdSync(0, 10, serve('')).length).toBe(0);
  });

  it('hands the bytes read before EAGAIN on, and stdin goes on the asynchronous way', async () => {
    let first = true;
    const nonBlocking: ReadSync = (_fd, into, offset) => {
      if (!first) throw errno('EAGAIN');
      first = false;
      into.set(new TextEncoder().encode('{"a":'), offset);
      return 5;
    };
    const got = await readStdinSyncFirst(
      () => readFdSync(0, MAX_STDIN_BYTES, nonBlocking),
      () => Promise.resolve(new TextEncoder().encode('1}')),
    );
    expect(new TextDecoder().decode(got)).toBe('{"a":1}');
  });

  it('passes other read errors on without a head', () => {
    const failing: ReadSync = () => {
      throw errno('EIO');
    };
    expect(() => readFdSync(0, 10, failing)).toThrow(expect.objectContaining({ code: 'EIO' }));
  });
});

describe('bunIo with synchronous system calls', () => {
  const errno = (code: string) => Object.assign(new Error(code), { code });

  it('reads stdin through them, not through Bun.stdin', async () => {
    const { bun } = fakeBun('from Bun.stdin');
    const reads: number[] = [];
    const fromFd = serve('from fd');
    const io = bunIo(
      bun,
      {},
      {
        sys: () =>
          Promise.resolve({
            read: (fd: number, into: Uint8Array, offset: number, length: number) => {
              reads.push(fd);
              return fromFd(fd, into, offset, length);
            },
            fileId: () => '1:2:3',
          }),
      },
    );
    expect(new TextDecoder().decode(await io.readStdin())).toBe('from fd');
    expect(reads).toEqual([0, 0]); // the data, then end of file
  });

  it('falls back to Bun.stdin when stdin is non-blocking', async () => {
    const { bun } = fakeBun('from Bun.stdin');
    const io = bunIo(
      bun,
      {},
      {
        sys: () =>
          Promise.resolve({
            read: () => {
              throw errno('EAGAIN');
            },
            fileId: () => '1:2:3',
          }),
      },
    );
    expect(new TextDecoder().decode(await io.readStdin())).toBe('from Bun.stdin');
  });

  it('answers file identities through them; a failed stat is no identity', async () => {
    const { bun } = fakeBun('');
    const io = bunIo(
      bun,
      {},
      {
        sys: () =>
          Promise.resolve({
            read: () => 0,
            fileId: (path: string) => {
              if (path === '/gone') throw errno('ENOENT');
              return `id of ${path}`;
            },
          }),
      },
    );
    await expect(io.fileId?.('/run/netns/x')).resolves.toBe('id of /run/netns/x');
    await expect(io.fileId?.('/gone')).resolves.toBeUndefined();
  });

  it('guards ADD against the own netns with the io identities', async () => {
    const { bun, out } = fakeBun('{"cniVersion":"1.0.0","name":"n","type":"t"}');
    const plugin = definePlugin({ name: 't', add: () => ({ cniVersion: '1.1.0' }), del() {} });
    const env = {
      CNI_COMMAND: 'ADD',
      CNI_CONTAINERID: 'c1',
      CNI_NETNS: '/run/netns/mine',
      CNI_IFNAME: 'eth0',
      CNI_PATH: '/opt/cni/bin',
    };
    const io = bunIo(bun, env, {
      sys: () =>
        Promise.resolve({
          read: serve('{"cniVersion":"1.0.0","name":"n","type":"t"}'),
          // Both paths name the same namespace file.
          fileId: () => 'nsfs:4026531840',
        }),
    });
    expect(await runPlugin(plugin, io)).toBe(1);
    expect(JSON.parse(out.stdout.join(''))).toMatchObject({ code: 8 });
  });
});
