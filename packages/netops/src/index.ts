export type { CommandRunner, RunOptions, RunResult } from './runner.js';
