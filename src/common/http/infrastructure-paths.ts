/**
 * Infrastructure, not API calls: probes, the scrape, docs and discovery.
 * They are not audited and never authenticate with client credentials.
 */
export const INFRASTRUCTURE_PATH =
  /^\/(healthz|readyz|metrics|docs|openapi\.json|\.well-known\/|favicon\.ico)(\/|\?|$)/;

/** Probes and the scrape: requests a monitoring system repeats all day. */
export const PROBE_PATH = /^\/(healthz|readyz|metrics)(\/|\?|$)/;

export const METRICS_PATH = /^\/metrics(\/|\?|$)/;

/**
 * A scrape of /metrics refused for its token (401) or past the failed
 * authentication limit (429): a security event, logged and audited like a
 * refused API call.
 */
export function isRefusedScrape(url: string, status: number): boolean {
  return (status === 401 || status === 429) && METRICS_PATH.test(url);
}
