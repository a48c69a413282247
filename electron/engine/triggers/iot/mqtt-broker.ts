import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { Aedes } from 'aedes';

export interface PublishedMessage {
  topic: string;
  payload: Buffer;
  clientId: string;
}

export interface MqttBrokerOptions {
  host: string;
  port: number;
  /**
   * Sees every message a client publishes before the broker acknowledges it (PUBACK for QoS 1),
   * so a message acknowledged is a message the rules have taken (durably).
   */
  onPublish: (message: PublishedMessage) => Promise<void>;
}

/** An MQTT 3.1.1/5 broker (aedes) on loopback: what devices and `mosquitto_pub` publish to. */
export class MqttBroker {
  private aedes?: Aedes;
  private server?: Server;
  private readonly sockets = new Set<Socket>();
  private boundPort?: number;

  constructor(private readonly options: MqttBrokerOptions) {}

  get port(): number | undefined {
    return this.boundPort;
  }

  get url(): string {
    return `mqtt://${this.options.host}:${this.boundPort ?? this.options.port}`;
  }

  async start(): Promise<number> {
    const aedes = new Aedes({
      authorizePublish: (client, packet, callback) => {
        if (packet.topic.startsWith('$SYS')) return callback(null);
        this.options.onPublish({ topic: packet.topic, payload: Buffer.from(packet.payload), clientId: client?.id ?? '' }).then(
          () => callback(null),
          (err: unknown) => callback(err instanceof Error ? err : new Error(String(err))),
        );
      },
    });
    await aedes.listen();
    const server = createServer((socket) => {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
      aedes.handle(socket);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.port, this.options.host, () => {
        server.off('error', reject);
        resolve();
      });
    }).catch(async (err: NodeJS.ErrnoException) => {
      await new Promise<void>((r) => aedes.close(() => r()));
      if (err.code === 'EADDRINUSE') {
        throw new Error(`The MQTT port ${this.options.host}:${this.options.port} is in use (another broker, such as mosquitto, may be running). Stop it, or set LAMBDADESK_MQTT_PORT to a free port (0 picks one).`);
      }
      throw err;
    });
    this.aedes = aedes;
    this.server = server;
    this.boundPort = (server.address() as AddressInfo).port;
    return this.boundPort;
  }

  /** Publishes to the broker's subscribers (the rules already saw the message). */
  publish(topic: string, payload: Buffer, qos: 0 | 1 = 0): Promise<void> {
    const aedes = this.aedes;
    if (!aedes) return Promise.reject(new Error('The MQTT broker is not running.'));
    return new Promise((resolve, reject) => aedes.publish({ cmd: 'publish', topic, payload, qos, retain: false, dup: false }, (err) => (err ? reject(err) : resolve())));
  }

  async stop(): Promise<void> {
    const { aedes, server } = this;
    this.aedes = undefined;
    this.server = undefined;
    for (const socket of this.sockets) socket.destroy();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
    if (aedes) await new Promise<void>((resolve) => aedes.close(() => resolve()));
  }
}
