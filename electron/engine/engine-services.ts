import type { EngineServiceFactory } from './engine-context.ts';

/**
 * The triggers and emulated AWS services the engine runs, in start order (stopped in reverse).
 * One line per service; each lives in its own folder and talks to others only through the
 * EngineContext (invoker, async queue, AWS endpoint, ARN targets).
 */
export const ENGINE_SERVICES: Array<{ name: string; load: () => Promise<EngineServiceFactory> }> = [
  // e.g. { name: 'sqs', load: () => import('./triggers/sqs/sqs-service.ts').then((m) => m.createSqsService) },
  { name: 'http', load: () => import('./triggers/http/http-service.ts').then((m) => m.createHttpService) },
  { name: 'sqs', load: () => import('./triggers/sqs/sqs-service.ts').then((m) => m.createSqsService) },
  { name: 's3', load: () => import('./triggers/s3/s3-service.ts').then((m) => m.createS3Service) },
  { name: 'async-destinations', load: () => import('./triggers/async-destinations/async-destinations-service.ts').then((m) => m.createAsyncDestinationsService) },
  { name: 'schedule', load: () => import('./triggers/schedule/schedule-service.ts').then((m) => m.createScheduleService) },
  { name: 'sns', load: () => import('./triggers/sns/sns-service.ts').then((m) => m.createSnsService) },
  { name: 'eventbridge', load: () => import('./triggers/eventbridge/eventbridge-service.ts').then((m) => m.createEventBridgeService) },
  { name: 'dynamodb', load: () => import('./triggers/dynamodb/dynamodb-service.ts').then((m) => m.createDynamoDbService) },
  { name: 'kinesis', load: () => import('./triggers/kinesis/kinesis-service.ts').then((m) => m.createKinesisService) },
  { name: 'iot', load: () => import('./triggers/iot/iot-service.ts').then((m) => m.createIotService) },
];
