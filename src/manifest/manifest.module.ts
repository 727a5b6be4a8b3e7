import { Module } from '@nestjs/common';
import { ThrottlingModule } from '../throttling/throttling.module.js';
import { ManifestService } from './manifest.service.js';
import { InternalTransport } from './mcp/internal-transport.js';
import { McpController } from './mcp/mcp.controller.js';
import { McpService } from './mcp/mcp.service.js';
import { ToolDispatcher } from './mcp/tool-dispatcher.js';
import { ToolsController } from './tools.controller.js';

/** Tool manifests and the MCP server (SPEC §9), all derived from the OpenAPI document. */
@Module({
  imports: [ThrottlingModule],
  controllers: [ToolsController, McpController],
  providers: [ManifestService, McpService, ToolDispatcher, InternalTransport],
  exports: [ManifestService],
})
export class ManifestModule {}
