import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { TemplateDocument } from './template-document.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const fixture = (relative: string): string => path.join(repoRoot, relative);

/** Formatting the `yaml` printer would change: odd spacing, flow style, comments in odd places. */
const QUIRKY = `AWSTemplateFormatVersion:   '2010-09-09'   # spaced out
Transform: AWS::Serverless-2016-10-31
Resources:
  Hello:    # the greeting function
    Type: AWS::Serverless::Function
    Properties:
      FunctionName: !Sub "\${AWS::StackName}-hello"
      Runtime:   nodejs20.x
      Layers: [ !Ref Shared,   arn:aws:lambda:us-east-1:123456789012:layer:x:1 ]
      Role: !GetAtt HelloRole.Arn
      Environment: { Variables: { A: 1,   B: !If [IsProd, x, !Ref "AWS::NoValue"] } }


      Handler: index.handler
`;

describe('TemplateDocument', () => {
  test.each([
    'examples/hello/template.yaml',
    'test/fixtures/projects/intrinsics/template.yaml',
    'test/fixtures/projects/json-template/template.json',
    'test/fixtures/projects/defaults/template.yaml',
  ])('%s round-trips byte for byte', async (relative) => {
    const source = readFileSync(fixture(relative), 'utf8');
    const template = await TemplateDocument.read(fixture(relative));
    expect(template.syntaxErrors()).toEqual([]);
    expect(template.isModified()).toBe(false);
    expect(template.toString()).toBe(source);
  });

  test('an untouched file comes back as written, although the printer alone would reformat it', () => {
    const template = TemplateDocument.parse('/p/template.yaml', QUIRKY);
    expect(template.document.toString()).not.toBe(QUIRKY);
    expect(template.toString()).toBe(QUIRKY);
  });

  test('an edit keeps comments, key order and short tags', () => {
    const template = TemplateDocument.parse('/p/template.yaml', QUIRKY);
    template.document.setIn(['Resources', 'Hello', 'Properties', 'MemorySize'], 256);
    const text = template.toString();
    expect(template.isModified()).toBe(true);
    expect(text).toContain('MemorySize: 256');
    expect(text).toContain('# the greeting function');
    expect(text).toContain('# spaced out');
    expect(text).toContain('!Sub "${AWS::StackName}-hello"');
    expect(text).toContain('!GetAtt HelloRole.Arn');
    expect(text).toContain('!Ref Shared');
    expect(text.indexOf('FunctionName')).toBeLessThan(text.indexOf('Handler'));
  });

  test('locate points at the key of a property, following short tags', () => {
    const template = TemplateDocument.parse('/p/template.yaml', QUIRKY);
    expect(template.locate(['Resources', 'Hello', 'Properties', 'Runtime'])).toEqual({ file: 'template.yaml', line: 8, column: 7 });
    expect(template.locate(['Resources', 'Hello', 'Properties', 'Layers', 1])).toEqual({ file: 'template.yaml', line: 9, column: 32 });
    // The long name of a short tag is part of the path but not a key in the file.
    expect(template.locate(['Resources', 'Hello', 'Properties', 'Environment', 'Variables', 'B', 'Fn::If', 2])).toEqual({
      file: 'template.yaml',
      line: 11,
      column: 62,
    });
  });

  test('a missing property is located at its nearest written parent', () => {
    const template = TemplateDocument.parse('/p/template.yaml', QUIRKY);
    const found = template.find(['Resources', 'Hello', 'Properties', 'MemorySize']);
    expect(found.found).toEqual(['Resources', 'Hello', 'Properties']);
    expect(template.locate(['Resources', 'Hello', 'Properties', 'MemorySize'])).toEqual({ file: 'template.yaml', line: 6, column: 5 });
  });

  test('YAML syntax errors carry the line and column of the offending text', () => {
    const template = TemplateDocument.parse('/p/template.yaml', 'Resources:\n  Hello:\n    Type: x\n   Properties: {}\n');
    const [error, ...rest] = template.syntaxErrors();
    expect(rest).toEqual([]);
    expect(error?.at).toMatchObject({ file: 'template.yaml', line: 4, column: 4, field: 'YAML' });
    expect(error?.message).toMatch(/^template\.yaml:4:4 YAML: /);
    expect(error?.fix).toContain('indentation');
  });

  test('duplicate keys are syntax errors, as CloudFormation treats them', () => {
    const template = TemplateDocument.parse('/p/template.yaml', 'Resources:\n  A: {Type: x}\n  A: {Type: y}\n');
    expect(template.syntaxErrors().map((error) => error.at.line)).toEqual([3]);
  });
});
