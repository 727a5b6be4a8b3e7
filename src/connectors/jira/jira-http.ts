import type { ConnectorContext } from '../connector-registry.js';
import { ConfigError } from '../../config/app-config.js';
import type { JiraSettings } from '../../config/connectors-config.js';
import { UpstreamHttp } from '../http/upstream-http.js';

export function jiraSettings(context: ConnectorContext): JiraSettings {
  const settings = context.config.connectors.jira;
  if (!settings) throw new ConfigError('the jira connector is bound but JIRA_* is not configured');
  return settings;
}

/** One client (and circuit breaker) for every Jira call of the app. */
export function jiraHttp(context: ConnectorContext): UpstreamHttp {
  return context.shared('jira.http', () => {
    const settings = jiraSettings(context);
    const authorization = `Basic ${Buffer.from(`${settings.email}:${settings.apiToken}`).toString('base64')}`;
    return new UpstreamHttp({
      system: 'jira',
      baseUrl: settings.url,
      settings: context.config.connectors.upstream,
      headers: () => ({ authorization }),
    });
  });
}
