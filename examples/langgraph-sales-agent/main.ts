import { randomUUID } from 'node:crypto';
import {
  clientCredentials,
  GatehouseClient,
  staticCredential,
  type CredentialSource,
} from '../shared/gatehouse-client.js';
import { createSalesAgent } from './agent.js';
import { chooseModel } from './model.js';
import { SALES_CONVERSATION } from './scripted-model.js';

function credentialFromEnv(baseUrl: string, env = process.env): CredentialSource {
  if (env.GATEHOUSE_API_KEY) return staticCredential(env.GATEHOUSE_API_KEY);
  if (env.GATEHOUSE_CLIENT_ID && env.GATEHOUSE_CLIENT_SECRET) {
    return clientCredentials(baseUrl, env.GATEHOUSE_CLIENT_ID, env.GATEHOUSE_CLIENT_SECRET);
  }
  throw new Error('Set GATEHOUSE_CLIENT_ID and GATEHOUSE_CLIENT_SECRET, or GATEHOUSE_API_KEY.');
}

async function main(): Promise<void> {
  const baseUrl = process.env.GATEHOUSE_URL ?? 'http://127.0.0.1:3000';
  const conversationId = `conv-${randomUUID()}`;
  const gatehouse = new GatehouseClient({
    baseUrl,
    credential: credentialFromEnv(baseUrl),
    agentId: 'langgraph-sales-agent',
    conversationId,
  });
  const agent = await createSalesAgent({
    gatehouse,
    model: chooseModel(conversationId),
    conversationId,
  });
  process.stdout.write(`tools: ${agent.tools.map((t) => t.function.name).join(', ')}\n\n`);
  const turns = process.argv.length > 2 ? [process.argv.slice(2).join(' ')] : SALES_CONVERSATION;
  for (const text of turns) {
    process.stdout.write(`customer: ${text}\n`);
    process.stdout.write(`agent:    ${await agent.say(text)}\n\n`);
  }
}

await main();
