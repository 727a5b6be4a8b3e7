import type { FastifyInstance } from 'fastify';
import type { AppConfig } from '../../config/app-config.js';

/** HTTP hardening applied to the Fastify instance before routes are registered (SPEC §10). */
export async function applyHardening(_fastify: FastifyInstance, _config: AppConfig): Promise<void> {}
