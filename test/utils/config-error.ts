import { expect } from '@jest/globals';
import { ConfigError, loadConfig } from '../../src/config/app-config.js';

/** The message of the ConfigError that `env` makes loadConfig throw. */
export function configError(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigError');
}
