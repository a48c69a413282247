import { JsonServiceError } from '../dynamodb/aws-json-protocol.ts';

/** Kinesis Data Streams' error shapes and messages. */
export const kinesisErrors = {
  streamNotFound: (name: string, accountId: string) =>
    new JsonServiceError('ResourceNotFoundException', `Stream ${name} under account ${accountId} not found.`, 400, `Declare an AWS::Kinesis::Stream named ${name} in template.yaml, or create it with aws kinesis create-stream.`),
  streamExists: (name: string, accountId: string) => new JsonServiceError('ResourceInUseException', `Stream ${name} under account ${accountId} already exists.`),
  shardNotFound: (shardId: string, name: string, accountId: string) => new JsonServiceError('ResourceNotFoundException', `Shard ${shardId} in stream ${name} under account ${accountId} does not exist`),
  invalidArgument: (message: string, fix?: string) => new JsonServiceError('InvalidArgumentException', message, 400, fix),
  validation: (message: string) => new JsonServiceError('ValidationException', message),
  expiredIterator: () => new JsonServiceError('ExpiredIteratorException', 'Iterator expired. The iterator was created over 5 minutes ago.'),
};
