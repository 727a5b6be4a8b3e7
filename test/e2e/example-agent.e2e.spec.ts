import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import OpenAI from 'openai';
import { createSalesAgent, textOf } from '../../examples/langgraph-sales-agent/agent.js';
import { chooseModel } from '../../examples/langgraph-sales-agent/model.js';
import {
  SALES_CONVERSATION,
  salesScript,
  ScriptedChatModel,
} from '../../examples/langgraph-sales-agent/scripted-model.js';
import { answerWithTools } from '../../examples/openai-tools/tool-loop.js';
import { clientCredentials, GatehouseClient } from '../../examples/shared/gatehouse-client.js';
import type { Scope } from '../../src/auth/scopes.js';
import { buildDemoData } from '../../src/database/seed/demo-data.js';
import { startTestApp, type TestApp } from '../utils/test-app.js';

const LIMITS = { read: 10_000, write: 10_000 };
const SALES_SCOPES: Scope[] = ['inventory:read', 'leads:write', 'handoff:write'];

describe('example agents against a running Gatehouse', () => {
  const demo = buildDemoData();
  let t: TestApp;
  let base: string;

  const gatehouseFor = async (conversationId: string, agentId: string) => {
    const created = await t.client(SALES_SCOPES, { limits: LIMITS });
    return {
      clientId: created.clientId,
      gatehouse: new GatehouseClient({
        baseUrl: base,
        credential: clientCredentials(base, created.clientId, created.clientSecret),
        agentId,
        conversationId,
      }),
    };
  };

  beforeAll(async () => {
    t = await startTestApp();
    // The examples speak HTTP, so the app listens on a loopback port.
    await t.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
  });
  afterAll(async () => t.close());

  describe('examples/langgraph-sales-agent with a scripted chat model', () => {
    const conversationId = 'conv-example-sales-1';
    let clientId: string;
    let answers: string[];
    let model: ScriptedChatModel;

    beforeAll(async () => {
      const setup = await gatehouseFor(conversationId, 'langgraph-sales-agent');
      clientId = setup.clientId;
      model = new ScriptedChatModel(salesScript(conversationId));
      const agent = await createSalesAgent({ gatehouse: setup.gatehouse, model, conversationId });
      answers = [];
      for (const text of SALES_CONVERSATION) answers.push(await agent.say(text));
    });

    it('binds exactly the tools GET /v1/tools offers its credential', () => {
      expect(model.boundTools).toEqual([
        'search_products',
        'check_inventory',
        'create_lead',
        'request_human_handoff',
      ]);
    });

    it('answers the price question from search_products and check_inventory', () => {
      const product = demo.products.find((p) => p.sku === 'BAN-GO-SOI-120');
      const available = demo.stockLevels
        .filter((s) => s.sku === 'BAN-GO-SOI-120')
        .reduce((sum, s) => sum + Math.max(0, s.onHand - s.reserved), 0);
      const price = new Intl.NumberFormat('vi-VN').format(product?.listPrice ?? -1);
      expect(answers[0]).toContain('BAN-GO-SOI-120');
      expect(answers[0]).toContain(`${price} VND`);
      expect(answers[0]).toContain(`còn ${available}`);
    });

    it('creates the lead with an Idempotency-Key and names the sales rep', async () => {
      const lead = await t.prisma.lead.findFirstOrThrow({ where: { conversationId } });
      expect(lead).toMatchObject({
        clientId,
        name: 'Nguyễn Văn An',
        phone: '+84912345678',
        interestSkus: 'BAN-GO-SOI-120',
        consent: true,
        region: 'central',
      });
      const rep = await t.prisma.salesRep.findUniqueOrThrow({
        where: { id: lead.assignedRepId ?? '' },
      });
      expect(answers[1]).toContain(rep.name);
      const record = await t.prisma.idempotencyRecord.findFirst({
        where: { clientId, key: `${conversationId}.create_lead.1` },
      });
      expect(record).not.toBeNull();
    });

    it('hands the conversation to a human and relays the customer message', async () => {
      const handoff = await t.prisma.handoff.findFirstOrThrow({ where: { conversationId } });
      expect(handoff).toMatchObject({ clientId, reason: 'customer_request', status: 'queued' });
      expect(answers[2]).toContain(handoff.id);
    });

    it('left one audit event per tool call, tagged with the agent and conversation', async () => {
      const events = await t.prisma.auditEvent.findMany({
        where: { conversationId, tool: { not: null } },
        orderBy: { seq: 'asc' },
      });
      expect(events.map((e) => [e.tool, e.status, e.outcome, e.transport])).toEqual([
        ['search_products', 200, 'ok', 'http'],
        ['check_inventory', 200, 'ok', 'http'],
        ['create_lead', 201, 'ok', 'http'],
        ['request_human_handoff', 201, 'ok', 'http'],
      ]);
      for (const event of events) {
        expect(event).toMatchObject({ clientId, agentId: 'langgraph-sales-agent' });
      }
    });
  });

  describe('with an OpenAI-compatible endpoint (OPENAI_BASE_URL)', () => {
    let llm: FakeOpenAi;

    beforeAll(async () => {
      llm = await FakeOpenAi.start();
    });
    afterAll(async () => llm.stop());

    it('runs the LangGraph agent through ChatOpenAI with the strict tool definitions', async () => {
      const conversationId = 'conv-example-chatopenai';
      const { gatehouse } = await gatehouseFor(conversationId, 'langgraph-sales-agent');
      const model = chooseModel(conversationId, {
        OPENAI_API_KEY: 'test-key',
        OPENAI_BASE_URL: llm.url,
        OPENAI_MODEL: 'fake-model',
      });
      expect(model).not.toBeInstanceOf(ScriptedChatModel);
      const agent = await createSalesAgent({ gatehouse, model, conversationId });
      const answer = await agent.say('How much is the oak desk 140 and is it in stock?');
      expect(answer).toMatch(/^DESK-OAK-140 costs \d+ VND; \d+ available\.$/);
      expect(llm.toolsSeen[0]).toEqual(agent.tools);
      const transcript = await agent.transcript();
      expect(transcript.map((m) => m.getType())).toEqual([
        'human',
        'ai',
        'tool',
        'ai',
        'tool',
        'ai',
      ]);
      const searchResult = transcript[2];
      expect(searchResult && textOf(searchResult)).toContain('DESK-OAK-140');
    });

    it('runs examples/openai-tools with the official openai SDK', async () => {
      const { gatehouse } = await gatehouseFor('conv-example-openai', 'openai-tools-example');
      const answer = await answerWithTools({
        openai: new OpenAI({ apiKey: 'test-key', baseURL: llm.url }),
        gatehouse,
        model: 'fake-model',
        question: 'How much is the oak desk 140 and is it in stock?',
      });
      expect(answer).toMatch(/^DESK-OAK-140 costs \d+ VND; \d+ available\.$/);
      const events = await t.prisma.auditEvent.findMany({
        where: { agentId: 'openai-tools-example', tool: { not: null } },
        orderBy: { seq: 'asc' },
      });
      expect(events.map((e) => e.tool)).toEqual(['search_products', 'check_inventory']);
    });
  });

  // Leaves the machine (the real OpenAI API): only when asked for with EXAMPLE_AGENT_LIVE=1,
  // never merely because OPENAI_API_KEY happens to be set.
  const live = process.env.EXAMPLE_AGENT_LIVE === '1' && Boolean(process.env.OPENAI_API_KEY);
  const realModel = live ? it : it.skip;
  realModel(
    'runs the sales conversation with the real model from OPENAI_* variables',
    async () => {
      const conversationId = `conv-real-${Date.now()}`;
      const { gatehouse } = await gatehouseFor(conversationId, 'langgraph-sales-agent');
      const agent = await createSalesAgent({
        gatehouse,
        model: chooseModel(conversationId),
        conversationId,
      });
      for (const text of SALES_CONVERSATION) await agent.say(text);
      const tools = (
        await t.prisma.auditEvent.findMany({ where: { conversationId, outcome: 'ok' } })
      ).map((e) => e.tool);
      expect(tools).toEqual(
        expect.arrayContaining(['search_products', 'create_lead', 'request_human_handoff']),
      );
    },
    120_000,
  );
});

interface ChatRequest {
  messages: {
    role: string;
    content?: string | null;
    tool_calls?: { function: { name: string } }[];
  }[];
  tools?: unknown[];
}

/**
 * A loopback stand-in for an OpenAI-compatible Chat Completions server that
 * answers a price question the way a model would: search, check stock, answer.
 */
class FakeOpenAi {
  readonly toolsSeen: unknown[][] = [];
  url = '';
  private readonly server: Server;

  private constructor() {
    this.server = createServer((req, res) => {
      void readJson(req)
        .then((body) => {
          if (!req.url?.endsWith('/chat/completions')) throw new Error(`unexpected ${req.url}`);
          return [200, this.complete(body as ChatRequest)] as const;
        })
        .catch((error: unknown) => [400, { error: { message: String(error) } }] as const)
        .then(([status, reply]) => {
          res.writeHead(status, { 'content-type': 'application/json' });
          res.end(JSON.stringify(reply));
        });
    });
  }

  static async start(): Promise<FakeOpenAi> {
    const fake = new FakeOpenAi();
    await new Promise<void>((resolve) => fake.server.listen(0, '127.0.0.1', resolve));
    fake.url = `http://127.0.0.1:${(fake.server.address() as AddressInfo).port}/v1`;
    return fake;
  }

  stop(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private complete(body: ChatRequest): unknown {
    this.toolsSeen.push(body.tools ?? []);
    const last = body.messages.at(-1);
    const calls = body.messages.flatMap((m) => m.tool_calls ?? []).map((c) => c.function.name);
    if (last?.role !== 'tool') {
      return toolCall('search_products', { q: 'oak desk 140', limit: null });
    }
    const result = JSON.parse(last.content ?? '{}') as Record<string, unknown>;
    if (calls.at(-1) === 'search_products') {
      const items = result.items as { sku: string }[];
      return toolCall('check_inventory', { sku: items[0]?.sku, warehouse: null });
    }
    const totals = result.totals as { available: number };
    return message(
      `${String(result.sku)} costs ${this.price(body)} VND; ${totals.available} available.`,
    );
  }

  private price(body: ChatRequest): number {
    const search = body.messages.find((m) => m.role === 'tool');
    const items = (
      JSON.parse(search?.content ?? '{}') as { items: { listPrice: { amount: number } }[] }
    ).items;
    return items[0]?.listPrice.amount ?? 0;
  }
}

let completions = 0;

function toolCall(name: string, args: Record<string, unknown>): unknown {
  return completion(
    {
      role: 'assistant',
      content: null,
      tool_calls: [
        {
          id: `call_${completions + 1}`,
          type: 'function',
          function: { name, arguments: JSON.stringify(args) },
        },
      ],
    },
    'tool_calls',
  );
}

function message(content: string): unknown {
  return completion({ role: 'assistant', content }, 'stop');
}

function completion(choice: Record<string, unknown>, finishReason: string): unknown {
  completions += 1;
  return {
    // Unique per completion: LangGraph's message reducer replaces messages with the same id.
    id: `chatcmpl-${completions}`,
    object: 'chat.completion',
    created: 1_790_000_000,
    model: 'fake-model',
    choices: [{ index: 0, message: choice, finish_reason: finishReason, logprobs: null }],
    usage: { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 },
  };
}

function readJson(req: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString('utf8') || 'null'));
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
  });
}
