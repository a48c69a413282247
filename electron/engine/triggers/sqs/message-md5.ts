import { createHash } from 'node:crypto';

/** A message attribute as both wire protocols carry it: binary values in base64. */
export interface MessageAttributeValue {
  DataType: string;
  StringValue?: string;
  BinaryValue?: string;
  StringListValues?: string[];
  BinaryListValues?: string[];
}

export function md5Hex(data: string | Buffer): string {
  return createHash('md5').update(data).digest('hex');
}

/**
 * MD5 of message attributes exactly as SQS computes it (SDKs that check it recompute the same):
 * names in order, each as a 4-byte big-endian length plus UTF-8 bytes, then the data type the same
 * way, a transport byte (1 string, 2 binary, 3 string list, 4 binary list) and the value(s).
 */
export function md5OfMessageAttributes(attributes: Record<string, MessageAttributeValue> | undefined): string | undefined {
  const names = Object.keys(attributes ?? {}).sort();
  if (!attributes || names.length === 0) return undefined;
  const hash = createHash('md5');
  const field = (bytes: Buffer): void => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(bytes.length);
    hash.update(length);
    hash.update(bytes);
  };
  for (const name of names) {
    const value = attributes[name]!;
    field(Buffer.from(name, 'utf8'));
    field(Buffer.from(value.DataType, 'utf8'));
    if (value.StringValue !== undefined) {
      hash.update(Buffer.of(1));
      field(Buffer.from(value.StringValue, 'utf8'));
    } else if (value.BinaryValue !== undefined) {
      hash.update(Buffer.of(2));
      field(Buffer.from(value.BinaryValue, 'base64'));
    } else if (value.StringListValues?.length) {
      hash.update(Buffer.of(3));
      for (const item of value.StringListValues) field(Buffer.from(item, 'utf8'));
    } else if (value.BinaryListValues?.length) {
      hash.update(Buffer.of(4));
      for (const item of value.BinaryListValues) field(Buffer.from(item, 'base64'));
    }
  }
  return hash.digest('hex');
}

/** Bytes an attribute counts toward the message size limit: name, type and value. */
export function attributeSize(name: string, value: MessageAttributeValue): number {
  let size = Buffer.byteLength(name) + Buffer.byteLength(value.DataType);
  if (value.StringValue !== undefined) size += Buffer.byteLength(value.StringValue);
  if (value.BinaryValue !== undefined) size += Buffer.from(value.BinaryValue, 'base64').length;
  for (const item of value.StringListValues ?? []) size += Buffer.byteLength(item);
  for (const item of value.BinaryListValues ?? []) size += Buffer.from(item, 'base64').length;
  return size;
}
