/**
 * The origins the demo page can have: those the web server is itself reachable under. That is its
 * own address (http://<host>:<port>) and, when it listens on a loopback or wildcard address, the
 * other loopback name of the same port: people open http://localhost:<port> (passkeys need a
 * domain, see local-parameters.ts) as well as the http://127.0.0.1:<port> the stack prints. Nothing
 * else: not another port on localhost (another app's dev server), not https, not "null".
 * Only these may read the outbox from a browser, or call the local pool's admin operations from one.
 */

/** Hosts (as URL.hostname spells them) from which localhost and 127.0.0.1 reach the same server. */
const LOOPBACK_OR_WILDCARD = new Set(["127.0.0.1", "localhost", "[::1]", "0.0.0.0", "[::]"]);

/** The web server's origins, from the URL it listens at (e.g. http://127.0.0.1:3000). */
export function ownOrigins(url: string): readonly string[] {
  const own = new URL(url);
  const origins = new Set([own.origin]);
  if (LOOPBACK_OR_WILDCARD.has(own.hostname)) {
    for (const alias of ["localhost", "127.0.0.1"]) origins.add(new URL(`${own.protocol}//${alias}${own.port === "" ? "" : `:${own.port}`}`).origin);
  }
  return [...origins];
}

/**
 * Whether a Host header names one of the origins (port 80 written or not). A page on another site
 * whose name has been re-pointed at 127.0.0.1 (DNS rebinding) reaches the server as "same-origin",
 * with no Origin header on a GET; its Host header is the one thing that gives it away.
 */
export function isOwnHost(host: string | undefined, origins: readonly string[]): boolean {
  if (host === undefined) return false;
  let named: string;
  try {
    named = new URL(`http://${host}`).host;
  } catch {
    return false;
  }
  return origins.some((origin) => new URL(origin).host === named);
}
