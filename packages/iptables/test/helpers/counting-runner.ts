/** Wraps the real runner and records every argv, to count the processes an operation costs. */
import type { CommandRunner } from '@cnikit/netops';
import { defaultRunner } from '../../src/index.ts';

export function countingRunner(): {
  runner: CommandRunner;
  commands: string[];
  /** The exit code of each command, in order. */
  exitCodes: number[];
} {
  const commands: string[] = [];
  const exitCodes: number[] = [];
  const runner: CommandRunner = async (argv, options) => {
    commands.push(argv.join(' '));
    const result = await defaultRunner(argv, options);
    exitCodes.push(result.exitCode);
    return result;
  };
  return { runner, commands, exitCodes };
}
