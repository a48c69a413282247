import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ProjectModel } from '../../contract.ts';
import { readBody, type AwsRequestContext } from '../../http/aws-request.ts';
import { sendAwsError } from '../../http/send-aws-error.ts';
import type { EngineContext, EngineService } from '../../engine-context.ts';
import { InvalidParameterValueError } from '../../errors.ts';
import { evaluateRule } from './iot-sql-eval.ts';
import { readIotRules, type IotRule } from './iot-rules.ts';
import { MqttBroker, type PublishedMessage } from './mqtt-broker.ts';
import { mqttPort } from './mqtt-port.ts';
import { topicMatches } from './topic-filter.ts';

export interface IotRuleInfo {
  id: string;
  ruleName: string;
  functionName: string;
  eventName: string;
  sql: string;
  topicFilter?: string;
  error?: string;
  fix?: string;
}

/** One rule that matched one message: the invocation it queued. */
export interface IotRuleMatch {
  ruleId: string;
  functionName: string;
  topic: string;
  requestId: string;
  payload: string;
}

/**
 * The functions' `IoTRule` events: an MQTT broker on loopback (started when the template has a
 * rule) whose every published message runs through the rules' IoT SQL; each match is an
 * asynchronous invoke of the rule's function, queued (and so on disk) before the broker
 * acknowledges the message.
 */
export class IotService implements EngineService {
  readonly name = 'iot';
  readonly events = new EventEmitter<{ 'iot:matched': [IotRuleMatch] }>();
  private rulesList: IotRule[] = [];
  private broker?: MqttBroker;

  constructor(private readonly ctx: EngineContext) {
    // The IoT data plane's Publish (`aws iot-data publish`, IoTDataPlaneClient): POST /topics/TOPIC.
    ctx.endpoint.register('iotdata', (req, res, request) => this.handleDataPlane(req, res, request));
  }

  async start(): Promise<void> {
    await this.reload(this.ctx.model());
  }

  async stop(): Promise<void> {
    const broker = this.broker;
    this.broker = undefined;
    await broker?.stop();
  }

  async reload(model: ProjectModel): Promise<void> {
    this.rulesList = readIotRules(model);
    if (this.rulesList.length > 0 && !this.broker) {
      const broker = new MqttBroker({ host: this.ctx.apiHost, port: this.ctx.mqttPort ?? mqttPort(), onPublish: (message) => this.route(message).then(() => undefined) });
      await broker.start();
      this.broker = broker;
    }
  }

  rules(): IotRuleInfo[] {
    return this.rulesList.map((r) => ({ id: r.id, ruleName: r.ruleName, functionName: r.functionName, eventName: r.eventName, sql: r.sql, topicFilter: r.query?.topicFilter, error: r.error?.message, fix: r.error?.fix }));
  }

  problems(): Array<{ message: string; fix?: string }> {
    return this.rulesList.flatMap((r) => (r.error ? [{ message: r.error.message, fix: r.error.fix }] : []));
  }

  /** `mqtt://127.0.0.1:1883` while the broker runs. */
  brokerUrl(): string | undefined {
    return this.broker?.port === undefined ? undefined : this.broker.url;
  }

  /**
   * Publishes a message as a device would: the rules see it (matches are queued as invokes),
   * then the broker's subscribers get it. Works without the broker too (no template rules yet).
   */
  async publish(topic: string, payload: string | Buffer, options: { clientId?: string } = {}): Promise<IotRuleMatch[]> {
    if (topic === '' || topic.includes('+') || topic.includes('#')) throw new InvalidParameterValueError(`"${topic}" is not a topic to publish to: it must be non-empty, without + or # wildcards.`);
    const bytes = Buffer.from(payload);
    const matches = await this.route({ topic, payload: bytes, clientId: options.clientId ?? 'lambdadesk' });
    await this.broker?.publish(topic, bytes);
    return matches;
  }

  private async handleDataPlane(req: IncomingMessage, res: ServerResponse, request: AwsRequestContext): Promise<void> {
    const match = /^\/topics\/(.+)$/.exec(request.url.pathname);
    if (req.method !== 'POST' || !match) {
      sendAwsError(res, new InvalidParameterValueError(`LambdaDesk's IoT data plane takes Publish only: POST /topics/TOPIC, not ${req.method} ${request.url.pathname}.`), request.requestId);
      return;
    }
    try {
      const payload = await readBody(req, 128 * 1024, () => new InvalidParameterValueError('The payload exceeds the 128 KB IoT message limit.'));
      await this.publish(decodeURIComponent(match[1]!), payload, { clientId: 'iot-data-plane' });
      res.writeHead(200, { 'content-type': 'application/json', 'x-amzn-requestid': request.requestId });
      res.end('{}');
    } catch (err) {
      sendAwsError(res, err, request.requestId);
    }
  }

  private async route(message: PublishedMessage): Promise<IotRuleMatch[]> {
    const matches: IotRuleMatch[] = [];
    const receivedAt = this.ctx.clock.now();
    for (const rule of this.rulesList) {
      if (!rule.query) continue;
      const result = evaluateRule(rule.query, { ...message, receivedAt }, topicMatches);
      if (result === undefined) continue;
      const requestId = randomUUID();
      const payload = JSON.stringify(result);
      await this.ctx.asyncQueue.enqueue({ requestId, functionName: rule.functionName, payload, trigger: `iot:${rule.ruleName}` });
      const match = { ruleId: rule.id, functionName: rule.functionName, topic: message.topic, requestId, payload };
      matches.push(match);
      this.events.emit('iot:matched', match);
    }
    return matches;
  }
}

export const createIotService = (ctx: EngineContext): IotService => new IotService(ctx);
