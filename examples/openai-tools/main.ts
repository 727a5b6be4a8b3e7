import OpenAI from 'openai';
import {
  clientCredentials,
  GatehouseClient,
  staticCredential,
} from '../shared/gatehouse-client.js';
import { answerWithTools } from './tool-loop.js';

const baseUrl = process.env.GATEHOUSE_URL ?? 'http://127.0.0.1:3000';
const credential = process.env.GATEHOUSE_API_KEY
  ? staticCredential(process.env.GATEHOUSE_API_KEY)
  : clientCredentials(
      baseUrl,
      process.env.GATEHOUSE_CLIENT_ID ?? '',
      process.env.GATEHOUSE_CLIENT_SECRET ?? '',
    );

// OPENAI_API_KEY (and optionally OPENAI_BASE_URL for any OpenAI-compatible server) come from the environment.
const answer = await answerWithTools({
  openai: new OpenAI(),
  gatehouse: new GatehouseClient({ baseUrl, credential, agentId: 'openai-tools-example' }),
  model: process.env.OPENAI_MODEL ?? 'gpt-4o-mini',
  question: process.argv.slice(2).join(' ') || 'How much is the oak desk 140 and is it in stock?',
});
process.stdout.write(`${answer}\n`);
