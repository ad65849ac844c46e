import type { Context, MiddlewareHandler } from 'hono';

/**
 * Returns the host and port the client addressed: the Host header, or the URL's host for
 * in-process requests (`app.request`) that carry no Host header.
 */
export function requestHost(c: Context): string {
  return (c.req.header('host') ?? new URL(c.req.url).host).toLowerCase();
}

/**
 * Returns whether an `Origin` header value names the same host and port as `host`. The scheme
 * is not compared, because behind a TLS proxy the page is https while this server receives http.
 * The opaque origin `null` (sandboxed frames, local files) never matches.
 */
export function isSameOrigin(origin: string, host: string): boolean {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
  return url.host === host.toLowerCase();
}

/** `Sec-Fetch-Site` values that browsers send for requests made by another site's page. */
const foreignSiteValues = new Set(['cross-site', 'same-site']);

/**
 * Rejects with 403 the requests that a browser sends on behalf of another site's page: those
 * with `Sec-Fetch-Site: cross-site` or `same-site`, and those whose `Origin` is not the
 * server's own origin. Requests without these headers, such as curl's, pass.
 *
 * NOTE: browsers that predate `Sec-Fetch-Site` send no Origin on a plain GET such as an
 * `<img>`, so this check cannot stop such a GET from their pages.
 */
export const rejectCrossSiteRequests: MiddlewareHandler = async (c, next) => {
  const site = c.req.header('sec-fetch-site');
  if (site !== undefined && foreignSiteValues.has(site.toLowerCase())) {
    return c.json({ error: `Cross-site request rejected (Sec-Fetch-Site: ${site}); use the web chat page of this server or a client such as curl` }, 403);
  }

  const origin = c.req.header('origin');
  const host = requestHost(c);
  if (origin !== undefined && !isSameOrigin(origin, host)) {
    return c.json({ error: `Cross-origin request rejected: Origin ${origin} does not match host ${host}; use the web chat page of this server or a client such as curl` }, 403);
  }
  return next();
};
