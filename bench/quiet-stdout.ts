/**
 * While the local stack runs, its functions log as template.yaml tells them to (INFO), as they
 * would in Lambda; their worker threads write those lines to this process's stdout, where thousands
 * of them would bury the results. This keeps the functions' logging (and its cost) unchanged and
 * only drops the lines on arrival. The bench's own progress goes to stderr.
 */
export function silenceStdout(): () => void {
  const write = process.stdout.write;
  process.stdout.write = ((_chunk: unknown, encodingOrCallback?: unknown, callback?: unknown) => {
    const done = typeof encodingOrCallback === "function" ? encodingOrCallback : callback;
    if (typeof done === "function") queueMicrotask(() => (done as () => void)());
    return true;
  }) as typeof process.stdout.write;
  return () => {
    process.stdout.write = write;
  };
}
