import { sqsErrors } from './sqs-errors.ts';

/** SQS's own message size limit since August 2025 (it was 256 KiB before). */
export const MAX_MESSAGE_BYTES = 1_048_576;

interface WholeNumberRule {
  kind: 'number';
  min: number;
  max: number;
  default?: string;
}
interface ChoiceRule {
  kind: 'choice';
  values: string[];
  default?: string;
  fifoOnly?: boolean;
}
interface TextRule {
  kind: 'text' | 'json' | 'redrive';
  default?: string;
}
type Rule = WholeNumberRule | ChoiceRule | TextRule;

/** Attributes a caller may set, with AWS's ranges and defaults. */
const SETTABLE: Record<string, Rule> = {
  DelaySeconds: { kind: 'number', min: 0, max: 900, default: '0' },
  MaximumMessageSize: { kind: 'number', min: 1024, max: MAX_MESSAGE_BYTES, default: String(MAX_MESSAGE_BYTES) },
  MessageRetentionPeriod: { kind: 'number', min: 60, max: 1_209_600, default: '345600' },
  ReceiveMessageWaitTimeSeconds: { kind: 'number', min: 0, max: 20, default: '0' },
  VisibilityTimeout: { kind: 'number', min: 0, max: 43_200, default: '30' },
  Policy: { kind: 'json' },
  RedrivePolicy: { kind: 'redrive' },
  RedriveAllowPolicy: { kind: 'json' },
  KmsMasterKeyId: { kind: 'text' },
  KmsDataKeyReusePeriodSeconds: { kind: 'number', min: 60, max: 86_400 },
  SqsManagedSseEnabled: { kind: 'choice', values: ['true', 'false'], default: 'true' },
  FifoQueue: { kind: 'choice', values: ['true', 'false'] },
  ContentBasedDeduplication: { kind: 'choice', values: ['true', 'false'], default: 'false', fifoOnly: true },
  DeduplicationScope: { kind: 'choice', values: ['messageGroup', 'queue'], default: 'queue', fifoOnly: true },
  FifoThroughputLimit: { kind: 'choice', values: ['perQueue', 'perMessageGroupId'], default: 'perQueue', fifoOnly: true },
};

/** Attributes SQS computes; readable with GetQueueAttributes, never set. */
export const COMPUTED_ATTRIBUTES = [
  'ApproximateNumberOfMessages',
  'ApproximateNumberOfMessagesNotVisible',
  'ApproximateNumberOfMessagesDelayed',
  'CreatedTimestamp',
  'LastModifiedTimestamp',
  'QueueArn',
] as const;

export const ALL_ATTRIBUTE_NAMES = new Set<string>([...Object.keys(SETTABLE), ...COMPUTED_ATTRIBUTES]);

export interface RedrivePolicy {
  deadLetterTargetArn: string;
  maxReceiveCount: number;
}

/** The attributes a new queue starts with, as GetQueueAttributes shows them. */
export function defaultAttributes(fifo: boolean): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, rule] of Object.entries(SETTABLE)) {
    if ('fifoOnly' in rule && rule.fifoOnly && !fifo) continue;
    if (rule.default !== undefined) out[name] = rule.default;
  }
  if (fifo) out.FifoQueue = 'true';
  return out;
}

/**
 * Checks attributes given to CreateQueue or SetQueueAttributes and returns them as SQS stores
 * them (text; JSON policies normalised). Throws AWS's error for the first bad one.
 */
export function validateAttributes(input: Record<string, unknown>, queue: { fifo: boolean; creating: boolean }): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, raw] of Object.entries(input)) {
    const rule = SETTABLE[name];
    if (!rule) {
      if (ALL_ATTRIBUTE_NAMES.has(name)) throw sqsErrors.invalidAttributeName(`Attribute ${name} cannot be set: SQS computes it.`);
      throw sqsErrors.invalidAttributeName(`Unknown Attribute ${name}.`);
    }
    const value = typeof raw === 'string' ? raw : typeof raw === 'number' || typeof raw === 'boolean' ? String(raw) : raw === null || raw === undefined ? '' : JSON.stringify(raw);
    if (name === 'FifoQueue' && !queue.creating) throw sqsErrors.invalidAttributeName('Attribute FifoQueue can only be set when the queue is created.');
    if ('fifoOnly' in rule && rule.fifoOnly && !queue.fifo) throw sqsErrors.invalidAttributeName(`Unknown Attribute ${name}.`);
    out[name] = normalise(name, rule, value);
  }
  return out;
}

function normalise(name: string, rule: Rule, value: string): string {
  switch (rule.kind) {
    case 'number': {
      if (!/^\d+$/.test(value.trim()) || Number(value) < rule.min || Number(value) > rule.max) {
        throw sqsErrors.invalidAttributeValue(`Invalid value for the parameter ${name}. It must be a whole number from ${rule.min} to ${rule.max}, not '${value}'.`);
      }
      return String(Number(value));
    }
    case 'choice': {
      const match = rule.values.find((v) => v.toLowerCase() === value.toLowerCase());
      if (!match) throw sqsErrors.invalidAttributeValue(`Invalid value for the parameter ${name}. Allowed: ${rule.values.join(', ')}.`);
      return match;
    }
    case 'json': {
      if (value === '') return '';
      try {
        return JSON.stringify(JSON.parse(value));
      } catch {
        throw sqsErrors.invalidAttributeValue(`Invalid value for the parameter ${name}: it must be a JSON document.`);
      }
    }
    case 'redrive': {
      if (value === '') return '';
      const policy = parseRedrivePolicy(value);
      return JSON.stringify(policy);
    }
    case 'text':
      return value;
  }
}

export function parseRedrivePolicy(value: string): RedrivePolicy {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    throw sqsErrors.invalidParameterValue(`Value ${value} for parameter RedrivePolicy is invalid. Reason: Invalid value for the parameter RedrivePolicy: it must be JSON such as {"deadLetterTargetArn":"arn:aws:sqs:…","maxReceiveCount":5}.`);
  }
  const policy = parsed as { deadLetterTargetArn?: unknown; maxReceiveCount?: unknown };
  const arn = policy?.deadLetterTargetArn;
  const count = Number(policy?.maxReceiveCount);
  if (typeof arn !== 'string' || !/^arn:[^:]+:sqs:[^:]*:[^:]*:.+$/.test(arn)) {
    throw sqsErrors.invalidParameterValue(`Value ${value} for parameter RedrivePolicy is invalid. Reason: Redrive policy requires a deadLetterTargetArn (the dead-letter queue's ARN).`);
  }
  if (!Number.isInteger(count) || count < 1 || count > 1000) {
    throw sqsErrors.invalidParameterValue(`Value ${value} for parameter RedrivePolicy is invalid. Reason: Invalid value for maxReceiveCount: ${String(policy?.maxReceiveCount)}, valid values are from 1 to 1000 both inclusive.`);
  }
  return { deadLetterTargetArn: arn, maxReceiveCount: count };
}

export function redrivePolicyOf(attributes: Record<string, string>): RedrivePolicy | undefined {
  const value = attributes.RedrivePolicy;
  if (!value) return undefined;
  try {
    return parseRedrivePolicy(value);
  } catch {
    return undefined;
  }
}

/** Whole seconds of a numeric attribute. */
export function secondsOf(attributes: Record<string, string>, name: 'DelaySeconds' | 'VisibilityTimeout' | 'MessageRetentionPeriod' | 'ReceiveMessageWaitTimeSeconds' | 'MaximumMessageSize'): number {
  const rule = SETTABLE[name] as WholeNumberRule;
  return Number(attributes[name] ?? rule.default);
}

/** `AWS.SimpleQueueService`'s queue name rule: 1–80 characters of letters, digits, `-` and `_`, FIFO names end in `.fifo`. */
export function checkQueueName(name: string, fifo: boolean): void {
  const base = fifo ? name.replace(/\.fifo$/, '') : name;
  if (fifo && !name.endsWith('.fifo')) {
    throw sqsErrors.invalidParameterValue(`The name of a FIFO queue can only include alphanumeric characters, hyphens, or underscores, must end with .fifo suffix and be 1 to 80 in length.`);
  }
  if (!fifo && name.endsWith('.fifo')) {
    throw sqsErrors.invalidParameterValue(`Value ${name} for parameter QueueName is invalid. Reason: A queue name ending in .fifo must have the FifoQueue attribute set to true.`);
  }
  if (!/^[A-Za-z0-9_-]+$/.test(base) || name.length > 80) {
    throw sqsErrors.invalidParameterValue(`Value ${name} for parameter QueueName is invalid. Reason: Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length.`);
  }
}
