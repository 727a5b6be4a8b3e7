/**
 * A small Gatehouse client for agents: loads the tool definitions from
 * GET /v1/tools and runs a tool call as the HTTP request the OpenAPI
 * document describes for it (operationId = tool name). Standalone: it needs
 * nothing but fetch, so it can be copied into any agent.
 */

/** One entry of GET /v1/tools?format=openai. */
export interface OpenAiToolDefinition {
  type: 'function';
  function: {
    name: string;
    description: string;
    parameters: Record<string, unknown>;
    strict: true;
  };
}

/** What a tool call returned: the JSON body, or the RFC 9457 problem when `ok` is false. */
export interface ToolOutcome {
  ok: boolean;
  status: number;
  body: unknown;
  requestId: string | null;
}

/** Supplies the `Authorization` header: a fixed API key/token, or client credentials. */
export type CredentialSource = () => Promise<string>;

export interface GatehouseClientOptions {
  baseUrl: string;
  credential: CredentialSource;
  /** Sent as X-Agent-Id and X-Conversation-Id, so the audit trail can tell conversations apart. */
  agentId?: string;
  conversationId?: string;
}

interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
}

interface Operation {
  method: string;
  path: string;
  parameters: Parameter[];
  hasBody: boolean;
}

/** A static credential: an API key (`gh_...`) or an access token, sent as a Bearer token. */
export function staticCredential(value: string): CredentialSource {
  return () => Promise.resolve(`Bearer ${value}`);
}

/** OAuth 2.0 client credentials at POST /oauth/token; the token is reused until shortly before it expires. */
export function clientCredentials(
  baseUrl: string,
  clientId: string,
  clientSecret: string,
  scope?: string,
): CredentialSource {
  let cached: { value: string; expiresAt: number } | undefined;
  return async () => {
    if (cached && cached.expiresAt > Date.now()) return cached.value;
    const response = await fetch(new URL('/oauth/token', baseUrl), {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ grant_type: 'client_credentials', ...(scope ? { scope } : {}) }),
    });
    if (!response.ok)
      throw new Error(`token request failed: ${response.status} ${await response.text()}`);
    const token = (await response.json()) as { access_token: string; expires_in: number };
    cached = {
      value: `Bearer ${token.access_token}`,
      expiresAt: Date.now() + (token.expires_in - 30) * 1000,
    };
    return cached.value;
  };
}

export class GatehouseClient {
  private operations: Promise<Map<string, Operation>> | undefined;

  constructor(private readonly options: GatehouseClientOptions) {}

  /** The tools this credential may call, as OpenAI strict function definitions. */
  async loadTools(): Promise<OpenAiToolDefinition[]> {
    const body = (await this.getJson('/v1/tools?format=openai', true)) as {
      tools: OpenAiToolDefinition[];
    };
    return body.tools;
  }

  /** Runs one tool call. Tool errors come back as outcomes (the problem body), not exceptions. */
  async call(name: string, args: Record<string, unknown>): Promise<ToolOutcome> {
    const operation = (await this.operationsByTool()).get(name);
    if (!operation) {
      return {
        ok: false,
        status: 404,
        body: { code: 'unknown_tool', detail: name },
        requestId: null,
      };
    }
    const remaining = dropNulls(args) as Record<string, unknown>;
    let path = operation.path;
    const query = new URLSearchParams();
    const headers: Record<string, string> = {
      ...(await this.headers()),
      accept: 'application/json',
    };
    for (const parameter of operation.parameters) {
      const argument = parameter.in === 'header' ? camelCase(parameter.name) : parameter.name;
      const value = remaining[argument];
      delete remaining[argument];
      if (value === undefined) continue;
      const text = typeof value === 'string' ? value : JSON.stringify(value);
      if (parameter.in === 'path')
        path = path.replace(`{${parameter.name}}`, encodeURIComponent(text));
      else if (parameter.in === 'query') query.set(parameter.name, text);
      else if (parameter.in === 'header') headers[parameter.name] = text;
    }
    const search = query.toString();
    const response = await fetch(
      new URL(search ? `${path}?${search}` : path, this.options.baseUrl),
      {
        method: operation.method,
        headers: operation.hasBody ? { ...headers, 'content-type': 'application/json' } : headers,
        ...(operation.hasBody ? { body: JSON.stringify(remaining) } : {}),
      },
    );
    const text = await response.text();
    return {
      ok: response.ok,
      status: response.status,
      body: text === '' ? null : (JSON.parse(text) as unknown),
      requestId: response.headers.get('x-request-id'),
    };
  }

  private operationsByTool(): Promise<Map<string, Operation>> {
    this.operations ??= this.getJson('/openapi.json', false).then(indexOperations);
    return this.operations;
  }

  private async headers(): Promise<Record<string, string>> {
    return {
      authorization: await this.options.credential(),
      ...(this.options.agentId ? { 'x-agent-id': this.options.agentId } : {}),
      ...(this.options.conversationId ? { 'x-conversation-id': this.options.conversationId } : {}),
    };
  }

  private async getJson(path: string, authenticated: boolean): Promise<unknown> {
    const response = await fetch(new URL(path, this.options.baseUrl), {
      headers: authenticated ? await this.headers() : {},
    });
    if (!response.ok)
      throw new Error(`GET ${path} failed: ${response.status} ${await response.text()}`);
    return response.json();
  }
}

function indexOperations(document: unknown): Map<string, Operation> {
  const paths = (document as { paths: Record<string, Record<string, Record<string, unknown>>> })
    .paths;
  const byTool = new Map<string, Operation>();
  for (const [path, item] of Object.entries(paths)) {
    for (const [method, operation] of Object.entries(item)) {
      const tool = operation['x-tool'] as { name: string } | undefined;
      if (!tool) continue;
      byTool.set(tool.name, {
        method: method.toUpperCase(),
        path,
        parameters: (operation.parameters as Parameter[] | undefined) ?? [],
        hasBody: operation.requestBody !== undefined,
      });
    }
  }
  return byTool;
}

/** Strict-mode models send null for every argument they leave out; Gatehouse wants it absent. */
function dropNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(dropNulls);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, v]) => v !== null)
      .map(([k, v]) => [k, dropNulls(v)]),
  );
}

/** `Idempotency-Key` -> `idempotencyKey`: how /v1/tools names a header argument. */
function camelCase(header: string): string {
  return header.toLowerCase().replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase());
}
