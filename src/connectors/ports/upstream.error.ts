/**
 * A core system failed or timed out. Adapters throw this; the problem filter
 * turns it into `upstream_unavailable` without forwarding any upstream detail.
 */
export class UpstreamError extends Error {
  override name = 'UpstreamError';

  constructor(
    readonly system: string,
    readonly operation: string,
    readonly upstreamStatus?: number,
    options?: { cause?: unknown },
  ) {
    super(`${system} ${operation} failed`, options);
  }
}
