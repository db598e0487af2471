/**
 * Which route of an HTTP API a request reaches, as API Gateway picks it: the most specific match
 * wins, a full match before one through a greedy path variable (`{proxy+}`), and an explicit
 * method before ANY ("Working with routes for HTTP APIs", routing API requests:
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-routes.html).
 * A path variable (`{id}`) is one whole, non-empty segment; nothing matches → API Gateway's 404.
 */
import type { HttpApiRoute } from "./api-definition.ts";

export interface RouteMatch {
  readonly route: HttpApiRoute;
  /** Path variables by name, URL-decoded; empty when the route has none. */
  readonly pathParameters: Readonly<Record<string, string>>;
}

interface Candidate extends RouteMatch {
  readonly literalSegments: number;
  readonly greedy: boolean;
}

const VARIABLE = /^\{([A-Za-z0-9._-]+)(\+?)\}$/;

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function matchPath(template: string, path: string): Omit<Candidate, "route"> | undefined {
  const expected = template.split("/").slice(1);
  const actual = path.split("/").slice(1);
  const pathParameters: Record<string, string> = {};
  let literalSegments = 0;
  for (const [index, part] of expected.entries()) {
    const variable = VARIABLE.exec(part);
    if (variable?.[2] === "+") {
      // Greedy: the rest of the path, one segment or more.
      const rest = actual.slice(index);
      if (rest.length === 0 || rest.join("/") === "") return undefined;
      pathParameters[variable[1]!] = decode(rest.join("/"));
      return { pathParameters, literalSegments, greedy: true };
    }
    const segment = actual[index];
    if (segment === undefined) return undefined;
    if (variable !== null) {
      if (segment === "") return undefined;
      pathParameters[variable[1]!] = decode(segment);
    } else if (part === segment) {
      literalSegments += 1;
    } else {
      return undefined;
    }
  }
  return actual.length === expected.length ? { pathParameters, literalSegments, greedy: false } : undefined;
}

/** The route a `method` request for `path` (no query string) reaches, or undefined for API Gateway's 404. */
export function matchRoute(routes: readonly HttpApiRoute[], method: string, path: string): RouteMatch | undefined {
  const candidates: Candidate[] = [];
  for (const route of routes) {
    if (route.method !== "ANY" && route.method !== method) continue;
    const matched = matchPath(route.path, path);
    if (matched !== undefined) candidates.push({ route, ...matched });
  }
  candidates.sort(
    (a, b) =>
      Number(a.greedy) - Number(b.greedy) || b.literalSegments - a.literalSegments || Number(a.route.method === "ANY") - Number(b.route.method === "ANY"),
  );
  const [best] = candidates;
  return best === undefined ? undefined : { route: best.route, pathParameters: best.pathParameters };
}
