import { Transform } from 'class-transformer';
import { toInteger } from '../common/validation/identifiers.js';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  Matches,
  Max,
  Min,
} from 'class-validator';
import { OUTBOX_TOPICS, type OutboxStatus, type OutboxTopic } from './outbox.types.js';

/** The statuses an operator lists: the messages not yet delivered. */
export const OUTBOX_OPEN_STATUSES = [
  'pending',
  'processing',
  'dead',
] as const satisfies readonly OutboxStatus[];
export type OutboxOpenStatus = (typeof OUTBOX_OPEN_STATUSES)[number];

export const OUTBOX_LIST_LIMIT_MAX = 500;
export const OUTBOX_RETRY_IDS_MAX = 500;

/** Ids the outbox makes (`msg_<uuid>`); an aggregate id such as IR-… or LD-… is refused. */
export const OUTBOX_MESSAGE_ID_PATTERN = /^msg_[A-Za-z0-9_-]{1,100}$/;

/** `gatehouse outbox list`: which undelivered messages to show. */
export class OutboxListQuery {
  @IsOptional()
  @IsIn(OUTBOX_OPEN_STATUSES)
  status?: OutboxOpenStatus;

  @IsOptional()
  @IsIn(OUTBOX_TOPICS)
  topic?: OutboxTopic;

  @Transform(toInteger)
  @IsInt()
  @Min(1)
  @Max(OUTBOX_LIST_LIMIT_MAX)
  limit = 50;
}

/** `gatehouse outbox retry`: named dead messages, or every dead one (of a topic). */
export class OutboxRetryCommand {
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(OUTBOX_RETRY_IDS_MAX)
  @Matches(OUTBOX_MESSAGE_ID_PATTERN, {
    each: true,
    message: 'each message id must look like msg_ followed by letters, digits or dashes',
  })
  messageIds?: string[];

  @IsOptional()
  @IsBoolean()
  allDead?: boolean;

  @IsOptional()
  @IsIn(OUTBOX_TOPICS)
  topic?: OutboxTopic;
}
