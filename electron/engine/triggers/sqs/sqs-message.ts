import type { MessageAttributeValue } from './message-md5.ts';

/** One message as a queue keeps it (and as its journal records it). */
export interface SqsMessage {
  id: string;
  body: string;
  md5OfBody: string;
  attributes: Record<string, MessageAttributeValue>;
  md5OfMessageAttributes?: string;
  /** `AWSTraceHeader`, the only system attribute a sender may set. */
  systemAttributes?: Record<string, MessageAttributeValue>;
  md5OfMessageSystemAttributes?: string;
  /** Epoch ms; retention counts from here, also after a move to a dead-letter queue. */
  sentAt: number;
  senderId: string;
  /** Local order of arrival, strictly increasing per queue. */
  seq: number;
  /** FIFO only: the 20-digit `SequenceNumber`. */
  sequenceNumber?: string;
  groupId?: string;
  dedupId?: string;
  /** Epoch ms from which the message may be received (delay, then visibility timeout). */
  visibleAt: number;
  receiveCount: number;
  firstReceiveAt?: number;
  /** The nonce of the newest receipt handle; set once received. */
  receipt?: string;
  /** Set when a redrive policy moved the message here. */
  deadLetterSourceArn?: string;
}

/** What a receive hands out: the message as it was at that receive, and its receipt handle. */
export interface ReceivedMessage {
  message: SqsMessage;
  receiptHandle: string;
}

/** The journal's records; replayed in order they rebuild the queue. */
export type QueueRecord =
  | { t: 'send'; m: SqsMessage }
  | { t: 'recv'; id: string; rc: number; vis: number; frt: number; rh: string }
  | { t: 'vis'; id: string; vis: number }
  | { t: 'del'; id: string }
  | { t: 'purge'; upTo: number }
  | { t: 'dedup'; key: string; id: string; seqNo?: string; exp: number };

export const SYSTEM_ATTRIBUTE_NAMES = [
  'SenderId',
  'SentTimestamp',
  'ApproximateReceiveCount',
  'ApproximateFirstReceiveTimestamp',
  'SequenceNumber',
  'MessageDeduplicationId',
  'MessageGroupId',
  'AWSTraceHeader',
  'DeadLetterQueueSourceArn',
] as const;

/** The system attributes SQS reports for a received message, in AWS's order. */
export function systemAttributesOf(message: SqsMessage): Record<string, string> {
  const out: Record<string, string> = {
    SenderId: message.senderId,
    ApproximateFirstReceiveTimestamp: String(Math.floor(message.firstReceiveAt ?? message.sentAt)),
    ApproximateReceiveCount: String(message.receiveCount),
    SentTimestamp: String(Math.floor(message.sentAt)),
  };
  if (message.sequenceNumber) out.SequenceNumber = message.sequenceNumber;
  if (message.dedupId) out.MessageDeduplicationId = message.dedupId;
  if (message.groupId) out.MessageGroupId = message.groupId;
  const trace = message.systemAttributes?.AWSTraceHeader?.StringValue;
  if (trace) out.AWSTraceHeader = trace;
  if (message.deadLetterSourceArn) out.DeadLetterQueueSourceArn = message.deadLetterSourceArn;
  return out;
}
