import { Module } from '@nestjs/common';

/** Rate limits per client and tool class (SPEC §7). */
@Module({})
export class ThrottlingModule {}
