/**
 * lib/load-once.ts: what the functions' lazy wiring promises. A costly module (an SDK client)
 * is loaded on the first call that needs it, once per instance however many calls race for it;
 * a failed load is tried again on the next call instead of failing every later sign-in; and an
 * object loaded on first call behaves as the real one, errors included.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { loadOnce, loadedOnFirstCall } from "../../lib/load-once.ts";

describe("loadOnce", () => {
  test("loads once for calls that race, and keeps the result", async () => {
    let loads = 0;
    const load = loadOnce(async () => {
      loads += 1;
      return { id: loads };
    });
    const [a, b] = await Promise.all([load(), load()]);
    assert.equal(a, b);
    assert.equal(await load(), a);
    assert.equal(loads, 1);
  });

  test("forgets a failed load, so the next call tries again", async () => {
    let loads = 0;
    const load = loadOnce(async () => {
      loads += 1;
      if (loads === 1) throw new Error("module not found");
      return "loaded";
    });
    await assert.rejects(load(), /module not found/);
    assert.equal(await load(), "loaded");
    assert.equal(loads, 2);
  });
});

describe("loadedOnFirstCall", () => {
  interface Store {
    get(key: string): Promise<string | undefined>;
    put(key: string, value: string): Promise<void>;
  }

  function realStore(): Store & { calls: string[] } {
    const items = new Map<string, string>();
    const calls: string[] = [];
    return {
      calls,
      async get(key) {
        calls.push(`get ${key}`);
        return items.get(key);
      },
      async put(key, value) {
        calls.push(`put ${key}`);
        if (value === "") throw new TypeError("empty value");
        items.set(key, value);
      },
    };
  }

  test("loads nothing until a method is called, then loads once for every method", async () => {
    let loads = 0;
    const real = realStore();
    const store = loadedOnFirstCall<Store>(
      async () => {
        loads += 1;
        return real;
      },
      { get: true, put: true },
    );
    assert.equal(loads, 0);
    await store.put("a", "1");
    assert.equal(await store.get("a"), "1");
    assert.equal(await store.get("b"), undefined);
    assert.equal(loads, 1);
    assert.deepEqual(real.calls, ["put a", "get a", "get b"]);
  });

  test("passes the real method's rejection through unchanged", async () => {
    const store = loadedOnFirstCall<Store>(async () => realStore(), { get: true, put: true });
    await assert.rejects(store.put("a", ""), TypeError);
  });

  test("a failed load fails that call only; the next call loads again", async () => {
    let loads = 0;
    const store = loadedOnFirstCall<Store>(
      async () => {
        loads += 1;
        if (loads === 1) throw new Error("socket hang up");
        return realStore();
      },
      { get: true, put: true },
    );
    await assert.rejects(store.get("a"), /socket hang up/);
    assert.equal(await store.get("a"), undefined);
    assert.equal(loads, 2);
  });

  test("has exactly the methods it was given", () => {
    const store = loadedOnFirstCall<Pick<Store, "get">>(async () => realStore(), { get: true });
    assert.deepEqual(Object.keys(store), ["get"]);
  });
});
