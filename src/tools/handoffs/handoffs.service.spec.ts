import 'reflect-metadata';
import { describe, expect, it } from '@jest/globals';

import { loadConfig } from '../../config/app-config.js';
import { customerMessage } from './handoffs.service.js';

describe(customerMessage.name, () => {
  const { handoffResponseTimes } = loadConfig({});

  it('promises the configured response time and gives the reference', () => {
    const text = customerMessage('HO-ABC', 'customer_request', 'by 5 pm today', undefined);
    expect(text).toContain('by 5 pm today.');
    expect(text).toContain('HO-ABC');
  });

  it('names the preferred channel and apologises for a complaint', () => {
    expect(customerMessage('HO-1', 'complaint', handoffResponseTimes.high, 'zalo')).toBe(
      'I am sorry for the trouble. I have passed your conversation to a colleague, who will contact you on Zalo within 15 minutes during business hours. Your reference is HO-1.',
    );
    expect(customerMessage('HO-2', 'other', handoffResponseTimes.normal, undefined)).toBe(
      'I have passed your conversation to a colleague, who will pick up this conversation within 2 business hours. Your reference is HO-2.',
    );
  });
});

describe('HANDOFF_RESPONSE_*', () => {
  it("defaults to the documented promises and takes the company's own", () => {
    expect(loadConfig({}).handoffResponseTimes).toEqual({
      high: 'within 15 minutes during business hours',
      normal: 'within 2 business hours',
      low: 'within 1 business day',
    });
    expect(
      loadConfig({ HANDOFF_RESPONSE_LOW: ' within 2 working days ' }).handoffResponseTimes.low,
    ).toBe('within 2 working days');
  });

  it('refuses a promise that is not one short line of text', () => {
    expect(() => loadConfig({ HANDOFF_RESPONSE_HIGH: 'a\nb' })).toThrow(/HANDOFF_RESPONSE_HIGH/);
    expect(() => loadConfig({ HANDOFF_RESPONSE_NORMAL: 'x'.repeat(121) })).toThrow(
      /HANDOFF_RESPONSE_NORMAL/,
    );
  });
});
