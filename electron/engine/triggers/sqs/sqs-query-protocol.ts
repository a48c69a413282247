import type { SqsError } from './sqs-errors.ts';
import type { SqsInput, SqsOutput } from './sqs-operations.ts';

/**
 * SQS's query protocol, which Debian's AWS CLI v2 (2.9.x, botocore's `query` model) still
 * speaks: form-encoded `Action=SendMessage&…` with flattened lists and maps in, XML out. The
 * operations work on the JSON protocol's shape; this converts both ways.
 */

const XMLNS = 'http://queue.amazonaws.com/doc/2012-11-05/';

type Tree = { [key: string]: Tree | string };

/** `MessageAttribute.1.Value.DataType=String` → `{ MessageAttribute: { 1: { Value: { DataType: 'String' } } } }`. */
function toTree(params: URLSearchParams): Tree {
  const root: Tree = {};
  for (const [key, value] of params) {
    const parts = key.split('.');
    let node = root;
    for (const [index, part] of parts.entries()) {
      if (index === parts.length - 1) {
        node[part] = value;
        break;
      }
      const next = node[part];
      if (typeof next === 'object') node = next;
      else node = node[part] = {};
    }
  }
  return root;
}

/** The members of a flattened list (`X.1`, `X.2`, …) in index order. */
function items(node: Tree | string | undefined): Array<Tree | string> {
  if (!node || typeof node === 'string') return [];
  return Object.keys(node)
    .filter((k) => /^\d+$/.test(k))
    .sort((a, b) => Number(a) - Number(b))
    .map((k) => node[k]!);
}

function text(node: Tree | string | undefined): string | undefined {
  return typeof node === 'string' ? node : undefined;
}

function entryMap(node: Tree | string | undefined, keyName: string, valueName: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of items(node)) {
    if (typeof item === 'string') continue;
    const key = text(item[keyName]);
    if (key !== undefined) out[key] = text(item[valueName]) ?? '';
  }
  return out;
}

function attributeValue(node: Tree | string | undefined): SqsInput {
  if (!node || typeof node === 'string') return {};
  const out: SqsInput = {};
  for (const name of ['DataType', 'StringValue', 'BinaryValue']) if (text(node[name]) !== undefined) out[name] = text(node[name]);
  const strings = items(node.StringListValue).map(String);
  const binaries = items(node.BinaryListValue).map(String);
  if (strings.length) out.StringListValues = strings;
  if (binaries.length) out.BinaryListValues = binaries;
  return out;
}

function attributeMap(node: Tree | string | undefined): Record<string, SqsInput> {
  const out: Record<string, SqsInput> = {};
  for (const item of items(node)) {
    if (typeof item === 'string') continue;
    const name = text(item.Name);
    if (name !== undefined) out[name] = attributeValue(item.Value);
  }
  return out;
}

const LIST_MEMBERS: Record<string, string> = {
  AttributeName: 'AttributeNames',
  MessageSystemAttributeName: 'MessageSystemAttributeNames',
  MessageAttributeName: 'MessageAttributeNames',
  TagKey: 'TagKeys',
};

function toInput(action: string, tree: Tree): SqsInput {
  const input: SqsInput = {};
  for (const [key, node] of Object.entries(tree)) {
    if (key === 'Action' || key === 'Version') continue;
    if (key === 'Attribute' || key === 'Attributes') input.Attributes = entryMap(node, 'Name', 'Value');
    else if (key === 'Tag' || key === 'Tags') input[action === 'CreateQueue' ? 'tags' : 'Tags'] = entryMap(node, 'Key', 'Value');
    else if (LIST_MEMBERS[key]) input[LIST_MEMBERS[key]] = items(node).map(String);
    else if (key === 'MessageAttribute') input.MessageAttributes = attributeMap(node);
    else if (key === 'MessageSystemAttribute') input.MessageSystemAttributes = attributeMap(node);
    else if (key.endsWith('BatchRequestEntry')) input.Entries = items(node).map((entry) => (typeof entry === 'string' ? {} : toInput(action, entry)));
    else if (typeof node === 'string') input[key] = node;
  }
  return input;
}

/** The action and its input from a query-protocol request (form body plus URL query). */
export function parseQueryRequest(params: URLSearchParams): { action: string; input: SqsInput } {
  const action = params.get('Action') ?? '';
  return { action, input: toInput(action, toTree(params)) };
}

/** Escapes text for XML; `\r` too, which XML parsers would otherwise turn into `\n`. */
export function escapeXml(value: string): string {
  return value.replace(/[&<>"'\r]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;', '\r': '&#xD;' })[c]!);
}

function element(name: string, content: string): string {
  return `<${name}>${content}</${name}>`;
}

const LIST_ELEMENTS: Record<string, string> = { QueueUrls: 'QueueUrl', queueUrls: 'QueueUrl', Messages: 'Message', Failed: 'BatchResultErrorEntry', StringListValues: 'StringListValue', BinaryListValues: 'BinaryListValue' };

function renderValue(name: string, value: unknown, action: string): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) {
    const member = name === 'Successful' ? `${action}ResultEntry` : (LIST_ELEMENTS[name] ?? name);
    return value.map((item) => renderValue(member, item, action)).join('');
  }
  if (typeof value === 'object') {
    const record = value as Record<string, unknown>;
    if (name === 'Attributes') return Object.entries(record).map(([k, v]) => element('Attribute', element('Name', escapeXml(k)) + element('Value', escapeXml(String(v))))).join('');
    if (name === 'Tags') return Object.entries(record).map(([k, v]) => element('Tag', element('Key', escapeXml(k)) + element('Value', escapeXml(String(v))))).join('');
    if (name === 'MessageAttributes') {
      return Object.entries(record)
        .map(([k, v]) => element('MessageAttribute', element('Name', escapeXml(k)) + element('Value', renderMembers(v as Record<string, unknown>, action))))
        .join('');
    }
    return element(name, renderMembers(record, action));
  }
  return element(name, escapeXml(String(value)));
}

function renderMembers(record: Record<string, unknown>, action: string): string {
  return Object.entries(record)
    .map(([k, v]) => renderValue(k, v, action))
    .join('');
}

/** `<SendMessageResponse><SendMessageResult>…</SendMessageResult><ResponseMetadata>…` as SQS answers. */
export function renderQueryResponse(action: string, output: SqsOutput, requestId: string): string {
  const result = Object.keys(output).length || RESULT_ALWAYS.has(action) ? element(`${action}Result`, renderMembers(output, action)) : '';
  return `<?xml version="1.0"?><${action}Response xmlns="${XMLNS}">${result}<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>`;
}

/** Operations whose response has a result element even when it is empty. */
const RESULT_ALWAYS = new Set(['ReceiveMessage', 'ListQueues', 'GetQueueAttributes', 'ListQueueTags', 'SendMessageBatch', 'DeleteMessageBatch', 'ChangeMessageVisibilityBatch', 'ListDeadLetterSourceQueues']);

export function renderQueryError(err: SqsError, requestId: string): string {
  return `<?xml version="1.0"?><ErrorResponse xmlns="${XMLNS}"><Error><Type>${err.faultType}</Type><Code>${escapeXml(err.queryCode)}</Code><Message>${escapeXml(err.message)}</Message><Detail/></Error><RequestId>${requestId}</RequestId></ErrorResponse>`;
}
