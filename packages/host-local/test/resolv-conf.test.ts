import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseResolvConf, readResolvConf } from '../src/resolv-conf.js';

describe('resolvConf', () => {
  it('reads nameserver, domain, search and options, skipping comments and short lines', () => {
    const text = [
      '# a comment',
      '; another',
      'nameserver 10.0.0.53',
      '  nameserver   fd00::53  ',
      'domain example.com',
      'search a.example b.example',
      'search c.example',
      'options ndots:2 edns0',
      'nameserver',
      'sortlist 10.0.0.0/8',
      '',
    ].join('\n');
    expect(parseResolvConf(text)).toEqual({
      nameservers: ['10.0.0.53', 'fd00::53'],
      domain: 'example.com',
      search: ['a.example', 'b.example', 'c.example'],
      options: ['ndots:2', 'edns0'],
    });
    expect(parseResolvConf('')).toEqual({});
  });

  it('reads a file, and fails as the reference when it is missing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hl-resolv-'));
    try {
      writeFileSync(join(dir, 'resolv.conf'), 'nameserver 1.1.1.1\n');
      await expect(readResolvConf(join(dir, 'resolv.conf'))).resolves.toEqual({
        nameservers: ['1.1.1.1'],
      });
      await expect(readResolvConf(join(dir, 'nope'))).rejects.toThrow(
        `open ${join(dir, 'nope')}: no such file or directory`,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
