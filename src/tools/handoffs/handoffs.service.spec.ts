import { describe, expect, it } from '@jest/globals';

import { customerMessage, RESPONSE_TIME } from './handoffs.service.js';

describe(customerMessage.name, () => {
  it('promises the response time of the urgency and gives the reference', () => {
    for (const urgency of ['low', 'normal', 'high'] as const) {
      const text = customerMessage('HO-ABC', 'customer_request', urgency, undefined);
      expect(text).toContain(RESPONSE_TIME[urgency]);
      expect(text).toContain('HO-ABC');
    }
  });

  it('names the preferred channel and apologises for a complaint', () => {
    expect(customerMessage('HO-1', 'complaint', 'high', 'zalo')).toBe(
      'I am sorry for the trouble. I have passed your conversation to a colleague, who will contact you on Zalo within 15 minutes during business hours. Your reference is HO-1.',
    );
    expect(customerMessage('HO-2', 'other', 'normal', undefined)).toBe(
      'I have passed your conversation to a colleague, who will pick up this conversation within 2 business hours. Your reference is HO-2.',
    );
  });
});
