import { ApiProperty } from '@nestjs/swagger';

export class AssignedRepDto {
  @ApiProperty({ description: 'Sales rep id.', example: 'REP-003' })
  id!: string;

  @ApiProperty({
    description: 'Sales rep name, which may be told to the customer.',
    example: 'Lê Minh Tuấn',
  })
  name!: string;
}

export class LeadResultDto {
  @ApiProperty({ description: 'Lead id.', example: 'LD-7KQ2M9XD4TBA' })
  leadId!: string;

  @ApiProperty({
    description:
      'True when the email or phone already belongs to a lead: that lead is returned and nothing new was created.',
    example: false,
  })
  duplicate!: boolean;

  @ApiProperty({
    description: 'The sales rep who will follow up, or null when none is available yet.',
    type: () => AssignedRepDto,
    nullable: true,
  })
  assignedTo!: AssignedRepDto | null;

  @ApiProperty({ description: 'Lead status.', enum: ['new'], example: 'new' })
  status!: 'new';
}
