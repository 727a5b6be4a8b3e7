import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { MANIFEST_FORMATS, type ManifestFormat } from '../tool-manifests.js';

export class ToolsQuery {
  @ApiPropertyOptional({
    description:
      'Provider dialect: openai (Chat Completions `tools`, strict function calling), anthropic (Messages API `tools`), gemini (a `Tool` with `functionDeclarations`) or mcp (an MCP `tools/list` result).',
    enum: MANIFEST_FORMATS,
    default: 'openai',
    example: 'openai',
  })
  @IsOptional()
  @IsIn(MANIFEST_FORMATS, { message: `format must be one of ${MANIFEST_FORMATS.join(', ')}` })
  format: ManifestFormat = 'openai';
}
