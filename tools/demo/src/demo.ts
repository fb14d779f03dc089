/**
 * The demo: in throwaway namespaces, a "host" and two containers; both attached by our bridge plugin
 * (host-local IPAM); results and host state shown; pings between them; CHECK; DEL; all removed.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cniEnv, execIn, Sandbox, type Netns } from '@cnikit-tools/test-utils';
import { DEMO_GATEWAY, demoNetworkConfig, firstIPv4 } from './config.js';
import { preparePluginDir, type PluginDir } from './plugins.js';

export interface DemoOutcome {
  addresses: string[];
  pings: Array<{ from: string; to: string; ok: boolean }>;
  leftoverReservations: string[];
  leftoverPorts: string;
}

type Say = (text: string) => void;

async function callPlugin(
  plugins: PluginDir,
  host: Netns,
  command: string,
  container: { id: string; ns: Netns },
  config: Record<string, unknown>,
): Promise<unknown> {
  const env = {
    PATH: '/usr/sbin:/usr/bin:/sbin:/bin',
    ...cniEnv({
      command,
      containerId: container.id,
      netns: container.ns.path,
      ifName: 'eth0',
      path: plugins.dir,
    }),
  };
  const r = await execIn(host, [plugins.bridge], {
    input: JSON.stringify(config),
    env,
    cleanEnv: true,
  });
  if (r.exitCode !== 0) {
    throw new Error(
      `bridge ${command} for ${container.id} failed (exit ${r.exitCode}): ${r.stdout}${r.stderr}`,
    );
  }
  return r.stdout.trim() === '' ? undefined : JSON.parse(r.stdout);
}

async function show(host: Netns, say: Say, title: string, argv: string[]): Promise<string> {
  const r = await execIn(host, argv);
  say(`$ ${argv.join(' ')}   # ${title}\n${(r.stdout + r.stderr).trimEnd()}\n`);
  return r.stdout;
}

export async function runDemo(
  say: Say = (t) => process.stdout.write(t + '\n'),
): Promise<DemoOutcome> {
  const sandbox = new Sandbox();
  const plugins = preparePluginDir();
  const dataDir = mkdtempSync(join(tmpdir(), 'cnikit-demo-ipam-'));
  const cniVersion = plugins.ourIpam ? '1.1.0' : '1.0.0';
  const config = demoNetworkConfig({ cniVersion, dataDir });
  const outcome: DemoOutcome = {
    addresses: [],
    pings: [],
    leftoverReservations: [],
    leftoverPorts: '',
  };
  try {
    const host = await sandbox.host();
    const containers = [
      { id: 'demo-container-1', ns: await sandbox.container() },
      { id: 'demo-container-2', ns: await sandbox.container() },
    ];
    say(`cnikit demo: bridge ${plugins.bridge} -> our bridge, IPAM ${plugins.hostLocal}`);
    say(`namespaces: host ${host.name}, containers ${containers.map((c) => c.ns.name).join(', ')}`);
    say(`network config (cniVersion ${cniVersion}):\n${JSON.stringify(config, null, 2)}\n`);

    const results: unknown[] = [];
    for (const c of containers) {
      const result = await callPlugin(plugins, host, 'ADD', c, config);
      results.push(result);
      say(`ADD ${c.id} -> result:\n${JSON.stringify(result, null, 2)}\n`);
      const addr = firstIPv4(result);
      if (!addr) throw new Error(`ADD result for ${c.id} has no IPv4 address`);
      outcome.addresses.push(addr);
    }

    await show(host, say, 'links in the host namespace', ['ip', '-br', 'link']);
    await show(host, say, 'the bridge and its gateway address', [
      'ip',
      '-br',
      'addr',
      'show',
      'dev',
      'cni0',
    ]);
    await show(host, say, 'bridge ports', ['bridge', 'link']);
    await show(host, say, 'masquerade rules', ['iptables', '-t', 'nat', '-S']);

    const pairs: Array<[number, string]> = [
      [0, outcome.addresses[1] ?? ''],
      [1, outcome.addresses[0] ?? ''],
      [0, DEMO_GATEWAY],
    ];
    for (const [from, to] of pairs) {
      const src = containers[from];
      if (!src) continue;
      const r = await execIn(src.ns, ['ping', '-c', '1', '-W', '2', to]);
      const ok = r.exitCode === 0;
      outcome.pings.push({ from: src.id, to, ok });
      say(`ping ${src.id} -> ${to}: ${ok ? 'ok' : 'FAILED'}`);
    }

    for (const [i, c] of containers.entries()) {
      await callPlugin(plugins, host, 'CHECK', c, { ...config, prevResult: results[i] });
      say(`CHECK ${c.id}: ok`);
    }
    for (const [i, c] of containers.entries()) {
      await callPlugin(plugins, host, 'DEL', c, { ...config, prevResult: results[i] });
      say(`DEL ${c.id}: ok`);
    }
    outcome.leftoverPorts = (
      await show(host, say, 'bridge ports after DEL', ['bridge', 'link'])
    ).trim();
    const store = join(dataDir, 'cnikit-demo');
    outcome.leftoverReservations = readdirSafe(store).filter((f) => /^[0-9a-f.:]+$/.test(f));
    say(`IPAM reservations left: ${outcome.leftoverReservations.length}`);
    return outcome;
  } finally {
    await sandbox.cleanup();
    plugins.remove();
    rmSync(dataDir, { recursive: true, force: true });
    say('removed the namespaces, the plugin directory and the IPAM store');
  }
}

function readdirSafe(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}
