import 'reflect-metadata';
import { describe, expect, it } from '@jest/globals';
import { ConfigError } from '../../config/app-config.js';
import { signWebhook, webhookKey } from './webhook-signature.js';

describe(signWebhook.name, () => {
  it('reproduces the Standard Webhooks reference test vector', () => {
    const key = webhookKey('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw');
    expect(
      signWebhook(key, 'msg_p5jXN8AQM9LWM0D4loKWxJek', 1614265330, '{"test": 2432232314}'),
    ).toBe('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
  });

  it('uses the UTF-8 bytes of a secret without the whsec_ prefix', () => {
    const raw = 'a-plain-shared-secret-of-32-chars-or-more';
    expect(webhookKey(raw).equals(Buffer.from(raw, 'utf8'))).toBe(true);
  });

  it('refuses a whsec_ secret that is not base64 of at least 24 bytes', () => {
    expect(() => webhookKey('whsec_c2hvcnQ=')).toThrow(ConfigError);
    expect(() => webhookKey('whsec_not base64 at all, but long enough!')).toThrow(ConfigError);
  });
});
