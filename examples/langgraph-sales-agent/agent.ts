import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import {
  AIMessage,
  HumanMessage,
  SystemMessage,
  ToolMessage,
  type BaseMessage,
} from '@langchain/core/messages';
import { END, MemorySaver, MessagesAnnotation, START, StateGraph } from '@langchain/langgraph';
import type { GatehouseClient, OpenAiToolDefinition } from '../shared/gatehouse-client.js';

export interface SalesAgentOptions {
  gatehouse: GatehouseClient;
  model: BaseChatModel;
  conversationId: string;
  /** Guards against a model that never stops calling tools. */
  maxSteps?: number;
}

export interface SalesAgent {
  /** The tools loaded from Gatehouse for this credential. */
  tools: OpenAiToolDefinition[];
  /** Sends one customer message and returns the agent's answer. */
  say(text: string): Promise<string>;
  /** The whole conversation so far, tool calls and results included. */
  transcript(): Promise<BaseMessage[]>;
}

function systemPrompt(conversationId: string): string {
  return [
    'You are the sales assistant of a Vietnamese furniture company. Answer in the language of the customer.',
    'Use the tools for every fact about products, prices, stock, orders and deliveries; never guess one.',
    'Find a product with search_products before checking its stock with check_inventory.',
    'When a customer wants a quote or to be contacted and has given a name and a phone or email, record them with create_lead; send consent true only if they agreed to be contacted.',
    'When the customer asks for a person, is upset, or no tool can help, call request_human_handoff and tell them its customerMessage.',
    `This conversation's id is "${conversationId}": pass it as conversationId.`,
    `Every write tool takes an idempotencyKey: use "${conversationId}.<tool name>.<n>" with a new n for each new write, and the same key only to retry the same call.`,
    'When a tool returns an error, follow its agentHint.',
  ].join('\n');
}

/**
 * A LangGraph agent over Gatehouse: the model sees the tools exactly as
 * GET /v1/tools?format=openai publishes them (strict function calling), and
 * each tool call runs as the HTTP request the OpenAPI document describes.
 */
export async function createSalesAgent(options: SalesAgentOptions): Promise<SalesAgent> {
  const { gatehouse, model, conversationId } = options;
  const tools = await gatehouse.loadTools();
  if (!model.bindTools) throw new Error('the chat model does not support tool calling');
  const llm = model.bindTools(tools);
  const system = new SystemMessage(systemPrompt(conversationId));

  const callModel = async (state: typeof MessagesAnnotation.State) => ({
    messages: [await llm.invoke([system, ...state.messages])],
  });

  const callTools = async (state: typeof MessagesAnnotation.State) => {
    const last = state.messages.at(-1);
    const calls = last instanceof AIMessage ? (last.tool_calls ?? []) : [];
    const results: ToolMessage[] = [];
    for (const call of calls) {
      const outcome = await gatehouse.call(call.name, call.args);
      results.push(
        new ToolMessage({
          tool_call_id: call.id ?? call.name,
          name: call.name,
          content: JSON.stringify(outcome.body),
          status: outcome.ok ? 'success' : 'error',
        }),
      );
    }
    return { messages: results };
  };

  const graph = new StateGraph(MessagesAnnotation)
    .addNode('agent', callModel)
    .addNode('tools', callTools)
    .addEdge(START, 'agent')
    .addConditionalEdges(
      'agent',
      (state) => {
        const last = state.messages.at(-1);
        return last instanceof AIMessage && (last.tool_calls?.length ?? 0) > 0 ? 'tools' : END;
      },
      ['tools', END],
    )
    .addEdge('tools', 'agent')
    .compile({ checkpointer: new MemorySaver() });

  const config = {
    configurable: { thread_id: conversationId },
    recursionLimit: options.maxSteps ?? 25,
  };

  return {
    tools,
    async say(text) {
      const state = await graph.invoke({ messages: [new HumanMessage(text)] }, config);
      const answer = state.messages.at(-1);
      return answer ? textOf(answer) : '';
    },
    async transcript() {
      const snapshot = await graph.getState(config);
      return (snapshot.values as typeof MessagesAnnotation.State).messages;
    },
  };
}

export function textOf(message: BaseMessage): string {
  const { content } = message;
  if (typeof content === 'string') return content;
  return content
    .map((part) => (typeof part === 'object' && 'text' in part ? String(part.text) : ''))
    .join('');
}
