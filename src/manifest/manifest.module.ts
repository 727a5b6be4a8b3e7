import { Module } from '@nestjs/common';

/** Tool manifests and the MCP server (SPEC §9). */
@Module({})
export class ManifestModule {}
