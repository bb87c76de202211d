/**
 * Resolves once `ready()` holds, checked now and on every change `subscribe` reports, or after `timeoutMs`
 * (what it waits for may never come). Unsubscribes and clears its timer either way.
 */
export function whenReady(ready: () => boolean, subscribe: (onChange: () => void) => () => void, timeoutMs: number): Promise<void> {
  if (ready()) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      unsubscribe();
      resolve();
    };
    const timer = setTimeout(done, timeoutMs);
    const unsubscribe = subscribe(() => {
      if (ready()) done();
    });
  });
}
