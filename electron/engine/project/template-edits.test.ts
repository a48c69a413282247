import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, test } from 'vitest';
import { TemplateEditError } from './edit-errors.ts';
import { loadProject } from './load-project.ts';
import { hasSamSchema, samSchemaFailures } from './sam-schema-check.ts';
import { checkEdits, previewEdits, templateValue } from './template-edits.ts';
import type { TemplateEdit } from './template-edits.ts';
import { diffLines, splitLines } from './text-diff.ts';

const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../test/fixtures/projects/editing');
const COMMENTED = readFileSync(path.join(fixtures, 'commented/template.yaml'), 'utf8');
const JSON_TEMPLATE = readFileSync(path.join(fixtures, 'json/template.json'), 'utf8');

const scratch = mkdtempSync(path.join(tmpdir(), 'template-edits-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Loads `text` as the template of a copy of the fixture project, as the engine would after a write. */
async function loadEdited(fixture: 'commented' | 'json', text: string): ReturnType<typeof loadProject> {
  const dir = mkdtempSync(path.join(scratch, `${fixture}-`));
  cpSync(path.join(fixtures, fixture), dir, { recursive: true });
  writeFileSync(path.join(dir, fixture === 'json' ? 'template.json' : 'template.yaml'), text);
  return loadProject(dir, { stackName: 'editing' });
}

/** The lines the edit added, asserting that no line of the original was removed or changed. */
function addedBlocks(before: string, after: string, options: { allowCommas?: boolean } = {}): string[][] {
  let script = diffLines(splitLines(before), splitLines(after));
  if (options.allowCommas) {
    const removed = new Set(script.filter((line) => line.op === '-').map((line) => line.text.replace(/\n$/, ',\n')));
    script = script.filter((line) => line.op !== '-' && !(line.op === '+' && removed.has(line.text)));
  }
  expect(script.filter((line) => line.op === '-')).toEqual([]);
  const blocks: string[][] = [];
  let previous = ' ';
  for (const line of script) {
    if (line.op === '+') {
      if (previous !== '+') blocks.push([]);
      blocks[blocks.length - 1]?.push(line.text);
    }
    previous = line.op;
  }
  return blocks;
}

function expectValidSam(text: string, fileName = 'template.yaml'): void {
  if (!hasSamSchema) return;
  expect(samSchemaFailures(templateValue(text, fileName) as Record<string, unknown>)).toEqual([]);
}

function problemsOf(text: string, edits: TemplateEdit[]): Array<{ field: string; message: string }> {
  return checkEdits(text, edits).map(({ field, message }) => ({ field, message }));
}

describe('add-event on a commented template full of intrinsics', () => {
  const edit: TemplateEdit = {
    kind: 'add-event',
    functionId: 'OrdersWorker',
    eventType: 'SQS',
    eventName: 'Retries',
    properties: { Queue: { 'Fn::GetAtt': ['OrdersQueue', 'Arn'] }, BatchSize: 5, FunctionResponseTypes: ['ReportBatchItemFailures'] },
  };

  test('adds one block of lines and leaves every other line byte for byte', () => {
    const preview = previewEdits(COMMENTED, [edit]);
    expect(addedBlocks(COMMENTED, preview.after)).toEqual([
      [
        '        Retries:\n',
        '          Type: SQS\n',
        '          Properties:\n',
        '            Queue: !GetAtt OrdersQueue.Arn\n',
        '            BatchSize: 5\n',
        '            FunctionResponseTypes:\n',
        '              - ReportBatchItemFailures\n',
      ],
    ]);
    expect(preview.changed).toBe(true);
    expect(preview.results).toEqual([{ kind: 'add-event', path: ['Resources', 'OrdersWorker', 'Properties', 'Events', 'Retries'], logicalId: 'OrdersWorker', eventName: 'Retries' }]);
  });

  test('the result loads without errors and has the new event', async () => {
    const { after } = previewEdits(COMMENTED, [edit]);
    const loaded = await loadEdited('commented', after);
    const worker = loaded.model.functions.find((fn) => fn.logicalId === 'OrdersWorker');
    expect(worker?.events.map((event) => event.name)).toEqual(['FromQueue', 'Retries']);
    expect(worker?.events[1]).toMatchObject({ type: 'SQS', properties: { BatchSize: 5, Queue: 'arn:aws:sqs:us-east-1:123456789012:editing-orders' } });
    expect(loaded.model.warnings).toEqual([]);
  });

  test('the result validates against the SAM schema', () => {
    expectValidSam(previewEdits(COMMENTED, [edit]).after);
  });

  test('the diff is unified, with a/ and b/ file names and 3 lines of context', () => {
    const { diff } = previewEdits(COMMENTED, [edit]);
    const [from, to, hunk, ...body] = diff.split('\n');
    expect([from, to]).toEqual(['--- a/template.yaml', '+++ b/template.yaml']);
    expect(hunk).toMatch(/^@@ -\d+,6 \+\d+,13 @@$/);
    expect(body.slice(0, 4)).toEqual(['           Properties:', '             Queue: !GetAtt OrdersQueue.Arn', '             BatchSize: 10', '+        Retries:']);
  });

  test('a generated event name comes from its source and stays unique', () => {
    const { results } = previewEdits(COMMENTED, [
      { kind: 'add-event', functionId: 'Reports', eventType: 'SQS', properties: { Queue: { 'Fn::GetAtt': ['OrdersQueue', 'Arn'] } } },
      { kind: 'add-event', functionId: 'Reports', eventType: 'SQS', properties: { Queue: { 'Fn::GetAtt': ['OrdersQueue', 'Arn'] } } },
      { kind: 'add-event', functionId: 'Reports', eventType: 'HttpApi', properties: { Path: '/reports/{day}', Method: 'get' } },
    ]);
    expect(results.map((result) => result.eventName)).toEqual(['FromOrdersQueue', 'FromOrdersQueue2', 'GetReportsDay']);
  });

  test('an unknown function, a taken event name and an unknown type are refused with their fields', () => {
    expect(problemsOf(COMMENTED, [{ kind: 'add-event', functionId: 'Nope', eventType: 'SQS', properties: {} }])).toEqual([
      { field: 'Resources.Nope', message: 'There is no function Nope in the template.' },
    ]);
    expect(problemsOf(COMMENTED, [{ ...edit, eventName: 'FromQueue' }])).toEqual([
      { field: 'Resources.OrdersWorker.Properties.Events.FromQueue', message: 'OrdersWorker already has an event named FromQueue.' },
    ]);
    expect(problemsOf(COMMENTED, [{ ...edit, eventType: 'Sqs' }])[0]?.message).toBe('"Sqs" is not a SAM event type.');
    expect(() => previewEdits(COMMENTED, [{ ...edit, functionId: 'OrdersQueue' }])).toThrow(
      'template.yaml Resources.OrdersQueue: OrdersQueue is an AWS::SQS::Queue, not an AWS::Serverless::Function.',
    );
  });

  test('a DynamoDB trigger turns on the table stream it needs', async () => {
    const preview = previewEdits(COMMENTED, [
      { kind: 'add-event', functionId: 'Reports', eventType: 'DynamoDB', properties: { Stream: { 'Fn::GetAtt': ['OrdersTable', 'StreamArn'] }, StartingPosition: 'LATEST' } },
    ]);
    expect(preview.after).toContain('          KeyType: HASH\n      StreamSpecification:\n        StreamViewType: NEW_AND_OLD_IMAGES\n');
    expect(preview.warnings).toEqual(['The stream of OrdersTable is turned on (StreamViewType NEW_AND_OLD_IMAGES) so that it can trigger Reports.']);
    expectValidSam(preview.after);
    await loadEdited('commented', preview.after);
  });
});

describe('add-resource', () => {
  test('generates Queue1, Queue2 … and gives a function its code folder', () => {
    const preview = previewEdits(COMMENTED, [
      { kind: 'add-resource', resourceType: 'AWS::SQS::Queue' },
      { kind: 'add-resource', resourceType: 'AWS::SQS::Queue' },
      { kind: 'add-resource', resourceType: 'AWS::Serverless::Function', logicalId: 'ResizeImages', properties: { MemorySize: 512 } },
    ]);
    expect(preview.results.map((result) => result.logicalId)).toEqual(['Queue1', 'Queue2', 'ResizeImages']);
    const [block] = addedBlocks(COMMENTED, preview.after);
    expect(block?.join('')).toBe(
      [
        '  Queue1:',
        '    Type: AWS::SQS::Queue',
        '',
        '  Queue2:',
        '    Type: AWS::SQS::Queue',
        '',
        '  ResizeImages:',
        '    Type: AWS::Serverless::Function',
        '    Properties:',
        '      CodeUri: src/resize-images/',
        '      Handler: index.handler',
        '      Runtime: nodejs20.x',
        '      MemorySize: 512',
        '',
        '',
      ].join('\n'),
    );
    expectValidSam(preview.after);
  });

  test('a logical id already used by a resource or a parameter is refused', () => {
    expect(problemsOf(COMMENTED, [{ kind: 'add-resource', resourceType: 'AWS::SQS::Queue', logicalId: 'OrdersQueue' }])).toEqual([
      { field: 'Resources.OrdersQueue', message: 'OrdersQueue is already used by a resource (AWS::SQS::Queue).' },
    ]);
    expect(problemsOf(COMMENTED, [{ kind: 'add-resource', resourceType: 'AWS::SQS::Queue', logicalId: 'Stage' }])).toEqual([
      { field: 'Resources.Stage', message: 'Stage is already used by a parameter.' },
    ]);
    expect(problemsOf(COMMENTED, [{ kind: 'add-resource', resourceType: 'AWS::SQS::Queue', logicalId: 'my-queue' }])[0]?.message).toBe('"my-queue" is not a valid logical id.');
  });
});

describe('add-access', () => {
  test('a queue: SQSSendMessagePolicy and ORDERS_QUEUE_URL, in the file’s short-tag style', () => {
    const preview = previewEdits(COMMENTED, [{ kind: 'add-access', functionId: 'Reports', targetId: 'OrdersQueue', access: 'write' }]);
    expect(addedBlocks(COMMENTED, preview.after).map((block) => block.join(''))).toEqual([
      '      Policies:\n        - SQSSendMessagePolicy:\n            QueueName: !GetAtt OrdersQueue.QueueName\n      Environment:\n        Variables:\n          ORDERS_QUEUE_URL: !Ref OrdersQueue\n',
    ]);
    expect(preview.results[0]?.variableName).toBe('ORDERS_QUEUE_URL');
    expectValidSam(preview.after);
  });

  test('access that is already there changes nothing', () => {
    const preview = previewEdits(COMMENTED, [{ kind: 'add-access', functionId: 'OrdersApi', targetId: 'OrdersQueue', access: 'write' }]);
    expect(preview.changed).toBe(false);
    expect(preview.diff).toBe('');
    expect(preview.results[0]?.variableName).toBe('QUEUE_URL');
  });

  test('a table: DynamoDBCrudPolicy appended, the existing TABLE_NAME reused', () => {
    const preview = previewEdits(COMMENTED, [{ kind: 'add-access', functionId: 'OrdersWorker', targetId: 'OrdersTable', access: 'read-write' }]);
    expect(addedBlocks(COMMENTED, preview.after).map((block) => block.join(''))).toEqual(['      Policies:\n        - DynamoDBCrudPolicy:\n            TableName: !Ref OrdersTable\n']);
    expect(preview.results[0]?.variableName).toBe('TABLE_NAME');
  });

  test('a bucket with a BucketName is named by it, not by !Ref', async () => {
    const preview = previewEdits(COMMENTED, [{ kind: 'add-access', functionId: 'Reports', targetId: 'Uploads', access: 'write' }]);
    expect(preview.after).toContain("      Policies:\n        - S3WritePolicy:\n            BucketName: !Sub '${AWS::StackName}-uploads-${AWS::AccountId}'\n");
    expect(preview.after).toContain("          UPLOADS_BUCKET_NAME: !Sub '${AWS::StackName}-uploads-${AWS::AccountId}'\n");
    expectValidSam(preview.after);
    const loaded = await loadEdited('commented', preview.after);
    expect(loaded.model.functions.find((fn) => fn.logicalId === 'Reports')?.environment.UPLOADS_BUCKET_NAME).toBe('editing-uploads-123456789012');
  });

  test('a function with its own Role and an access a topic does not offer are refused', () => {
    const withRole = COMMENTED.replace('      Handler: report.handler\n', '      Handler: report.handler\n      Role: arn:aws:iam::123456789012:role/reports\n');
    expect(problemsOf(withRole, [{ kind: 'add-access', functionId: 'Reports', targetId: 'OrdersQueue', access: 'write' }])).toEqual([
      { field: 'Resources.Reports.Properties.Role', message: 'Reports uses its own Role, and SAM ignores Policies when Role is set.' },
    ]);
    const withTopic = COMMENTED.replace('\nOutputs:', '  Alerts:\n    Type: AWS::SNS::Topic\n\nOutputs:');
    expect(problemsOf(withTopic, [{ kind: 'add-access', functionId: 'Reports', targetId: 'Alerts', access: 'read' }])[0]?.message).toBe('A function can only write topic Alerts, not read.');
  });
});

describe('set-property and remove', () => {
  test('set-property writes intrinsics as short tags and keeps the line’s comment', () => {
    const preview = previewEdits(COMMENTED, [
      { kind: 'set-property', path: ['Resources', 'OrdersApi', 'Properties', 'MemorySize'], value: 1024 },
      { kind: 'set-property', path: ['Resources', 'OrdersApi', 'Properties', 'Environment', 'Variables', 'TABLE'], value: { Ref: 'OrdersTable' } },
    ]);
    expect(preview.after).toContain('      MemorySize: 1024 # MB\n');
    expect(preview.after).toContain('          MODE: !If [IsProd, production, development]\n          TABLE: !Ref OrdersTable\n');
    expectValidSam(preview.after);
  });

  test('a field in a flow mapping is changed inside it', () => {
    const preview = previewEdits(COMMENTED, [{ kind: 'set-property', path: ['Resources', 'OrdersApi', 'Properties', 'Events', 'GetOrder', 'Properties', 'Path'], value: '/orders/{orderId}' }]);
    expect(preview.diff).toContain("-          Properties: { Path: '/orders/{id}', Method: GET }\n+          Properties: { Path: '/orders/{orderId}', Method: GET }\n");
  });

  test('removing a resource that is still referenced warns where', () => {
    const preview = previewEdits(COMMENTED, [{ kind: 'remove', path: ['Resources', 'OrdersTable'] }]);
    expect(preview.warnings).toEqual(['Resources.OrdersWorker.Properties.Environment.Variables.TABLE_NAME still refers to OrdersTable, which is removed; CloudFormation will reject the template until that reference goes too.']);
    expect(preview.after).not.toContain('OrdersTable:');
  });

  test('removing an event and the resource it used leaves a template that loads', async () => {
    const preview = previewEdits(COMMENTED, [
      { kind: 'remove', path: ['Resources', 'Reports', 'Properties', 'Events', 'Nightly'] },
      { kind: 'remove', path: ['Resources', 'Uploads'] },
    ]);
    expect(preview.warnings).toEqual([]);
    expect(preview.after).toContain('      Timeout: 60\n\nOutputs:');
    expectValidSam(preview.after);
    const loaded = await loadEdited('commented', preview.after);
    expect(loaded.model.functions.find((fn) => fn.logicalId === 'Reports')?.events).toEqual([]);
  });

  test('a path that is not there is refused with its field', () => {
    expect(problemsOf(COMMENTED, [{ kind: 'remove', path: ['Resources', 'OrdersApi', 'Properties', 'Timeout'] }])).toEqual([
      { field: 'Resources.OrdersApi.Properties.Timeout', message: 'Resources.OrdersApi.Properties.Timeout is not in the template.' },
    ]);
  });
});

describe('field checks for the inspector', () => {
  const fn = ['Resources', 'OrdersApi', 'Properties'];
  const set = (path: Array<string | number>, value: unknown): TemplateEdit => ({ kind: 'set-property', path, value });

  test('memory and timeout limits name the field and the fix', () => {
    const problems = checkEdits(COMMENTED, [set([...fn, 'MemorySize'], 64), set([...fn, 'Timeout'], 901)]);
    expect(problems).toEqual([
      { path: [...fn, 'MemorySize'], field: 'Resources.OrdersApi.Properties.MemorySize', message: '64 is below the minimum of 128.', fix: 'Set MemorySize to a whole number of MB from 128 to 10240.' },
      { path: [...fn, 'Timeout'], field: 'Resources.OrdersApi.Properties.Timeout', message: '901 is above the maximum of 900.', fix: 'Set Timeout to a whole number of seconds from 1 to 900 (15 minutes).' },
    ]);
    expect(() => previewEdits(COMMENTED, [set([...fn, 'MemorySize'], 64)])).toThrow(TemplateEditError);
    expect(checkEdits(COMMENTED, [set([...fn, 'MemorySize'], 10240), set(['Globals', 'Function', 'Timeout'], 900)])).toEqual([]);
  });

  test('batch sizes follow the source: SQS needs a window above 10 and stops at 10,000', () => {
    const batch = ['Resources', 'OrdersWorker', 'Properties', 'Events', 'FromQueue', 'Properties'];
    expect(problemsOf(COMMENTED, [set([...batch, 'BatchSize'], 20_000)])).toEqual([{ field: `${batch.join('.')}.BatchSize`, message: '20000 is above the maximum of 10000.' }]);
    expect(problemsOf(COMMENTED, [set([...batch, 'BatchSize'], 50)])[0]?.message).toMatch(/^A BatchSize of 50 needs a batching window/);
    expect(problemsOf(COMMENTED, [set([...batch, 'BatchSize'], 50), set([...batch, 'MaximumBatchingWindowInSeconds'], 5)])).toEqual([]);
    const fifo = COMMENTED.replace("      VisibilityTimeout: 60 # seconds: six times the worker's timeout\n", '      VisibilityTimeout: 60\n      FifoQueue: true\n');
    expect(problemsOf(fifo, [set([...batch, 'BatchSize'], 11)])).toEqual([{ field: `${batch.join('.')}.BatchSize`, message: '11 is above the maximum of 10.' }]);
  });

  test('schedules, routes and environment variables are checked as AWS would', () => {
    const nightly = ['Resources', 'Reports', 'Properties', 'Events', 'Nightly', 'Properties', 'Schedule'];
    expect(problemsOf(COMMENTED, [set(nightly, 'rate(1 days)')])).toEqual([{ field: nightly.join('.'), message: '"rate(1 days)": a value of 1 takes the singular unit: rate(1 day).' }]);
    expect(problemsOf(COMMENTED, [set(nightly, 'cron(0 2 * * * *)')])[0]?.message).toMatch(/^"cron\(0 2 \* \* \* \*\)": one of day-of-month .* must be "\?"/);
    expect(problemsOf(COMMENTED, [set(nightly, 'cron(0 2 ? * MON-FRI *)')])).toEqual([]);

    const route = ['Resources', 'OrdersApi', 'Properties', 'Events', 'PostOrder', 'Properties'];
    expect(problemsOf(COMMENTED, [set([...route, 'Path'], 'orders')])[0]?.message).toBe('"orders" is not a valid route path.');
    expect(problemsOf(COMMENTED, [set([...route, 'Method'], 'FETCH')])[0]?.message).toBe('"FETCH" is not an HTTP method.');
    expect(problemsOf(COMMENTED, [set([...route, 'Path'], '/orders/{id}'), set([...route, 'Method'], 'GET')])[0]?.message).toBe('GET /orders/{id} is already routed to OrdersApi (event GetOrder).');

    const variables = [...fn, 'Environment', 'Variables'];
    expect(problemsOf(COMMENTED, [set([...variables, '1BAD'], 'x')])[0]?.message).toBe('"1BAD" is not a valid environment variable name.');
    expect(problemsOf(COMMENTED, [set([...variables, 'AWS_REGION'], 'x')])[0]?.message).toBe('AWS_REGION is set by Lambda itself and cannot be configured.');
    expect(problemsOf(COMMENTED, [set([...variables, 'BIG'], 'x'.repeat(5000))])[0]?.message).toMatch(/^The variables take \d+ bytes; Lambda allows 4096 in total\.$/);
  });

  test('an old problem elsewhere does not block an unrelated edit', () => {
    const broken = COMMENTED.replace('      Timeout: 60\n', '      Timeout: 5000\n');
    expect(checkEdits(broken, [set([...fn, 'MemorySize'], 512)])).toEqual([]);
  });
});

describe('other formats', () => {
  test('template.json is edited as JSON with its 2-space layout', async () => {
    const preview = previewEdits(
      JSON_TEMPLATE,
      [
        { kind: 'add-event', functionId: 'Api', eventType: 'SQS', properties: { Queue: { 'Fn::GetAtt': ['Jobs', 'Arn'] } } },
        { kind: 'add-access', functionId: 'Api', targetId: 'Jobs', access: 'read' },
      ],
      { fileName: 'template.json' },
    );
    expect(preview.format).toBe('json');
    expect(preview.warnings).toEqual([]);
    expect(preview.diff.startsWith('--- a/template.json\n+++ b/template.json\n')).toBe(true);
    // JSON adds a comma to the line before a new member; no other line of the file changes.
    const script = diffLines(splitLines(JSON_TEMPLATE), splitLines(preview.after));
    const removed = script.filter((line) => line.op === '-').map((line) => line.text);
    expect(removed).toEqual(['            "MODE": "json"\n', '        }\n']);
    expect(script.filter((line) => line.op === '+').map((line) => line.text)).toEqual(expect.arrayContaining(removed.map((line) => line.replace(/\n$/, ',\n'))));
    expect(addedBlocks(JSON_TEMPLATE, preview.after, { allowCommas: true }).map((block) => block.join(''))).toEqual([
      '            "JOBS_QUEUE_URL": {\n              "Ref": "Jobs"\n            }\n',
      '        "Events": {\n          "FromJobs": {\n            "Type": "SQS",\n            "Properties": {\n              "Queue": {\n                "Fn::GetAtt": [\n                  "Jobs",\n                  "Arn"\n                ]\n              }\n            }\n          }\n        "Policies": [\n          {\n            "SQSPollerPolicy": {\n              "QueueName": {\n                "Fn::GetAtt": [\n                  "Jobs",\n                  "QueueName"\n                ]\n              }\n            }\n          }\n        ]\n',
    ]);
    expectValidSam(preview.after, 'template.json');
    const loaded = await loadEdited('json', preview.after);
    expect(loaded.model.functions[0]?.events.map((event) => event.type)).toEqual(['SQS']);
  });

  test('Windows line endings and a byte order mark are kept', () => {
    const text = `\uFEFF${COMMENTED.replace(/\n/g, '\r\n')}`;
    const preview = previewEdits(text, [{ kind: 'set-property', path: ['Resources', 'OrdersApi', 'Properties', 'Timeout'], value: 20 }]);
    expect(preview.after.startsWith('\uFEFF')).toBe(true);
    expect(preview.after.replace(/\r\n/g, '')).not.toContain('\n');
    expect(preview.after).toContain('      MemorySize: 256 # MB\r\n');
    expect(preview.diff).not.toContain('\r');
  });

  test('a template that does not parse is refused before any edit', () => {
    expect(() => previewEdits('Resources:\n  A: [\n', [{ kind: 'remove', path: ['Resources', 'A'] }])).toThrow(/must read without errors/);
  });
});
