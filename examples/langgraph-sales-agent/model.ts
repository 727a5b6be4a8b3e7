import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { ChatOpenAI } from '@langchain/openai';
import { salesScript, ScriptedChatModel } from './scripted-model.js';

/**
 * A real OpenAI-compatible model when OPENAI_API_KEY is set (OPENAI_BASE_URL
 * and OPENAI_MODEL optional), otherwise the scripted model of the seed
 * sales conversation.
 */
export function chooseModel(conversationId: string, env = process.env): BaseChatModel {
  if (!env.OPENAI_API_KEY) return new ScriptedChatModel(salesScript(conversationId));
  return new ChatOpenAI({
    model: env.OPENAI_MODEL ?? 'gpt-4o-mini',
    temperature: 0,
    apiKey: env.OPENAI_API_KEY,
    ...(env.OPENAI_BASE_URL ? { configuration: { baseURL: env.OPENAI_BASE_URL } } : {}),
  });
}
