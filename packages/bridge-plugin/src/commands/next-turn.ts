/**
 * Resolves after the pending promise jobs and I/O callbacks have run: lets calls already started
 * reach their spawns before this thread is held by the next step (a module load, netlink calls).
 */
export const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
