/**
 * Everything a bench must undo (spawned processes, temp folders, temp databases), undone in reverse
 * order on success, on failure and on Ctrl-C alike.
 */
type Undo = () => Promise<void> | void;

const stack: { readonly label: string; readonly undo: Undo }[] = [];
let running: Promise<void> | undefined;

/** Registers an undo step; returns a function that runs it now (once) and forgets it. */
export function defer(label: string, undo: Undo): () => Promise<void> {
  const item = { label, undo };
  stack.push(item);
  return async () => {
    const at = stack.indexOf(item);
    if (at === -1) return;
    stack.splice(at, 1);
    await undo();
  };
}

/** Runs every outstanding undo step, newest first; a failing step is reported, not fatal. */
export function cleanupAll(): Promise<void> {
  running ??= (async () => {
    while (stack.length > 0) {
      const item = stack.pop();
      if (!item) break;
      try {
        await item.undo();
      } catch (err) {
        process.stderr.write(`cleanup: ${item.label} failed: ${(err as Error).message}\n`);
      }
    }
  })();
  return running;
}

/** Runs `main`, then cleans up whatever happened; Ctrl-C and SIGTERM clean up too. */
export async function runWithCleanup(main: () => Promise<void>): Promise<void> {
  // Ctrl-C can arrive twice (from the terminal and relayed by npm/tsx): clean up once, ignore the rest.
  let interrupted = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (interrupted) return;
    interrupted = true;
    process.stderr.write(`\n${signal}: cleaning up…\n`);
    void cleanupAll().finally(() => process.exit(130));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    await main();
  } catch (err) {
    process.stderr.write(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 1;
  } finally {
    await cleanupAll();
  }
}
