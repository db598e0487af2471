/**
 * A module (or anything else costly) loaded on first use and kept for the life of the instance.
 * A failed load is forgotten, so the next invocation tries again instead of failing for good.
 */
export function loadOnce<T>(load: () => Promise<T>): () => Promise<T> {
  let loading: Promise<T> | undefined;
  return () => {
    loading ??= load().catch((error: unknown) => {
      loading = undefined;
      throw error;
    });
    return loading;
  };
}
