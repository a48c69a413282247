import type { EngineServiceFactory } from './engine-context.ts';

/**
 * The triggers and emulated AWS services the engine runs, in start order (stopped in reverse).
 * One line per service; each lives in its own folder and talks to others only through the
 * EngineContext (invoker, async queue, AWS endpoint, ARN targets).
 */
export const ENGINE_SERVICES: Array<{ name: string; load: () => Promise<EngineServiceFactory> }> = [
  // e.g. { name: 'sqs', load: () => import('./triggers/sqs/sqs-service.ts').then((m) => m.createSqsService) },
];
