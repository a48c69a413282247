import { attributeSize, type MessageAttributeValue } from './message-md5.ts';
import { sqsErrors } from './sqs-errors.ts';

const ALLOWED_CHARS = '#x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF';

/** The first character SQS refuses (it accepts what XML 1.0 allows), as `#xN`, or undefined. */
export function invalidCharacter(text: string): string | undefined {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 0x9 || code === 0xa || code === 0xd || (code >= 0x20 && code <= 0xd7ff) || (code >= 0xe000 && code <= 0xfffd)) continue;
    if (code >= 0xd800 && code <= 0xdbff) {
      const low = text.charCodeAt(i + 1);
      if (low >= 0xdc00 && low <= 0xdfff) {
        i++;
        continue;
      }
    }
    return `#x${code.toString(16).toUpperCase()}`;
  }
  return undefined;
}

export function checkBody(body: unknown): string {
  if (body === undefined || body === null) throw sqsErrors.missingParameter('MessageBody');
  if (typeof body !== 'string') throw sqsErrors.invalidParameterValue('Value for parameter MessageBody is invalid. Reason: it must be a string.');
  if (body.length === 0) throw sqsErrors.invalidParameterValue('Value for parameter MessageBody is invalid. Reason: Empty message.');
  const bad = invalidCharacter(body);
  if (bad) throw sqsErrors.invalidMessageContents(`Invalid binary character '${bad}' was found in the message body, the set of allowed characters is ${ALLOWED_CHARS}`);
  return body;
}

const NAME = /^[A-Za-z0-9_.-]{1,256}$/;

/** Message attributes as SQS checks them: at most 10, well-named, typed and non-empty. */
export function checkMessageAttributes(input: unknown, kind: 'user' | 'system' = 'user'): Record<string, MessageAttributeValue> {
  if (input === undefined || input === null) return {};
  if (typeof input !== 'object' || Array.isArray(input)) throw sqsErrors.invalidParameterValue(`Message (${kind}) attributes must be a map of names to {DataType, StringValue|BinaryValue}.`);
  const entries = Object.entries(input as Record<string, unknown>);
  if (entries.length > 10) throw sqsErrors.invalidParameterValue(`Number of message attributes [${entries.length}] exceeds the allowed maximum [10].`);
  const out: Record<string, MessageAttributeValue> = {};
  for (const [name, raw] of entries) {
    if (kind === 'system' && name !== 'AWSTraceHeader') {
      throw sqsErrors.invalidParameterValue(`Message system attribute name '${name}' is invalid. The only message system attribute a sender may set is AWSTraceHeader.`);
    }
    if (kind === 'user') {
      if (!NAME.test(name) || name.startsWith('.') || name.endsWith('.') || name.includes('..')) {
        throw sqsErrors.invalidParameterValue(`Message (user) attribute name '${name}' is invalid. Use up to 256 letters, digits, '_', '-' and '.', not starting or ending with '.', without '..'.`);
      }
      if (/^(aws\.|amazon\.)/i.test(name)) throw sqsErrors.invalidParameterValue(`Message (user) attribute name '${name}' is invalid: names starting with AWS. or Amazon. are reserved.`);
    }
    const value = (raw ?? {}) as Partial<MessageAttributeValue> & Record<string, unknown>;
    const dataType = value.DataType;
    if (typeof dataType !== 'string' || dataType === '') throw sqsErrors.invalidParameterValue(`The message (${kind}) attribute '${name}' must contain a non-empty message attribute type.`);
    const base = /^(String|Number|Binary)(\..+)?$/.exec(dataType)?.[1];
    if (!base || dataType.length > 256) {
      throw sqsErrors.invalidParameterValue(`The type of message (${kind}) attribute '${name}' is invalid. You must use only the following supported type prefixes: Binary, Number, String.`);
    }
    const clean: MessageAttributeValue = { DataType: dataType };
    if (base === 'Binary') {
      if (typeof value.BinaryValue !== 'string' || value.BinaryValue === '') {
        throw sqsErrors.invalidParameterValue(`The message (${kind}) attribute '${name}' must contain a non-empty message attribute value for message attribute type '${dataType}'.`);
      }
      clean.BinaryValue = value.BinaryValue;
    } else {
      if (typeof value.StringValue !== 'string' || value.StringValue === '') {
        throw sqsErrors.invalidParameterValue(`The message (${kind}) attribute '${name}' must contain a non-empty message attribute value for message attribute type '${dataType}'.`);
      }
      const bad = invalidCharacter(value.StringValue);
      if (bad) throw sqsErrors.invalidParameterValue(`Invalid binary character '${bad}' was found in the value of message (${kind}) attribute '${name}'.`);
      if (base === 'Number' && !isSqsNumber(value.StringValue)) {
        throw sqsErrors.invalidParameterValue(`Can't cast the value of message (${kind}) attribute '${name}' to a number.`);
      }
      clean.StringValue = value.StringValue;
    }
    out[name] = clean;
  }
  return out;
}

/** SQS numbers: up to 38 significant digits, from -10^128 to 10^126. */
function isSqsNumber(text: string): boolean {
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text.trim())) return false;
  const digits = text.replace(/[eE].*$/, '').replace(/[^\d]/g, '').replace(/^0+/, '').replace(/0+$/, '');
  const value = Math.abs(Number(text));
  return digits.length <= 38 && (value === 0 || (value < 1e126 && value > 1e-128));
}

/** Body plus attribute names, types and values: what MaximumMessageSize limits. */
export function messageSize(body: string, attributes: Record<string, MessageAttributeValue>): number {
  return Buffer.byteLength(body) + Object.entries(attributes).reduce((n, [name, value]) => n + attributeSize(name, value), 0);
}

export function checkGroupOrDedupId(name: 'MessageGroupId' | 'MessageDeduplicationId', value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || !/^[!-~]{1,128}$/.test(value)) {
    throw sqsErrors.invalidParameterValue(`Value ${String(value)} for parameter ${name} is invalid. Reason: ${name} can only include alphanumeric and punctuation characters. 1 to 128 in length.`);
  }
  return value;
}
