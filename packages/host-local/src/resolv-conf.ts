/**
 * The `resolvConf` option: DNS settings for the result, read from a resolv.conf file
 * (nameserver, domain, search, options; comments and short lines skipped, as the reference).
 */
import { readFile } from 'node:fs/promises';
import type { Dns } from '@cnikit/cni-skel';
import { HostLocalError, pathErrorText } from './errors.js';

/** Parses resolv.conf text. Later `domain` lines win; the other keys accumulate. */
export function parseResolvConf(text: string): Dns {
  const dns: Dns = {};
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const [key, ...values] = line.split(/\s+/);
    const first = values[0];
    if (first === undefined) continue;
    switch (key) {
      case 'nameserver':
        (dns.nameservers ??= []).push(first);
        break;
      case 'domain':
        dns.domain = first;
        break;
      case 'search':
        (dns.search ??= []).push(...values);
        break;
      case 'options':
        (dns.options ??= []).push(...values);
        break;
    }
  }
  return dns;
}

/** Reads and parses the file; a missing or unreadable file fails the ADD as in the reference. */
export async function readResolvConf(path: string): Promise<Dns> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new HostLocalError('config', pathErrorText('open', path, error), { cause: error });
  }
  return parseResolvConf(text);
}
