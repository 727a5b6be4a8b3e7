import { BaseChatModel, type BindToolsInput } from '@langchain/core/language_models/chat_models';
import { AIMessage, HumanMessage, ToolMessage, type BaseMessage } from '@langchain/core/messages';
import type { ChatResult } from '@langchain/core/outputs';

/** What a scripted step can read: the latest result of each tool in the conversation. */
export interface ScriptContext {
  result(tool: string): Record<string, unknown> | undefined;
  failed(tool: string): boolean;
}

export interface ScriptedCall {
  name: string;
  args: Record<string, unknown>;
}

/** One customer turn: the tool calls the model makes, one per step, then its answer. */
export interface ScriptedTurn {
  calls: ((context: ScriptContext) => ScriptedCall)[];
  reply: (context: ScriptContext) => string;
}

/**
 * A deterministic chat model for tests and offline demos: it emits the
 * tool calls of a script instead of asking an LLM, reading earlier tool
 * results from the conversation the way a model would.
 */
export class ScriptedChatModel extends BaseChatModel {
  boundTools: string[] = [];

  constructor(private readonly turns: ScriptedTurn[]) {
    super({});
  }

  _llmType(): string {
    return 'scripted';
  }

  override bindTools(tools: BindToolsInput[]): this {
    this.boundTools = tools.map((tool) => {
      const named = tool as { name?: string; function?: { name?: string } };
      return named.function?.name ?? named.name ?? '';
    });
    return this;
  }

  // eslint-disable-next-line @typescript-eslint/require-await -- BaseChatModel's contract is async
  async _generate(messages: BaseMessage[]): Promise<ChatResult> {
    const humans = messages.filter((m) => m instanceof HumanMessage).length;
    const turn = this.turns[humans - 1];
    if (!turn) throw new Error(`the script has no turn ${humans}`);
    const lastHuman = messages.findLastIndex((m) => m instanceof HumanMessage);
    const since = messages.slice(lastHuman + 1);
    const step = since.filter(
      (m) => m instanceof AIMessage && (m.tool_calls?.length ?? 0) > 0,
    ).length;
    const context = contextOf(messages);
    const next = turn.calls[step];
    let message: AIMessage;
    if (next && !since.some((m) => m instanceof ToolMessage && m.status === 'error')) {
      const call = next(context);
      if (!this.boundTools.includes(call.name)) {
        throw new Error(`the script calls ${call.name}, which Gatehouse did not offer`);
      }
      message = new AIMessage({
        content: '',
        tool_calls: [
          { id: `call_${humans}_${step}`, name: call.name, args: call.args, type: 'tool_call' },
        ],
      });
    } else {
      message = new AIMessage(turn.reply(context));
    }
    return {
      generations: [{ text: typeof message.content === 'string' ? message.content : '', message }],
    };
  }
}

function contextOf(messages: BaseMessage[]): ScriptContext {
  const latest = new Map<string, ToolMessage>();
  for (const message of messages) {
    if (message instanceof ToolMessage && message.name) latest.set(message.name, message);
  }
  return {
    result(tool) {
      const message = latest.get(tool);
      if (!message || typeof message.content !== 'string') return undefined;
      return JSON.parse(message.content) as Record<string, unknown>;
    },
    failed(tool) {
      return latest.get(tool)?.status === 'error';
    },
  };
}

/** The conversation the seed documents describe, in the customer's words. */
export const SALES_CONVERSATION = [
  'Chào shop, bàn gỗ sồi 120cm giá bao nhiêu? Còn hàng không?',
  'Tôi muốn báo giá cho 40 cái, giao tới văn phòng ở Đà Nẵng. Tôi là Nguyễn Văn An, số 0912 345 678. Tôi đồng ý để nhân viên kinh doanh liên hệ.',
  'Tôi muốn nói chuyện trực tiếp với nhân viên.',
];

interface Product {
  sku: string;
  name: string;
  unit: string;
  listPrice: { amount: number; currency: string };
}

const money = (amount: number, currency: string): string =>
  `${new Intl.NumberFormat('vi-VN').format(amount)} ${currency}`;

/** What a good model does with SALES_CONVERSATION: search, check stock, record a lead, hand off. */
export function salesScript(conversationId: string): ScriptedTurn[] {
  const product = (context: ScriptContext): Product | undefined =>
    (context.result('search_products')?.items as Product[] | undefined)?.[0];
  const problem = (context: ScriptContext, tool: string): string => {
    const hint = context.result(tool)?.agentHint;
    return typeof hint === 'string' ? hint : 'Xin lỗi, hệ thống đang gặp sự cố.';
  };

  return [
    {
      calls: [
        () => ({ name: 'search_products', args: { q: 'ban go soi 120', limit: null } }),
        (context) => ({
          name: 'check_inventory',
          args: { sku: product(context)?.sku ?? 'BAN-GO-SOI-120', warehouse: null },
        }),
      ],
      reply: (context) => {
        const found = product(context);
        if (!found) return 'Xin lỗi, tôi không tìm thấy sản phẩm này.';
        if (context.failed('check_inventory')) return problem(context, 'check_inventory');
        const stock = context.result('check_inventory')?.totals as
          { available: number } | undefined;
        return `${found.name} (${found.sku}) có giá niêm yết ${money(found.listPrice.amount, found.listPrice.currency)}/${found.unit}; hiện còn ${stock?.available ?? 0} ${found.unit} trong kho.`;
      },
    },
    {
      calls: [
        (context) => ({
          name: 'create_lead',
          args: {
            idempotencyKey: `${conversationId}.create_lead.1`,
            name: 'Nguyễn Văn An',
            email: null,
            phone: '0912 345 678',
            company: null,
            interest: {
              skus: [product(context)?.sku ?? 'BAN-GO-SOI-120'],
              note: 'Báo giá 40 cái, giao tới văn phòng ở Đà Nẵng.',
            },
            channel: 'web',
            consent: true,
            conversationId,
            region: 'central',
          },
        }),
      ],
      reply: (context) => {
        if (context.failed('create_lead')) return problem(context, 'create_lead');
        const rep = context.result('create_lead')?.assignedTo as
          { name: string } | null | undefined;
        return rep
          ? `Cảm ơn anh An! Nhân viên kinh doanh ${rep.name} sẽ liên hệ anh qua số 0912 345 678 để gửi báo giá.`
          : 'Cảm ơn anh An! Bộ phận kinh doanh sẽ liên hệ anh để gửi báo giá.';
      },
    },
    {
      calls: [
        () => ({
          name: 'request_human_handoff',
          args: {
            idempotencyKey: `${conversationId}.request_human_handoff.1`,
            conversationId,
            reason: 'customer_request',
            summary:
              'Khách Nguyễn Văn An (0912 345 678) muốn báo giá 40 bàn gỗ sồi 120cm giao tới Đà Nẵng và muốn nói chuyện với nhân viên.',
            urgency: 'normal',
            customerContact: {
              name: 'Nguyễn Văn An',
              email: null,
              phone: '0912 345 678',
              preferredChannel: 'phone',
            },
          },
        }),
      ],
      reply: (context) => {
        if (context.failed('request_human_handoff'))
          return problem(context, 'request_human_handoff');
        const message = context.result('request_human_handoff')?.customerMessage;
        return typeof message === 'string' ? message : '';
      },
    },
  ];
}
