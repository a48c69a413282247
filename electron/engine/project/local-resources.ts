import { createHash } from 'node:crypto';

/** The stack a template is loaded as: what the pseudo parameters and generated ARNs use. */
export interface StackIdentity {
  region: string;
  accountId: string;
  partition: string;
  stackName: string;
  urlSuffix: string;
}

/** A stack in a region: the partition and URL suffix follow from the region's name. */
export function localStack(identity: { region: string; accountId: string; stackName: string }): StackIdentity {
  const { region, accountId, stackName } = identity;
  const partition = region.startsWith('cn-') ? 'aws-cn' : region.startsWith('us-gov-') ? 'aws-us-gov' : 'aws';
  return { region, accountId, partition, stackName, urlSuffix: partition === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com' };
}

/** What `!Ref` and `!GetAtt` give for one resource. */
export interface ResourceFacts {
  ref: string;
  attributes: Record<string, string>;
}

/** Reads a resource property that names it (`QueueName`, …) if it resolves to a string. */
export type NameProperty = (property: string) => string | undefined;

/**
 * CloudFormation names an unnamed resource `<stack>-<LogicalId>-<random>`; locally the random
 * part is left out so that names stay the same from one load to the next.
 */
export function generatedName(stack: StackIdentity, logicalId: string): string {
  return `${stack.stackName}-${logicalId}`;
}

/** API Gateway ids are ten lowercase characters; derived from the logical id so they are stable. */
export function localApiId(stack: StackIdentity, logicalId: string): string {
  const digest = createHash('sha256').update(`${stack.stackName}/${logicalId}`).digest();
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  return Array.from(digest.subarray(0, 10), (byte) => alphabet[byte % alphabet.length]).join('');
}

function arn(stack: StackIdentity, service: string, resource: string, region = stack.region, account = stack.accountId): string {
  return `arn:${stack.partition}:${service}:${region}:${account}:${resource}`;
}

/**
 * Plausible local values for `!Ref` and `!GetAtt` of the resource types a Lambda project
 * usually wires to its functions. The trigger emulators use the same names, so a queue's ARN in
 * an event source matches the queue they create. Unknown types get a generated physical id and
 * no attributes.
 */
export function resourceFacts(type: string, logicalId: string, nameOf: NameProperty, stack: StackIdentity): ResourceFacts {
  const named = (property: string): string => nameOf(property) ?? generatedName(stack, logicalId);
  switch (type) {
    case 'AWS::Serverless::Function':
    case 'AWS::Lambda::Function': {
      // `sam local` names an unnamed function after its logical id; so does the model.
      const name = nameOf('FunctionName') ?? logicalId;
      return { ref: name, attributes: { Arn: arn(stack, 'lambda', `function:${name}`) } };
    }
    case 'AWS::Serverless::LayerVersion':
    case 'AWS::Lambda::LayerVersion': {
      const name = nameOf('LayerName') ?? logicalId;
      const layerArn = arn(stack, 'lambda', `layer:${name}:1`);
      return { ref: layerArn, attributes: { LayerVersionArn: layerArn } };
    }
    case 'AWS::SQS::Queue': {
      let name = named('QueueName');
      if (nameOf('FifoQueue') === 'true' && !name.endsWith('.fifo')) name += '.fifo';
      const url = `https://sqs.${stack.region}.${stack.urlSuffix}/${stack.accountId}/${name}`;
      return { ref: url, attributes: { Arn: arn(stack, 'sqs', name), QueueName: name, QueueUrl: url } };
    }
    case 'AWS::S3::Bucket': {
      const name = nameOf('BucketName') ?? generatedName(stack, logicalId).toLowerCase();
      return {
        ref: name,
        attributes: {
          Arn: `arn:${stack.partition}:s3:::${name}`,
          DomainName: `${name}.s3.${stack.urlSuffix}`,
          DualStackDomainName: `${name}.s3.dualstack.${stack.region}.${stack.urlSuffix}`,
          RegionalDomainName: `${name}.s3.${stack.region}.${stack.urlSuffix}`,
          WebsiteURL: `http://${name}.s3-website-${stack.region}.${stack.urlSuffix}`,
        },
      };
    }
    case 'AWS::SNS::Topic': {
      const name = named('TopicName');
      const topicArn = arn(stack, 'sns', name);
      return { ref: topicArn, attributes: { TopicArn: topicArn, TopicName: name } };
    }
    case 'AWS::DynamoDB::Table':
    case 'AWS::Serverless::SimpleTable': {
      const name = named('TableName');
      const tableArn = arn(stack, 'dynamodb', `table/${name}`);
      return { ref: name, attributes: { Arn: tableArn, StreamArn: `${tableArn}/stream/1970-01-01T00:00:00.000` } };
    }
    case 'AWS::Kinesis::Stream': {
      const name = named('Name');
      return { ref: name, attributes: { Arn: arn(stack, 'kinesis', `stream/${name}`) } };
    }
    case 'AWS::Events::Rule': {
      const name = named('Name');
      return { ref: name, attributes: { Arn: arn(stack, 'events', `rule/${name}`) } };
    }
    case 'AWS::Events::EventBus': {
      const name = named('Name');
      const busArn = arn(stack, 'events', `event-bus/${name}`);
      return { ref: name, attributes: { Arn: busArn, Name: name } };
    }
    case 'AWS::IAM::Role': {
      const name = named('RoleName');
      return { ref: name, attributes: { Arn: arn(stack, 'iam', `role/${name}`, ''), RoleId: `AROA${localApiId(stack, logicalId).toUpperCase()}` } };
    }
    case 'AWS::Serverless::StateMachine':
    case 'AWS::StepFunctions::StateMachine': {
      const name = named('Name');
      const machineArn = arn(stack, 'states', `stateMachine:${name}`);
      return { ref: machineArn, attributes: { Arn: machineArn, Name: name } };
    }
    case 'AWS::Serverless::Api':
    case 'AWS::ApiGateway::RestApi': {
      const id = localApiId(stack, logicalId);
      return { ref: id, attributes: { RootResourceId: localApiId(stack, `${logicalId}/`) } };
    }
    case 'AWS::Serverless::HttpApi':
    case 'AWS::ApiGatewayV2::Api': {
      const id = localApiId(stack, logicalId);
      return { ref: id, attributes: { ApiId: id, ApiEndpoint: `https://${id}.execute-api.${stack.region}.${stack.urlSuffix}` } };
    }
    case 'AWS::Logs::LogGroup': {
      const name = named('LogGroupName');
      return { ref: name, attributes: { Arn: arn(stack, 'logs', `log-group:${name}:*`) } };
    }
    case 'AWS::SecretsManager::Secret': {
      const name = named('Name');
      const secretArn = arn(stack, 'secretsmanager', `secret:${name}`);
      return { ref: secretArn, attributes: { Id: secretArn } };
    }
    case 'AWS::SSM::Parameter': {
      const name = named('Name');
      return { ref: name, attributes: { Type: nameOf('Type') ?? 'String', Value: nameOf('Value') ?? '' } };
    }
    default:
      return { ref: generatedName(stack, logicalId), attributes: {} };
  }
}

/** Resources SAM creates for you, which templates often reference though they are not written. */
export function implicitResourceType(
  logicalId: string,
  resources: ReadonlyMap<string, { type: string; hasProperty: (name: string) => boolean }>,
): string | undefined {
  if (logicalId === 'ServerlessRestApi') return 'AWS::Serverless::Api';
  if (logicalId === 'ServerlessHttpApi') return 'AWS::Serverless::HttpApi';
  if (logicalId.endsWith('Role')) {
    const owner = resources.get(logicalId.slice(0, -'Role'.length));
    if (owner?.type === 'AWS::Serverless::Function' && !owner.hasProperty('Role')) return 'AWS::IAM::Role';
  }
  return undefined;
}
