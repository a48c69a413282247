import { describe, expect, test } from 'vitest';
import { IntrinsicResolver, NO_VALUE, cidrSubnets, isPlaceholder } from './intrinsics.ts';
import type { ParameterValue, TemplateResource } from './intrinsics.ts';
import type { StackIdentity } from './local-resources.ts';
import { Problems } from './problems.ts';
import { TemplateDocument } from './template-document.ts';
import { entryOf, literalString, toTemplateNode } from './template-node.ts';
import type { TemplateNode } from './template-node.ts';

const STACK: StackIdentity = { region: 'eu-west-1', accountId: '111122223333', partition: 'aws', stackName: 'shop', urlSuffix: 'amazonaws.com' };

const TEMPLATE = `
Mappings:
  Sizes:
    small: { Memory: 128 }
    large: { Memory: 1024 }
Conditions:
  IsProd: !Equals [!Ref Stage, prod]
  IsNotProd: !Not [!Condition IsProd]
  Both: !And [!Condition IsNotProd, {Condition: InEu}]
  InEu: !Equals [eu-west-1, !Ref 'AWS::Region']
  Unknowable: !Equals [!ImportValue Other, x]
  Loop: !Not [!Condition Loop]
Resources:
  Orders:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: !Sub '\${AWS::StackName}-orders'
  Events:
    Type: AWS::SQS::Queue
    Properties:
      FifoQueue: true
  Pictures:
    Type: AWS::S3::Bucket
  Checkout:
    Type: AWS::Serverless::Function
    Properties:
      FunctionName: checkout
  Unnamed:
    Type: AWS::Serverless::Function
    Properties: {}
  Table:
    Type: AWS::Serverless::SimpleTable
  Later:
    Type: AWS::SNS::Topic
    Condition: IsProd
  Values:
    Type: Custom::Values
    Properties:
      refStage: !Ref Stage
      refList: !Ref Zones
      region: !Ref AWS::Region
      account: !Ref AWS::AccountId
      partition: !Ref AWS::Partition
      stack: !Ref AWS::StackName
      suffix: !Ref AWS::URLSuffix
      subShort: !Sub 'arn:\${AWS::Partition}:s3:::\${Pictures}/\${Stage}'
      subList: !Sub ['\${A}-\${B}', { A: one, B: !Ref Stage }]
      subAttr: !Sub '\${Checkout.Arn}'
      subEscaped: !Sub 'keep \${!Literal} as is'
      longSub: { 'Fn::Sub': '\${AWS::Region}-x' }
      getAttDot: !GetAtt Orders.Arn
      getAttList: !GetAtt [Orders, QueueUrl]
      getAttLong: { 'Fn::GetAtt': [Pictures, Arn] }
      fifoUrl: !Ref Events
      functionRef: !Ref Checkout
      unnamedArn: !GetAtt Unnamed.Arn
      tableRef: !Ref Table
      implicitRole: !GetAtt UnnamedRole.Arn
      implicitApi: !Ref ServerlessRestApi
      ifTrue: !If [IsNotProd, dev-value, prod-value]
      ifNested: !If [Both, !If [IsProd, a, b], c]
      join: !Join [',', [a, !Ref Stage, 3]]
      select: !Select ['1', !Ref Zones]
      split: !Split ['/', 'a/b/c']
      findInMap: !FindInMap [Sizes, large, Memory]
      findDefault: !FindInMap [Sizes, huge, Memory, { DefaultValue: 512 }]
      base64: !Base64 'hi there'
      azs: !GetAZs ''
      cidr: !Cidr ['192.168.0.0/24', 3, 5]
      length: !Length [a, b, c]
      json: !ToJsonString { a: 1 }
      list:
        - keep
        - !Ref AWS::NoValue
        - !If [IsProd, prod-only, !Ref AWS::NoValue]
      dropped: !Ref AWS::NoValue
      importValue: !ImportValue SharedVpc
      missing: !Ref NoSuchThing
      badAttr: !GetAtt Checkout.Nonsense
      notCreated: !Ref Later
      noDefault: !Ref Secret
      subWithMissing: !Sub 'x-\${NoSuchThing}-y'
      selectOutOfRange: !Select [9, [a]]
      unknownFn: { 'Fn::Frobnicate': [1] }
      unknownCondition: !If [NotDeclared, a, b]
      undecidable: !If [Unknowable, a, b]
      loop: !If [Loop, a, b]
`;

function setup(parameters: Record<string, ParameterValue> = {}): { values: Record<string, unknown>; problems: Problems; resolver: IntrinsicResolver } {
  const document = TemplateDocument.parse('/p/template.yaml', TEMPLATE);
  expect(document.syntaxErrors()).toEqual([]);
  const root = toTemplateNode(document);
  const resources = new Map<string, TemplateResource>();
  const section = entryOf(root, 'Resources');
  for (const [logicalId, node] of section?.kind === 'map' ? section.entries : []) {
    if (node.kind !== 'map') continue;
    resources.set(logicalId, {
      logicalId,
      type: literalString(entryOf(node, 'Type')) ?? '',
      node,
      properties: entryOf(node, 'Properties'),
      condition: literalString(entryOf(node, 'Condition')),
    });
  }
  const conditions = entryOf(root, 'Conditions');
  const problems = new Problems();
  const resolver = new IntrinsicResolver(
    {
      stack: STACK,
      parameters: new Map(Object.entries({ Stage: { kind: 'value', value: 'dev' }, Zones: { kind: 'value', value: ['z1', 'z2'] }, ...parameters })),
      mappings: entryOf(root, 'Mappings'),
      conditions: conditions?.kind === 'map' ? conditions.entries : new Map<string, TemplateNode>(),
      resources,
    },
    problems,
  );
  const valuesNode = resources.get('Values')?.properties as TemplateNode;
  const values = resolver.resolve(valuesNode) as Record<string, unknown>;
  return { values, problems, resolver };
}

describe('IntrinsicResolver', () => {
  test('parameters and pseudo parameters', () => {
    const { values } = setup();
    expect(values).toMatchObject({
      refStage: 'dev',
      refList: ['z1', 'z2'],
      region: 'eu-west-1',
      account: '111122223333',
      partition: 'aws',
      stack: 'shop',
      suffix: 'amazonaws.com',
    });
  });

  test('Fn::Sub in its string, list and long forms', () => {
    const { values } = setup();
    expect(values.subShort).toBe('arn:aws:s3:::shop-pictures/dev');
    expect(values.subList).toBe('one-dev');
    expect(values.subAttr).toBe('arn:aws:lambda:eu-west-1:111122223333:function:checkout');
    expect(values.subEscaped).toBe('keep ${Literal} as is');
    expect(values.longSub).toBe('eu-west-1-x');
  });

  test('Ref and GetAtt of local resources give plausible names and ARNs', () => {
    const { values } = setup();
    expect(values.getAttDot).toBe('arn:aws:sqs:eu-west-1:111122223333:shop-orders');
    expect(values.getAttList).toBe('https://sqs.eu-west-1.amazonaws.com/111122223333/shop-orders');
    expect(values.getAttLong).toBe('arn:aws:s3:::shop-pictures');
    expect(values.fifoUrl).toBe('https://sqs.eu-west-1.amazonaws.com/111122223333/shop-Events.fifo');
    expect(values.functionRef).toBe('checkout');
    expect(values.unnamedArn).toBe('arn:aws:lambda:eu-west-1:111122223333:function:Unnamed');
    expect(values.tableRef).toBe('shop-Table');
    expect(values.implicitRole).toBe('arn:aws:iam::111122223333:role/shop-UnnamedRole');
    expect(values.implicitApi).toMatch(/^[a-z0-9]{10}$/);
  });

  test('conditions and Fn::If, with nested conditions and long-form Condition references', () => {
    const { values } = setup();
    expect(values.ifTrue).toBe('dev-value');
    expect(values.ifNested).toBe('b');
    const prod = setup({ Stage: { kind: 'value', value: 'prod' } }).values;
    expect(prod.ifTrue).toBe('prod-value');
    expect(prod.ifNested).toBe('c');
    expect(prod.list).toEqual(['keep', 'prod-only']);
    expect(prod.notCreated).toBe('arn:aws:sns:eu-west-1:111122223333:shop-Later');
  });

  test('list and text functions', () => {
    const { values } = setup();
    expect(values).toMatchObject({
      join: 'a,dev,3',
      select: 'z2',
      split: ['a', 'b', 'c'],
      findInMap: 1024,
      findDefault: 512,
      base64: Buffer.from('hi there').toString('base64'),
      azs: ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'],
      cidr: ['192.168.0.0/27', '192.168.0.32/27', '192.168.0.64/27'],
      length: 3,
      json: '{"a":1}',
    });
  });

  test('AWS::NoValue removes the property or the list item', () => {
    const { values } = setup();
    expect(values.list).toEqual(['keep']);
    expect('dropped' in values).toBe(false);
  });

  test('what cannot be known offline becomes a placeholder and a warning, never a failure', () => {
    const { values, problems } = setup();
    expect(problems.errors).toEqual([]);
    for (const key of ['importValue', 'missing', 'badAttr', 'notCreated', 'noDefault', 'selectOutOfRange', 'unknownFn']) {
      expect(isPlaceholder(values[key]), key).toBe(true);
    }
    expect(values.importValue).toBe('<unresolved !ImportValue SharedVpc>');
    expect(values.subWithMissing).toBe('x-<unresolved NoSuchThing>-y');
    const byField = (field: string): string | undefined => problems.warnings.find((warning) => warning.field === `Resources.Values.Properties.${field}`)?.message;
    expect(byField('importValue')).toContain("reads another stack's export");
    expect(byField('missing')).toContain('"NoSuchThing" is not a parameter or resource of this template');
    expect(byField('badAttr')).toContain('!GetAtt Checkout.Nonsense has no local value');
    expect(byField('notCreated')).toContain('its condition "IsProd" is false');
    expect(byField('noDefault')).toContain('"Secret" is not a parameter or resource of this template');
    expect(problems.warnings.find((warning) => warning.message.includes('Fn::Frobnicate'))?.at.line).toBeGreaterThan(1);
  });

  test('a parameter without a value says how to give it one', () => {
    const { values, problems } = setup({ Secret: { kind: 'unresolved', reason: 'Parameter Secret has no Default and no override.' } });
    expect(values.noDefault).toBe('<unresolved !Ref Secret>');
    expect(problems.warnings.map((warning) => warning.message)).toContain(
      'Parameter Secret has no Default and no override. It is left as "<unresolved !Ref Secret>".',
    );
  });

  test('conditions that cannot be decided are false, with a warning that names them', () => {
    const { values, problems } = setup();
    expect(values.unknownCondition).toBe('b');
    expect(values.undecidable).toBe('b');
    expect(values.loop).toBe('b');
    const messages = problems.warnings.map((warning) => warning.message).join('\n');
    expect(messages).toContain('Condition "NotDeclared" is not defined in Conditions');
    expect(messages).toContain('Condition "Unknowable" cannot be decided offline');
    expect(messages).toContain('Condition "Loop" depends on itself');
  });

  test('NO_VALUE is what a bare !Ref AWS::NoValue resolves to', () => {
    const { resolver } = setup();
    const document = TemplateDocument.parse('/p/t.yaml', 'X: !Ref AWS::NoValue\n');
    const node = entryOf(toTemplateNode(document), 'X') as TemplateNode;
    expect(resolver.resolve(node)).toBe(NO_VALUE);
  });
});

describe('cidrSubnets', () => {
  test('splits an IPv4 block from its start', () => {
    expect(cidrSubnets('10.0.0.0/16', 4, 8)).toEqual(['10.0.0.0/24', '10.0.1.0/24', '10.0.2.0/24', '10.0.3.0/24']);
    expect(cidrSubnets('10.0.5.7/16', 1, 12)).toEqual(['10.0.0.0/20']);
  });

  test('refuses what does not fit', () => {
    expect(cidrSubnets('10.0.0.0/24', 3, 7)).toBeUndefined();
    expect(cidrSubnets('2001:db8::/56', 1, 64)).toBeUndefined();
  });
});
