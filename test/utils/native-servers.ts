import { describe } from '@jest/globals';

/**
 * The scale-out suites need PostgreSQL and Redis from Debian's packages. CI
 * installs them (.ci/run) and there a missing server is a failure; on a
 * developer machine without them the suites are skipped with a notice, so
 * `npm install && npm test` still passes on a fresh clone.
 */
export function describeWithServer(
  available: boolean,
  install: string,
): typeof describe | typeof describe.skip {
  if (available || process.env.CI) return describe;
  process.stderr.write(`skipping: needs ${install} (apt-get install -y ${install})\n`);
  return describe.skip;
}
