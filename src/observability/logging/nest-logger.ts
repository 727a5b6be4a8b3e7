import type { LoggerService } from '@nestjs/common';
import { Logger as NestPinoLogger, PinoLogger, type Params } from 'nestjs-pino';
import type { Logger } from 'pino';

/**
 * Nest's LoggerService on top of the root pino logger (nestjs-pino), installed
 * before the application is created so that even the first lines of a start
 * (migrations, generated secrets) are JSON. No pino-http middleware is
 * mounted: the one line per request is written by RequestTelemetry, which
 * sees the caller, tool and final status that a middleware cannot.
 */
export function createNestLogger(root: Logger): LoggerService {
  const params: Params = { pinoHttp: { logger: root, autoLogging: false } };
  return new NestPinoLogger(new PinoLogger(params), params);
}
