import { ApiProperty } from '@nestjs/swagger';

export class HandoffResultDto {
  @ApiProperty({
    description: 'Handoff id; give it to the customer as their reference.',
    example: 'HO-7KQ2M9XD4TBA',
  })
  handoffId!: string;

  @ApiProperty({
    description: 'queued: staff are being notified.',
    enum: ['queued'],
    example: 'queued',
  })
  status!: 'queued';

  @ApiProperty({
    description:
      'What to tell the customer now, in their language: who will contact them, how and roughly when.',
    example:
      'I have passed your conversation to a colleague, who will contact you by phone within 2 business hours. Your reference is HO-7KQ2M9XD4TBA.',
  })
  customerMessage!: string;
}
