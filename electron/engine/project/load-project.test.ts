import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, test } from 'vitest';
import type { FunctionConfig } from '../contract.ts';
import { InvalidParameterValueError } from '../errors.ts';
import { loadProject, stackNameFromFolder } from './load-project.ts';
import type { LoadProjectOptions } from './load-project.ts';
import { TemplateErrors } from './template-errors.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const fixture = (name: string): string => path.join(repoRoot, 'test/fixtures/projects', name);
const example = path.join(repoRoot, 'examples/hello');

const scratch: string[] = [];
afterAll(async () => {
  await Promise.all(scratch.map((dir) => rm(dir, { recursive: true, force: true })));
});

/** A throwaway project: the template plus the folders it names. */
async function project(template: string, folders: string[] = ['src'], fileName = 'template.yaml'): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'lambdadesk-project-'));
  scratch.push(dir);
  await writeFile(path.join(dir, fileName), template);
  for (const folder of folders) await mkdir(path.join(dir, folder), { recursive: true });
  return dir;
}

async function loadErrors(dir: string, options?: LoadProjectOptions): Promise<TemplateErrors> {
  const error: unknown = await loadProject(dir, options).then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(error).toBeInstanceOf(TemplateErrors);
  return error as TemplateErrors;
}

function fn(functions: FunctionConfig[], logicalId: string): FunctionConfig {
  const found = functions.find((candidate) => candidate.logicalId === logicalId);
  if (!found) throw new Error(`no function ${logicalId} in ${functions.map((f) => f.logicalId).join(', ')}`);
  return found;
}

/** One function with the given extra property lines; a property given there replaces the default one. */
const FUNCTION = (props: string): string => {
  const defaults = ['      Runtime: nodejs20.x\n', '      CodeUri: src\n', '      Handler: index.handler\n'].filter(
    (line) => !props.includes(`\n${line.slice(0, line.indexOf(':') + 1)}`) && !props.startsWith(line.slice(0, line.indexOf(':') + 1)),
  );
  return `Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
${defaults.join('')}${props}`;
};

describe('loadProject: examples/hello', () => {
  test('loads three functions with Globals, the shared layer and their events', async () => {
    const { model, document, stack } = await loadProject(example);
    expect(model.dir).toBe(example);
    expect(model.templatePath).toBe(path.join(example, 'template.yaml'));
    expect(model.warnings).toEqual([]);
    expect(model.parameters).toEqual({ Greeting: 'Hello' });
    expect(stack).toEqual({ region: 'us-east-1', accountId: '123456789012', partition: 'aws', stackName: 'hello', urlSuffix: 'amazonaws.com' });
    expect(document.path).toBe(model.templatePath);

    const layer = { logicalId: 'CommonLayer', layerName: 'hello-common', contentDir: path.join(example, 'layers/common'), compatibleRuntimes: ['nodejs20.x'] };
    expect(model.layers).toMatchObject([layer]);
    expect(model.functions.map((f) => [f.logicalId, f.functionName, f.runtime, f.handler])).toEqual([
      ['HelloNode', 'hello-node', 'nodejs20.x', 'index.handler'],
      ['HelloPython', 'HelloPython', 'python3.11', 'app.handler'],
      ['HelloShell', 'HelloShell', 'provided.al2023', 'bootstrap'],
    ]);
    const node = fn(model.functions, 'HelloNode');
    expect(node).toMatchObject({
      codeDir: path.join(example, 'src/node'),
      memoryMb: 128,
      timeoutSeconds: 10,
      ephemeralStorageMb: 512,
      architecture: 'x86_64',
      environment: { GREETING: 'Hello', LOG_PREFIX: 'node' },
      layers: [layer],
    });
    expect(node.location).toEqual({ file: 'template.yaml', line: 41, column: 3 });
    expect(node.events).toEqual([
      { name: 'Hello', type: 'HttpApi', properties: { Path: '/hello/node', Method: 'GET' }, location: { file: 'template.yaml', line: 55, column: 9 } },
    ]);
    expect(fn(model.functions, 'HelloShell').environment).toEqual({ GREETING: 'Hello' });
  });

  test('options set the pseudo parameters and overrides replace parameter defaults', async () => {
    const { model, stack } = await loadProject(example, {
      stackName: 'demo',
      region: 'eu-central-1',
      accountId: '210987654321',
      parameterOverrides: { Greeting: 'Howdy', Unused: 'x' },
    });
    expect(stack).toMatchObject({ stackName: 'demo', region: 'eu-central-1', accountId: '210987654321' });
    expect(fn(model.functions, 'HelloNode').functionName).toBe('demo-node');
    expect(fn(model.functions, 'HelloPython').environment.GREETING).toBe('Howdy');
    expect(model.parameters).toEqual({ Greeting: 'Howdy' });
    expect(model.warnings.map((w) => w.message)).toEqual([
      'parameterOverrides names "Unused", which is not a parameter of this template; it is ignored.',
    ]);
  });

  test('loading never writes the template', async () => {
    const file = path.join(example, 'template.yaml');
    const [before, mtimeBefore] = [await readFile(file), (await stat(file)).mtimeMs];
    const { document } = await loadProject(example);
    expect(await readFile(file)).toEqual(before);
    expect((await stat(file)).mtimeMs).toBe(mtimeBefore);
    expect(document.toString()).toBe(before.toString('utf8'));
  });
});

describe('loadProject: intrinsics, Globals and parameters', () => {
  test('resolves what can be resolved and warns about the rest', async () => {
    const { model } = await loadProject(fixture('intrinsics'));
    expect(model.functions.map((f) => f.logicalId)).toEqual(['Api', 'Worker']);
    const api = fn(model.functions, 'Api');
    expect(api).toMatchObject({
      functionName: 'intrinsics-dev-api',
      handler: 'handlers/api.handler',
      runtime: 'nodejs20.x',
      memoryMb: 512,
      timeoutSeconds: 30,
      ephemeralStorageMb: 1024,
      architecture: 'arm64',
      reservedConcurrency: 10,
      provisionedConcurrency: 2,
      autoPublishAlias: 'live',
    });
    // Globals first, then the function's own list; the published ARN is left out with a warning.
    expect(api.layers.map((layer) => layer.logicalId)).toEqual(['SharedLayer']);
    expect(api.environment).toMatchObject({
      STAGE: 'dev',
      LOG_LEVEL: 'debug',
      SHARED: 'from-function',
      QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/123456789012/intrinsics-Jobs',
      QUEUE_ARN: 'arn:aws:sqs:us-east-1:123456789012:intrinsics-Jobs',
      BUCKET: 'intrinsics-uploads-123456789012',
      BUCKET_ARN: 'arn:aws:s3:::intrinsics-uploads-123456789012',
      TOPIC: 'arn:aws:sns:us-east-1:123456789012:intrinsics-Alerts',
      WORKER_ARN: 'arn:aws:lambda:us-east-1:123456789012:function:Worker',
      MAX_ITEMS: '25',
      RATIO: '0.5',
      ENABLED: 'true',
      ZONES: 'a|b|c',
      SUBNET: '10.0.2.0/24',
      MODE: 'development',
      DEBUG_ONLY: 'yes',
      WITH_VARS: 'Hi, dev',
      IMPORTED: '<unresolved !ImportValue SharedVpcId>',
    });
    expect('PROD_ONLY' in api.environment).toBe(false);
    expect(Object.values(api.environment).every((value) => typeof value === 'string')).toBe(true);
    expect(api.events.map((event) => [event.name, event.type, event.properties])).toEqual([
      ['FromQueue', 'SQS', { Queue: 'arn:aws:sqs:us-east-1:123456789012:intrinsics-Jobs', BatchSize: 5 }],
      ['FromBucket', 'S3', { Bucket: 'intrinsics-uploads-123456789012', Events: 's3:ObjectCreated:*' }],
      ['Nightly', 'Schedule', { Schedule: 'rate(1 day)', Enabled: false, Input: '{"stage": "dev"}' }],
    ]);

    const worker = fn(model.functions, 'Worker');
    expect(worker).toMatchObject({ runtime: 'python3.12', memoryMb: 256, layers: [], environment: { SHARED: 'from-globals' } });

    const warnings = model.warnings.map((w) => `${w.at.line}:${w.at.column} ${w.field}: ${w.message}`);
    expect(warnings).toContain('67:3 Resources.ProdOnly: ProdOnly is left out: its condition "IsProd" is false.');
    expect(warnings).toContain(
      '89:11 Resources.Api.Properties.Layers[0]: Layer arn:aws:lambda:us-east-1:123456789012:layer:published:3 is published in AWS and cannot be fetched offline; the function runs without it.',
    );
    expect(warnings.some((w) => w.includes('Variables.SECRET') && w.includes('SSM Parameter Store'))).toBe(true);
    expect(warnings.some((w) => w.includes('Variables.PASSWORD') && w.includes('no Default and no override'))).toBe(true);
  });

  test('overrides flip conditions and feed names', async () => {
    const { model } = await loadProject(fixture('intrinsics'), { parameterOverrides: { Stage: 'prod', DbPassword: 's3cret', SharedSecret: 'from-ssm' } });
    expect(model.functions.map((f) => f.logicalId)).toEqual(['ProdOnly', 'Api', 'Worker']);
    const api = fn(model.functions, 'Api');
    expect(api.functionName).toBe('intrinsics-prod-api');
    expect(api.environment).toMatchObject({ MODE: 'production', PROD_ONLY: 'yes', LOG_LEVEL: 'warn', PASSWORD: 's3cret', SECRET: 'from-ssm' });
    expect('DEBUG_ONLY' in api.environment).toBe(false);
    expect(model.parameters).toMatchObject({ Stage: 'prod', DbPassword: 's3cret' });
  });

  test('an override outside AllowedValues is an error naming the choices', async () => {
    const { errors, warnings } = await loadErrors(fixture('intrinsics'), { parameterOverrides: { Stage: 'staging', WorkerMemory: 'lots' } });
    expect(errors.map((e) => e.message)).toEqual([
      'template.yaml:6:3 Parameters.Stage: The override Stage=staging is not one of the AllowedValues (dev, prod).',
      'template.yaml:10:3 Parameters.WorkerMemory: The override WorkerMemory=lots is not a number.',
    ]);
    // The refused value is not used, so MemorySize reports no second error.
    expect(warnings.map((w) => w.field)).toContain('Resources.Worker.Properties.MemorySize');
  });

  test('a function takes AWS defaults and the template folder as CodeUri', async () => {
    const { model } = await loadProject(fixture('defaults'));
    const dir = fixture('defaults');
    expect(fn(model.functions, 'Minimal')).toMatchObject({ codeDir: dir, memoryMb: 128, timeoutSeconds: 3, ephemeralStorageMb: 512, architecture: 'x86_64', environment: {}, layers: [], events: [] });
    expect(fn(model.functions, 'Custom')).toMatchObject({ handler: '', runtime: 'provided.al2', codeDir: dir });
    expect(fn(model.functions, 'Minimal').reservedConcurrency).toBeUndefined();
    expect(model.warnings).toEqual([]);
  });

  test('template.json and template.yml are found too', async () => {
    const json = await loadProject(fixture('json-template'));
    expect(json.model.templatePath).toBe(path.join(fixture('json-template'), 'template.json'));
    expect(fn(json.model.functions, 'Hello')).toMatchObject({
      functionName: 'json-hello',
      timeoutSeconds: 5,
      environment: { ARN: 'arn:aws:lambda:us-east-1:123456789012:function:json-hello', REGION: 'us-east-1', JOINED: 'a-json' },
    });
    const yml = await loadProject(fixture('yml-template'));
    expect(yml.model.functions.map((f) => f.logicalId)).toEqual(['FromYml']);
  });

  test('a template file path can be given instead of its folder', async () => {
    const { model } = await loadProject(path.join(example, 'template.yaml'));
    expect(model.dir).toBe(example);
  });

  test('Globals merge as SAM does: maps by key, lists appended, IgnoreGlobals honoured', async () => {
    const dir = await project(
      `Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    Runtime: python3.12
    Handler: app.handler
    MemorySize: 1024
    EphemeralStorage: { Size: 2048 }
    Environment: { Variables: { AA: global, BB: global } }
Resources:
  Merged:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src
      MemorySize: 256
      Environment: { Variables: { BB: local, CC: 3 } }
  Ignoring:
    Type: AWS::Serverless::Function
    IgnoreGlobals: [MemorySize, Environment]
    Properties:
      CodeUri: src
`,
    );
    const { model } = await loadProject(dir);
    expect(fn(model.functions, 'Merged')).toMatchObject({ runtime: 'python3.12', memoryMb: 256, ephemeralStorageMb: 2048, environment: { AA: 'global', BB: 'local', CC: '3' } });
    expect(fn(model.functions, 'Ignoring')).toMatchObject({ runtime: 'python3.12', memoryMb: 128, ephemeralStorageMb: 2048, environment: {} });
  });
});

describe('loadProject: errors name file, line, column, property and the fix', () => {
  test('every mistake of a template is reported at once, in file order', async () => {
    const failure = await loadErrors(fixture('broken-properties'));
    const dir = fixture('broken-properties');
    expect(failure.errors.map((e) => e.message)).toEqual([
      'template.yaml:12:7 Resources.Resize.Properties.Timeout: 901 is above the maximum of 900.',
      'template.yaml:14:9 Resources.Resize.Properties.EphemeralStorage.Size: 100 is below the minimum of 512.',
      'template.yaml:15:7 Resources.Resize.Properties.MemorySize: 64 is below the minimum of 128.',
      'template.yaml:19:5 Resources.NoHandler.Properties.Handler: Handler is required for python3.11.',
      'template.yaml:28:7 Resources.BadHandler.Properties.Handler: "index" is not of the form file.export.',
      'template.yaml:33:7 Resources.UnknownRuntime.Properties.Runtime: "nodejs20" is not a Lambda runtime LambdaDesk knows.',
      `template.yaml:41:7 Resources.MissingFolder.Properties.CodeUri: CodeUri src/missing does not exist (looked for ${dir}/src/missing).`,
      'template.yaml:48:7 Resources.InS3.Properties.CodeUri: CodeUri points at S3 (Bucket my-bucket, Key code.zip); offline LambdaDesk needs the code in a local folder.',
      'template.yaml:56:7 Resources.Image.Properties.PackageType: Container image functions (PackageType: Image) are not supported yet.',
      'template.yaml:65:7 Resources.TwoArchitectures.Properties.Architectures: Architectures must list exactly one architecture; it lists 2.',
      'template.yaml:73:23 Resources.WrongArchitecture.Properties.Architectures[0]: "amd64" is not a Lambda architecture.',
      'template.yaml:82:11 Resources.BadLayers.Properties.Layers[0]: "layers/common" is neither a layer version ARN nor a !Ref to an AWS::Serverless::LayerVersion in this template.',
      'template.yaml:92:11 Resources.BadEnvironment.Properties.Environment.Variables.AWS_REGION: AWS_REGION is set by Lambda itself and cannot be configured.',
      'template.yaml:93:11 Resources.BadEnvironment.Properties.Environment.Variables.EMPTY: An empty value is not a valid value for EMPTY.',
      'template.yaml:94:11 Resources.BadEnvironment.Properties.Environment.Variables.NESTED: A mapping is not a valid value for NESTED.',
      'template.yaml:103:7 Resources.ProvisionedWithoutAlias.Properties.ProvisionedConcurrencyConfig: ProvisionedConcurrencyConfig needs AutoPublishAlias: provisioned concurrency is set on an alias.',
      'template.yaml:112:7 Resources.NotANumber.Properties.MemorySize: "lots" is not a number.',
      'template.yaml:113:7 Resources.NotANumber.Properties.Timeout: 2.5 is not a whole number.',
    ]);
    const fixes = new Map(failure.errors.map((e) => [e.at.field, e.fix]));
    expect(fixes.get('Resources.Resize.Properties.MemorySize')).toBe('Set MemorySize to a whole number of MB from 128 to 10240.');
    expect(fixes.get('Resources.Resize.Properties.Timeout')).toBe('Set Timeout to a whole number of seconds from 1 to 900.');
    expect(fixes.get('Resources.UnknownRuntime.Properties.Runtime')).toBe(
      'Set Runtime to one of: nodejs20.x, nodejs22.x, python3.11, python3.12, python3.13, provided.al2023, provided.al2.',
    );
    expect(failure.message).toMatch(/^template\.yaml has 18 problems:\n {2}template\.yaml:12:7 /);
    expect(failure.message).toContain('\n    Set EphemeralStorage.Size to a whole number of MB from 512 to 10240.');
  });

  test('one error reads exactly like that error, with its fix', async () => {
    const failure = await loadErrors(await project(FUNCTION('      MemorySize: 64\n')));
    expect(failure.message).toBe('template.yaml:9:7 Resources.Fn.Properties.MemorySize: 64 is below the minimum of 128.');
    expect(failure.fix).toBe('Set MemorySize to a whole number of MB from 128 to 10240.');
    expect(failure.errors[0]?.at).toEqual({ file: 'template.yaml', line: 9, column: 7, field: 'Resources.Fn.Properties.MemorySize' });
  });

  test('a YAML syntax error has its line and column', async () => {
    const failure = await loadErrors(fixture('broken-yaml'));
    expect(failure.errors).toHaveLength(1);
    expect(failure.message).toMatch(/^template\.yaml:8:6 YAML: All mapping items must start at the same column/);
  });

  test('a folder without a template, or no folder at all, is a clear error', async () => {
    const empty = await project('', []);
    await rm(path.join(empty, 'template.yaml'));
    await expect(loadProject(empty)).rejects.toThrow(`${empty} has no template.yaml, template.yml, template.json.`);
    await expect(loadProject(empty)).rejects.toBeInstanceOf(InvalidParameterValueError);
    await expect(loadProject(path.join(empty, 'nope'))).rejects.toBeInstanceOf(InvalidParameterValueError);
  });

  test('a template without Resources is refused', async () => {
    const failure = await loadErrors(await project('Transform: AWS::Serverless-2016-10-31\nDescription: nothing\n'));
    expect(failure.message).toBe('template.yaml:1:1 Resources: The template has no Resources section.');
  });

  test('bad options are refused before anything is read', async () => {
    await expect(loadProject(example, { region: 'Mars' })).rejects.toThrow('"Mars" is not an AWS region name.');
    await expect(loadProject(example, { accountId: '42' })).rejects.toThrow('"42" is not an AWS account id.');
    await expect(loadProject(example, { stackName: '1 bad' })).rejects.toThrow('"1 bad" is not a valid stack name.');
  });

  test.each([
    ['CodeUri as an S3 URL', "      CodeUri: s3://bucket/key.zip\n", 'CodeUri s3://bucket/key.zip is in S3; offline LambdaDesk needs the code in a local folder.'],
    ['InlineCode', "      InlineCode: 'exports.handler = async () => 1'\n", 'InlineCode is not supported yet.'],
    ['a handler naming the file', '      Handler: index.js\n', '"index.js" names a file, not the function inside it.'],
    ['too many layers', `      Layers: [${Array.from({ length: 6 }, (_, i) => `arn:aws:lambda:us-east-1:123456789012:layer:l${i}:1`).join(', ')}]\n`, 'A function can use at most 5 layers; this one lists 6.'],
    ['a single architecture not in a list', '      Architectures: arm64\n', 'Architectures must be a list, not "arm64".'],
    ['a bad environment variable name', '      Environment: { Variables: { 1ABC: x } }\n', '"1ABC" is not a valid environment variable name.'],
    ['a one-letter environment variable name', '      Environment: { Variables: { A: x } }\n', '"A" is not a valid environment variable name.'],
    ['more provisioned than reserved', '      AutoPublishAlias: live\n      ReservedConcurrentExecutions: 1\n      ProvisionedConcurrencyConfig: { ProvisionedConcurrentExecutions: 2 }\n', '2 provisioned environments exceed ReservedConcurrentExecutions (1).'],
    ['a bad alias name', '      AutoPublishAlias: "123"\n', '"123" is not a valid alias name.'],
    ['a bad function name', '      FunctionName: has spaces\n', '"has spaces" is not a valid function name.'],
    ['negative reserved concurrency', '      ReservedConcurrentExecutions: -1\n', '-1 is below the minimum of 0.'],
    ['an event without Type', '      Events: { Hello: { Properties: { Path: / } } }\n', 'Event Hello has no Type.'],
  ])('%s', async (_name, props, problem) => {
    const failure = await loadErrors(await project(FUNCTION(props)));
    expect(failure.errors.map((e) => e.message.slice(e.message.indexOf(': ') + 2))).toContain(problem);
  });

  test('a CodeUri zip that is not a zip is refused, naming the file', async () => {
    const dir = await project(FUNCTION('').replace('CodeUri: src', 'CodeUri: code.zip'), []);
    await writeFile(path.join(dir, 'code.zip'), 'PK');
    const failure = await loadErrors(dir);
    expect(failure.message).toContain('CodeUri code.zip cannot be read as a zip:');
  });

  test('a CodeUri that is another kind of file is refused', async () => {
    const dir = await project(FUNCTION('').replace('CodeUri: src', 'CodeUri: code.txt'), []);
    await writeFile(path.join(dir, 'code.txt'), 'hello');
    const failure = await loadErrors(dir);
    expect(failure.message).toContain(`CodeUri code.txt is a file, not a folder (${dir}/code.txt).`);
  });

  test('a real Lambda runtime LambdaDesk cannot run loads with a warning', async () => {
    const { model } = await loadProject(await project(FUNCTION('').replace('nodejs20.x', 'java21').replace('index.handler', 'example.Handler::handleRequest')));
    expect(model.functions[0]?.runtime).toBe('java21');
    expect(model.warnings[0]?.message).toMatch(/^LambdaDesk cannot run java21 yet/);
  });

  test('Globals properties SAM does not allow and unknown sections are errors', async () => {
    const failure = await loadErrors(await project(`Globals:\n  Function:\n    FunctionName: x\n  Functions:\n    Timeout: 3\n${FUNCTION('').split('\n').slice(1).join('\n')}`));
    expect(failure.errors.map((e) => e.message)).toEqual([
      expect.stringMatching(/^template\.yaml:3:5 Globals\.Function\.FunctionName: FunctionName cannot be set in Globals\.Function; SAM allows only: Architectures, /),
      'template.yaml:4:3 Globals.Functions: "Functions" is not a Globals section SAM supports.',
    ]);
  });

  test('two functions with one FunctionName are refused', async () => {
    const template = `Resources:
  One:
    Type: AWS::Serverless::Function
    Properties: { Runtime: nodejs20.x, CodeUri: src, Handler: index.handler, FunctionName: same }
  Two:
    Type: AWS::Serverless::Function
    Properties: { Runtime: nodejs20.x, CodeUri: src, Handler: index.handler, FunctionName: same }
`;
    const failure = await loadErrors(await project(template));
    expect(failure.message).toBe('template.yaml:7:78 Resources.Two.Properties.FunctionName: FunctionName "same" is already used by One.');
  });

  test('layers: a missing ContentUri folder is an error, a layer for another runtime a warning', async () => {
    const template = `Transform: AWS::Serverless-2016-10-31
Resources:
  Broken:
    Type: AWS::Serverless::LayerVersion
    Properties:
      ContentUri: layers/missing
  Python:
    Type: AWS::Serverless::LayerVersion
    Properties:
      ContentUri: layers/python
      CompatibleRuntimes: [python3.12]
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs20.x
      CodeUri: src
      Handler: index.handler
      Layers: [!Ref Broken, !Ref Python]
`;
    const dir = await project(template, ['src', 'layers/python']);
    const failure = await loadErrors(dir);
    expect(failure.errors.map((e) => e.message)).toEqual([
      `template.yaml:6:7 Resources.Broken.Properties.ContentUri: ContentUri layers/missing does not exist (looked for ${dir}/layers/missing).`,
    ]);
    expect(failure.warnings.map((w) => w.message)).toEqual([
      'Layer Python lists CompatibleRuntimes python3.12, which does not include nodejs20.x.',
    ]);

    await mkdir(path.join(dir, 'layers/missing'));
    const { model } = await loadProject(dir);
    expect(model.functions[0]?.layers.map((layer) => layer.logicalId)).toEqual(['Broken', 'Python']);
  });

  test('a function whose FunctionName cannot be known offline is called by its logical id', async () => {
    const { model } = await loadProject(await project(FUNCTION('      FunctionName: !ImportValue SharedName\n')));
    expect(model.functions[0]?.functionName).toBe('Fn');
    expect(model.warnings.map((w) => w.message)).toContain('FunctionName is not known offline (<unresolved !ImportValue SharedName>); the function is called Fn.');
  });

  test('a template without the SAM transform loads with a warning', async () => {
    const { model } = await loadProject(await project(FUNCTION('').replace('Transform: AWS::Serverless-2016-10-31\n', '')));
    expect(model.warnings.map((w) => w.message)).toEqual([expect.stringContaining('does not declare `Transform: AWS::Serverless-2016-10-31`')]);
  });
});

describe('stackNameFromFolder', () => {
  test('makes any folder name a valid stack name', () => {
    expect(stackNameFromFolder('/work/hello')).toBe('hello');
    expect(stackNameFromFolder('/work/my_app 2')).toBe('my-app-2');
    expect(stackNameFromFolder('/work/2024-app')).toBe('stack-2024-app');
    expect(stackNameFromFolder('/')).toBe('lambdadesk');
  });
});
