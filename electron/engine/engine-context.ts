import type { EventEmitter } from 'node:events';
import type { Clock } from './clock.ts';
import type { EngineEvent, ProjectModel } from './contract.ts';
import type { AwsEndpoint } from './http/aws-endpoint.ts';
import type { AsyncInvokeQueue } from './invoke/async-invoke-queue.ts';
import type { Invoker } from './invoke/invoker.ts';

/**
 * Delivers a message to an AWS resource by ARN (`arn:aws:sqs:…`, `arn:aws:sns:…`,
 * `arn:aws:events:…`, `arn:aws:lambda:…`): how destinations, dead-letter queues, SNS
 * subscriptions and EventBridge targets reach each other without importing each other.
 */
export type ArnDeliverer = (arn: string, message: string, attributes?: Record<string, string>) => Promise<void>;

export interface ArnTargets {
  /** Registers the deliverer for one ARN service (`sqs`, `sns`, `events`, `lambda`, `s3`). */
  register(service: string, deliver: ArnDeliverer): void;
  /** Throws a clear error when nothing handles that ARN's service. */
  deliver(arn: string, message: string, attributes?: Record<string, string>): Promise<void>;
}

/** What every engine service (triggers, emulated AWS services) is built from. */
export interface EngineContext {
  model(): ProjectModel;
  invoker: Invoker;
  asyncQueue: AsyncInvokeQueue;
  /** The one AWS endpoint (port 3001): `endpoint.register('sqs', handler)`. */
  endpoint: AwsEndpoint;
  arnTargets: ArnTargets;
  clock: Clock;
  /** `<project>/.lambdadesk`: state that must survive a crash goes here, written atomically. */
  stateDir: string;
  region: string;
  accountId: string;
  /** Engine events for the faces (UI, CLI `--json`). */
  events: EventEmitter<{ event: [EngineEvent] }>;
  /** The API Gateway emulation's port (3000 by default, `--api-port`). */
  apiHost: string;
  apiPort: number;
  /** The embedded MQTT broker's port for IoT rules (1883 by default; 0 picks a free one). */
  mqttPort?: number;
}

/** A trigger or emulated service with a lifecycle; `reload` follows template edits. */
export interface EngineService {
  readonly name: string;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** The template changed: pick up new queues, routes, rules… without losing state. */
  reload?(model: ProjectModel): Promise<void>;
  /** Template problems this service found (a bad cron, an unknown queue): shown, never fatal. */
  problems?(): Array<{ message: string; fix?: string }>;
  /** Lines for `serve`'s banner: routes, queues, schedules… */
  summary?(): string[];
}

export type EngineServiceFactory = (ctx: EngineContext) => EngineService;

export function createArnTargets(): ArnTargets {
  const deliverers = new Map<string, ArnDeliverer>();
  return {
    register(service, deliver) {
      deliverers.set(service, deliver);
    },
    async deliver(arn, message, attributes) {
      const service = arn.split(':')[2] ?? '';
      const deliver = deliverers.get(service);
      if (!deliver) throw new Error(`Cannot deliver to ${arn}: LambdaDesk emulates ${[...deliverers.keys()].join(', ') || 'no'} targets.`);
      await deliver(arn, message, attributes);
    },
  };
}
