import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { PathError } from './plain-edits.ts';
import type { PathSegment } from './template-document.ts';
import { YamlTextEdit } from './yaml-cst-edit.ts';

const lines = (...text: string[]): string => `${text.join('\n')}\n`;

const BASE = lines(
  '# A template with comments',
  'Resources:',
  '  # The function',
  '  Fn:',
  '    Type: AWS::Serverless::Function # trailing',
  '    Properties:',
  '      MemorySize: 128 # MB',
  "      Layers: [a, 'b']",
  '      Environment:',
  '        Variables:',
  '          A: !Ref X   # keep me',
  '',
  '  Queue:',
  '    Type: AWS::SQS::Queue',
  '',
  'Outputs:',
  '  Arn:',
  '    Value: !GetAtt Fn.Arn',
);

function edit(text: string, change: (editor: YamlTextEdit) => void): string {
  const editor = new YamlTextEdit(text);
  change(editor);
  return editor.text;
}

describe('setting values', () => {
  test('a scalar is replaced in place and its comment stays', () => {
    expect(edit(BASE, (e) => e.set(['Resources', 'Fn', 'Properties', 'MemorySize'], 512))).toBe(BASE.replace('MemorySize: 128 # MB', 'MemorySize: 512 # MB'));
  });

  test('an intrinsic is written as a short tag when the file uses them', () => {
    const out = edit(BASE, (e) => e.set(['Resources', 'Fn', 'Properties', 'Environment', 'Variables', 'B'], { 'Fn::GetAtt': ['Queue', 'Arn'] }));
    expect(out).toBe(BASE.replace('          A: !Ref X   # keep me\n', '          A: !Ref X   # keep me\n          B: !GetAtt Queue.Arn\n'));
  });

  test('an intrinsic is written in the long form when the file uses only that', () => {
    const text = lines('Resources:', '  Fn:', '    Type: AWS::Serverless::Function', '    Properties:', '      Role:', "        Fn::GetAtt: [R, Arn]");
    const out = edit(text, (e) => e.set(['Resources', 'Fn', 'Properties', 'Environment'], { Variables: { Q: { Ref: 'Queue' } } }));
    expect(out).toBe(`${text}      Environment:\n        Variables:\n          Q:\n            Ref: Queue\n`);
  });

  test('missing mappings are created under the nearest existing one', () => {
    const out = edit(BASE, (e) => e.set(['Resources', 'Fn', 'Properties', 'Events', 'Q', 'Type'], 'SQS'));
    expect(out).toBe(BASE.replace("          A: !Ref X   # keep me\n", "          A: !Ref X   # keep me\n      Events:\n        Q:\n          Type: SQS\n"));
  });

  test('a new resource follows the blank-line spacing between resources', () => {
    const out = edit(BASE, (e) => e.set(['Resources', 'Bucket1'], { Type: 'AWS::S3::Bucket' }));
    expect(out).toBe(BASE.replace('    Type: AWS::SQS::Queue\n', '    Type: AWS::SQS::Queue\n\n  Bucket1:\n    Type: AWS::S3::Bucket\n'));
  });

  test('a new top-level section goes where AWS documents it, after the file header comment', () => {
    const out = edit(BASE, (e) => e.set(['Globals', 'Function', 'Timeout'], 10));
    expect(out).toBe(BASE.replace('# A template with comments\n', '# A template with comments\nGlobals:\n  Function:\n    Timeout: 10\n\n'));
  });

  test('a flow sequence stays a flow sequence and keeps its other items', () => {
    const out = edit(BASE, (e) => e.append(['Resources', 'Fn', 'Properties', 'Layers'], { Ref: 'Shared' }));
    expect(out).toBe(BASE.replace("Layers: [a, 'b']", "Layers: [a, 'b', !Ref Shared]"));
  });

  test('an empty flow collection becomes a block one', () => {
    const text = lines('Resources:', '  Fn:', '    Type: AWS::Serverless::Function', '    Properties:', '      Layers: [] # none yet', '      Timeout: 3');
    const out = edit(text, (e) => e.append(['Resources', 'Fn', 'Properties', 'Layers'], 'arn:aws:lambda:us-east-1:123456789012:layer:x:1'));
    expect(out).toBe(text.replace('      Layers: [] # none yet\n', '      Layers: # none yet\n        - arn:aws:lambda:us-east-1:123456789012:layer:x:1\n'));
  });

  test('a block sequence gets the item at its own indentation', () => {
    const text = lines('Resources:', '  Fn:', '    Properties:', '      Policies:', '      - AWSLambdaBasicExecutionRole', '      Timeout: 3');
    const out = edit(text, (e) => e.append(['Resources', 'Fn', 'Properties', 'Policies'], { SQSPollerPolicy: { QueueName: 'q' } }));
    expect(out).toBe(text.replace('      - AWSLambdaBasicExecutionRole\n', '      - AWSLambdaBasicExecutionRole\n      - SQSPollerPolicy:\n          QueueName: q\n'));
  });

  test('four-space files get four-space lines', () => {
    const text = lines('Resources:', '    Fn:', '        Type: AWS::Serverless::Function', '        Properties:', '            Handler: index.handler');
    const out = edit(text, (e) => e.set(['Resources', 'Fn', 'Properties', 'Environment'], { Variables: { A: 'b' } }));
    expect(out).toBe(`${text}            Environment:\n                Variables:\n                    A: b\n`);
  });

  test('strings that YAML 1.1 readers would take for something else are quoted in the file’s quote style', () => {
    const out = edit(BASE, (e) => {
      e.set(['Resources', 'Fn', 'Properties', 'Environment', 'Variables', 'FLAG'], 'yes');
      e.set(['Resources', 'Fn', 'Properties', 'Environment', 'Variables', 'MODE'], '0755');
    });
    expect(out).toContain("          FLAG: 'yes'\n          MODE: '0755'\n");
  });

  test('a block value replaced by a scalar collapses to one line, keeping the key comment', () => {
    const text = lines('Resources:', '  Fn:', '    Properties:', '      Environment: # per stage', '        Variables:', '          A: b', '      Timeout: 3');
    const out = edit(text, (e) => e.set(['Resources', 'Fn', 'Properties', 'Environment'], { Ref: 'AWS::NoValue' }));
    expect(out).toBe(lines('Resources:', '  Fn:', '    Properties:', '      Environment: !Ref AWS::NoValue # per stage', '      Timeout: 3'));
  });

  test('an empty value gets its first entry', () => {
    const text = lines('Resources:', '  Fn:', '    Properties:', '      Events:', '      Timeout: 3');
    const out = edit(text, (e) => e.set(['Resources', 'Fn', 'Properties', 'Events', 'Tick'], { Type: 'Schedule', Properties: { Schedule: 'rate(1 minute)' } }));
    expect(out).toBe(lines('Resources:', '  Fn:', '    Properties:', '      Events:', '        Tick:', '          Type: Schedule', '          Properties:', '            Schedule: rate(1 minute)', '      Timeout: 3'));
  });

  test('a file without a final newline keeps having none', () => {
    const text = 'Resources:\n  Q:\n    Type: AWS::SQS::Queue';
    expect(edit(text, (e) => e.set(['Resources', 'T'], { Type: 'AWS::SNS::Topic' }))).toBe(`${text}\n  T:\n    Type: AWS::SNS::Topic`);
  });
});

describe('removing', () => {
  test('a resource goes with its comment and one of the blank lines around it', () => {
    const out = edit(BASE, (e) => e.remove(['Resources', 'Fn']));
    expect(out).toBe(lines('# A template with comments', 'Resources:', '  Queue:', '    Type: AWS::SQS::Queue', '', 'Outputs:', '  Arn:', '    Value: !GetAtt Fn.Arn'));
  });

  test('a mapping left empty goes too', () => {
    const out = edit(BASE, (e) => e.remove(['Resources', 'Fn', 'Properties', 'Environment', 'Variables', 'A']));
    expect(out).toBe(BASE.replace('      Environment:\n        Variables:\n          A: !Ref X   # keep me\n', ''));
  });

  test('a flow item is removed inside the flow collection', () => {
    expect(edit(BASE, (e) => e.remove(['Resources', 'Fn', 'Properties', 'Layers', 0]))).toBe(BASE.replace("Layers: [a, 'b']", "Layers: ['b']"));
  });

  test('a block item is removed with its lines', () => {
    const text = lines('Policies:', '  - A', '  # B is for reports', '  - B:', '      x: 1', '  - C');
    expect(edit(text, (e) => e.remove(['Policies', 1]))).toBe(lines('Policies:', '  - A', '  - C'));
  });

  test('the first key of a mapping in a list hands its dash to the next key', () => {
    const text = lines('Items:', '  - Name: a', '    Value: b');
    expect(edit(text, (e) => e.remove(['Items', 0, 'Name']))).toBe(lines('Items:', '  - Value: b'));
  });

  test('a path that is not there is refused', () => {
    expect(() => edit(BASE, (e) => e.remove(['Resources', 'Nope']))).toThrow(PathError);
  });
});

describe('refusals', () => {
  test('it does not edit through an alias', () => {
    const text = lines('Shared: &env', '  A: b', 'Resources:', '  Fn:', '    Env: *env');
    expect(() => edit(text, (e) => e.set(['Resources', 'Fn', 'Env', 'C'], 'd'))).toThrow(/alias/);
  });

  test('it does not set a key inside a scalar', () => {
    expect(() => edit(BASE, (e) => e.set(['Resources', 'Fn', 'Type', 'X'], 1))).toThrow(PathError);
  });

  test('every edit reads back as exactly the intended template', () => {
    const editor = new YamlTextEdit(BASE);
    editor.set(['Resources', 'Fn', 'Properties', 'Events', 'Q'], { Type: 'SQS', Properties: { Queue: { 'Fn::GetAtt': ['Queue', 'Arn'] }, BatchSize: 10 } });
    expect(editor.plain()).toMatchObject({
      Resources: { Fn: { Properties: { Events: { Q: { Type: 'SQS', Properties: { Queue: { 'Fn::GetAtt': ['Queue', 'Arn'] }, BatchSize: 10 } } } } } },
    });
  });
});

describe('every entry of a real template', () => {
  const fixture = readFileSync(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../test/fixtures/projects/editing/commented/template.yaml'), 'utf8');
  const paths: PathSegment[][] = [];
  const collect = (value: unknown, at: PathSegment[]): void => {
    // One function, the Globals and the flow mappings cover every shape the file has.
    if (at.length > 0 && ['OrdersApi', 'Globals', 'Mappings', 'Conditions'].includes(String(at[0] === 'Resources' ? at[1] : at[0]))) paths.push(at);
    if (Array.isArray(value)) value.forEach((item, index) => collect(item, [...at, index]));
    else if (value !== null && typeof value === 'object') for (const [key, child] of Object.entries(value)) collect(child, [...at, key]);
  };
  collect(new YamlTextEdit(fixture).plain(), []);

  test('can be replaced by a block or removed, and always reads back as intended', () => {
    let made = 0;
    for (const at of paths) {
      for (const change of [(e: YamlTextEdit) => e.set(at, { A: 1, B: [{ Ref: 'X' }] }), (e: YamlTextEdit) => e.remove(at)]) {
        try {
          edit(fixture, change);
          made += 1;
        } catch (err) {
          // Parts of a dotted `!GetAtt A.B` are not entries of their own; anything else is a bug.
          if (!(err instanceof PathError && at.includes('Fn::GetAtt'))) throw err;
        }
      }
    }
    expect(made).toBeGreaterThan(80);
  }, 60_000); // a few hundred parses: CPU-bound, slow on a busy machine
});
