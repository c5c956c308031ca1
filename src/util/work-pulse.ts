/**
 * A hook called between units of heavy synchronous work (a file parsed), so that a watcher can
 * look at the process while the event loop is blocked and no timer fires. Inputs call it; the CLI
 * installs what it does (the heap hint, src/cli/heap-watch.ts). Nothing by default.
 */
let hook: (() => void) | undefined;

export function setWorkPulse(fn: (() => void) | undefined): void {
  hook = fn;
}

export function workPulse(): void {
  hook?.();
}
