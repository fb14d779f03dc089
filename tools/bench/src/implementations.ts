/** Which programs the run compares, and how each is started. */
import { accessSync, constants, statSync } from 'node:fs';
import { BenchError, BenchErrorCode } from './errors.js';
import type { ImplementationSpec, SkippedImplementation } from './model.js';
import type { BenchSettings } from './settings.js';

/** File checks, replaceable in tests. */
export interface ProgramProbe {
  isExecutableFile(path: string): boolean;
  isReadableFile(path: string): boolean;
}

function isFileWith(path: string, mode: number): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, mode);
    return true;
  } catch {
    return false;
  }
}

/** The probe that looks at the real filesystem. */
export const fsProbe: ProgramProbe = {
  isExecutableFile: (path) => isFileWith(path, constants.X_OK),
  isReadableFile: (path) => isFileWith(path, constants.R_OK),
};

/** Table names of the implementations. */
export const IMPL_LABELS = {
  ref: 'reference',
  ours: 'ours (bun)',
  node: 'node entry',
} as const;

/**
 * The implementations to run. The reference and our executable are required (the comparison is
 * the point); the Node entry is skipped, with the reason, when it is not configured or not built.
 */
export function resolveImplementations(
  settings: BenchSettings,
  nodeBin: string,
  probe: ProgramProbe = fsProbe,
): { implementations: ImplementationSpec[]; skipped: SkippedImplementation[] } {
  if (!probe.isExecutableFile(settings.referenceBin))
    throw new BenchError(
      BenchErrorCode.MissingProgram,
      `reference plugin ${settings.referenceBin} is missing or not executable ` +
        '(install Debian containernetworking-plugins, or set CNIKIT_REFERENCE_BIN)',
    );
  if (!probe.isExecutableFile(settings.oursBin))
    throw new BenchError(
      BenchErrorCode.MissingProgram,
      `our plugin ${settings.oursBin} is missing or not executable ` +
        '(build it with `npx nx run @cnikit/bridge-plugin:build`, or set CNIKIT_BRIDGE_BIN)',
    );
  const implementations: ImplementationSpec[] = [
    { id: 'ref', label: IMPL_LABELS.ref, argv: [settings.referenceBin], traced: false },
    { id: 'ours', label: IMPL_LABELS.ours, argv: [settings.oursBin], traced: true },
  ];
  const skipped: SkippedImplementation[] = [];
  const entry = settings.nodeEntry;
  if (entry === undefined)
    skipped.push({
      id: 'node',
      label: IMPL_LABELS.node,
      reason: 'CNIKIT_BRIDGE_NODE_ENTRY is unset',
    });
  else if (!probe.isReadableFile(entry))
    skipped.push({
      id: 'node',
      label: IMPL_LABELS.node,
      reason: `${entry} does not exist (build @cnikit/bridge-plugin)`,
    });
  else
    implementations.push({
      id: 'node',
      label: IMPL_LABELS.node,
      argv: [nodeBin, entry],
      traced: true,
    });
  return { implementations, skipped };
}
