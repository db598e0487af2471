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

type AsyncMethods<T> = { [K in keyof T]: (...args: never[]) => Promise<unknown> };

/**
 * An object whose methods load the real one (a store, a sender: anything holding an SDK client)
 * on the first call of any of them, so a cold start pays for the client only on a path that uses
 * it. `methods` names every method, and the type makes the list complete.
 */
export function loadedOnFirstCall<T extends AsyncMethods<T>>(load: () => Promise<T>, methods: { readonly [K in keyof T]: true }): T {
  const real = loadOnce(load);
  const proxy: Record<string, unknown> = {};
  for (const name of Object.keys(methods) as (keyof T & string)[]) {
    proxy[name] = async (...args: never[]) => {
      const target = await real();
      return target[name](...args);
    };
  }
  return proxy as T;
}
