import { describe, expect, test } from 'vitest';
import { rewriteTemplate } from './rewrite-template.ts';

const none = { codeUris: {}, contentUris: {}, addedEnvironment: {} };

describe('rewriteTemplate', () => {
  test('points CodeUri and ContentUri at the zips and leaves everything else as written', () => {
    const source = `AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
# Shared settings
Globals:
  Function:
    CodeUri: src/ # every function overrides this below
    Timeout: 10

Resources:
  Shared:
    Type: AWS::Serverless::LayerVersion
    Properties:
      ContentUri: layers/shared # the layer's folder
    Metadata:
      BuildMethod: nodejs20.x

  Api: # TypeScript, bundled
    Type: AWS::Serverless::Function
    Metadata:
      BuildMethod: esbuild
      BuildProperties:
        EntryPoints: [app.ts]
      Owner: team-a
    Properties:
      Runtime: nodejs20.x
      Handler: app.handler
      FunctionName: !Sub "\${AWS::StackName}-api-with-a-name-long-enough-that-a-printer-with-a-line-width-would-fold-it"
      Layers:
        - !Ref Shared
      Environment:
        Variables:
          TABLE: !GetAtt Table.Arn
          JOINED: !Join [ "-", [ a, !Ref AWS::Region ] ]

  Table:
    Type: AWS::Serverless::SimpleTable
`;
    const out = rewriteTemplate(source, {
      codeUris: { Api: 'functions/Api.zip' },
      contentUris: { Shared: 'layers/Shared.zip' },
      addedEnvironment: { Api: { NODE_OPTIONS: '--enable-source-maps' } },
    });
    expect(out).toBe(`AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
# Shared settings
Globals:
  Function:
    Timeout: 10

Resources:
  Shared:
    Type: AWS::Serverless::LayerVersion
    Properties:
      ContentUri: layers/Shared.zip # the layer's folder

  Api: # TypeScript, bundled
    Type: AWS::Serverless::Function
    Metadata:
      Owner: team-a
    Properties:
      Runtime: nodejs20.x
      Handler: app.handler
      FunctionName: !Sub "\${AWS::StackName}-api-with-a-name-long-enough-that-a-printer-with-a-line-width-would-fold-it"
      Layers:
        - !Ref Shared
      Environment:
        Variables:
          TABLE: !GetAtt Table.Arn
          JOINED: !Join [ "-", [ a, !Ref AWS::Region ] ]
          NODE_OPTIONS: --enable-source-maps
      CodeUri: functions/Api.zip

  Table:
    Type: AWS::Serverless::SimpleTable
`);
  });

  test('keeps four-space indentation and lists flush with their key', () => {
    const source = `Resources:
    Fn:
        Type: AWS::Serverless::Function
        Properties:
            CodeUri: src
            Layers:
            - arn:aws:lambda:us-east-1:123456789012:layer:x:1
`;
    expect(rewriteTemplate(source, { ...none, codeUris: { Fn: 'functions/Fn.zip' } })).toBe(source.replace('CodeUri: src', 'CodeUri: functions/Fn.zip'));
  });

  test('a function whose CodeUri came from Globals gets its own, and the emptied Globals go', () => {
    const source = `Globals:
  Function:
    CodeUri: src
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
`;
    const out = rewriteTemplate(source, { ...none, codeUris: { Fn: 'functions/Fn.zip' } });
    expect(out).toBe(`Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      CodeUri: functions/Fn.zip
`);
  });

  test('Metadata keeps what is not about building; Properties are created when missing', () => {
    const source = `Resources:
  Fn:
    Type: AWS::Serverless::Function
    Metadata:
      BuildMethod: esbuild # bundled
      BuildProperties:
        Minify: false
  Lib:
    Type: AWS::Serverless::LayerVersion
    Metadata:
      BuildMethod: makefile
      Note: kept
    Properties:
      ContentUri: lib
`;
    const out = rewriteTemplate(source, { codeUris: { Fn: 'functions/Fn.zip' }, contentUris: { Lib: 'layers/Lib.zip' }, addedEnvironment: { Fn: { NODE_OPTIONS: '--enable-source-maps' } } });
    expect(out).toBe(`Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: functions/Fn.zip
      Environment:
        Variables:
          NODE_OPTIONS: --enable-source-maps
  Lib:
    Type: AWS::Serverless::LayerVersion
    Metadata:
      Note: kept
    Properties:
      ContentUri: layers/Lib.zip
`);
  });

  test('a JSON template is rewritten through the printer, keeping its values', () => {
    const source = JSON.stringify({ Resources: { Fn: { Type: 'AWS::Serverless::Function', Properties: { CodeUri: 'src', Handler: 'app.handler' } } } }, null, 2);
    const out = rewriteTemplate(source, { ...none, codeUris: { Fn: 'functions/Fn.zip' } });
    expect(JSON.parse(out)).toEqual({ Resources: { Fn: { Type: 'AWS::Serverless::Function', Properties: { CodeUri: 'functions/Fn.zip', Handler: 'app.handler' } } } });
  });

  test('short-form intrinsics survive the printer fallback too', () => {
    const source = `Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties: { CodeUri: src, Role: !GetAtt Role.Arn, Description: !Sub "\${AWS::StackName} fn" } # flow style
`;
    const out = rewriteTemplate(source, { ...none, codeUris: { Fn: 'functions/Fn.zip' } });
    expect(out).toBe(`Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties: { CodeUri: functions/Fn.zip, Role: !GetAtt Role.Arn, Description: !Sub "\${AWS::StackName} fn" } # flow style
`);
  });
});
