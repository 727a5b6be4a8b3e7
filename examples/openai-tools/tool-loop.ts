import type OpenAI from 'openai';
import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import type { GatehouseClient } from '../shared/gatehouse-client.js';

export interface ToolLoopOptions {
  openai: OpenAI;
  gatehouse: GatehouseClient;
  model: string;
  question: string;
  maxRounds?: number;
}

/**
 * The whole integration with the official `openai` SDK: pass Gatehouse's
 * tool definitions as `tools`, run each tool call against Gatehouse and
 * send the result back, until the model answers in words.
 */
export async function answerWithTools(options: ToolLoopOptions): Promise<string> {
  const tools = await options.gatehouse.loadTools();
  const messages: ChatCompletionMessageParam[] = [
    {
      role: 'system',
      content:
        'You are a sales assistant. Use the tools for every fact about products, prices and stock; never guess. When a tool returns an error, follow its agentHint.',
    },
    { role: 'user', content: options.question },
  ];
  for (let round = 0; round < (options.maxRounds ?? 8); round++) {
    const completion = await options.openai.chat.completions.create({
      model: options.model,
      messages,
      tools,
    });
    const message = completion.choices[0]?.message;
    if (!message) throw new Error('the model returned no choice');
    messages.push(message);
    const calls = message.tool_calls ?? [];
    if (calls.length === 0) return message.content ?? '';
    for (const call of calls) {
      if (call.type !== 'function') continue;
      const outcome = await options.gatehouse.call(
        call.function.name,
        JSON.parse(call.function.arguments) as Record<string, unknown>,
      );
      messages.push({ role: 'tool', tool_call_id: call.id, content: JSON.stringify(outcome.body) });
    }
  }
  throw new Error('the model kept calling tools');
}
