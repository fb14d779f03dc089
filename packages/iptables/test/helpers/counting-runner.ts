/** Wraps the real runner and records every argv, to count the processes an operation costs. */
import type { CommandRunner } from '@cnikit/netops';
import { defaultRunner } from '../../src/index.ts';

export function countingRunner(): { runner: CommandRunner; commands: string[] } {
  const commands: string[] = [];
  const runner: CommandRunner = (argv, options) => {
    commands.push(argv.join(' '));
    return defaultRunner(argv, options);
  };
  return { runner, commands };
}
