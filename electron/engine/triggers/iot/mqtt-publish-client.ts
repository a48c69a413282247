import { connect, type Socket } from 'node:net';

/**
 * Publishes one message the way a device does (MQTT 3.1.1: CONNECT, PUBLISH, DISCONNECT),
 * for `lambdadesk iot publish`. With QoS 1 it resolves only after the broker's PUBACK, which
 * LambdaDesk sends once the matching rules' invocations are queued on disk.
 */
export async function mqttPublish(options: { host: string; port: number; topic: string; payload: Buffer; qos: 0 | 1; clientId: string; timeoutMs?: number }): Promise<void> {
  const socket = await new Promise<Socket>((resolve, reject) => {
    const s = connect(options.port, options.host, () => resolve(s));
    s.once('error', reject);
  });
  const reader = packetReader(socket, options.timeoutMs ?? 10_000);
  try {
    socket.write(packet(0x10, Buffer.concat([text('MQTT'), Buffer.from([4, 0x02, 0, 60]), text(options.clientId)])));
    const connack = await reader.next();
    if (connack.type !== 0x20 || connack.body[1] !== 0) throw new Error(`The broker refused the connection (CONNACK return code ${connack.body[1] ?? '?'}).`);
    const id = 1;
    const header = options.qos === 1 ? Buffer.concat([text(options.topic), Buffer.from([id >> 8, id & 0xff])]) : text(options.topic);
    socket.write(packet(0x30 | (options.qos << 1), Buffer.concat([header, options.payload])));
    if (options.qos === 1) {
      const ack = await reader.next();
      if (ack.type !== 0x40) throw new Error(`Expected PUBACK from the broker, got packet type ${ack.type >> 4}.`);
    }
    socket.write(Buffer.from([0xe0, 0]));
    await new Promise<void>((resolve) => socket.end(resolve));
  } finally {
    reader.close();
    socket.destroy();
  }
}

function text(value: string): Buffer {
  const bytes = Buffer.from(value, 'utf8');
  return Buffer.concat([Buffer.from([bytes.length >> 8, bytes.length & 0xff]), bytes]);
}

function packet(firstByte: number, body: Buffer): Buffer {
  const length: number[] = [];
  let n = body.length;
  do {
    let byte = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) byte |= 0x80;
    length.push(byte);
  } while (n > 0);
  return Buffer.concat([Buffer.from([firstByte, ...length]), body]);
}

/** Splits the socket's bytes into MQTT packets. */
function packetReader(socket: Socket, timeoutMs: number) {
  let buffer = Buffer.alloc(0);
  const waiting: Array<{ resolve: (p: { type: number; body: Buffer }) => void; reject: (e: Error) => void }> = [];
  let failure: Error | undefined;
  const fail = (err: Error) => {
    failure = err;
    for (const w of waiting.splice(0)) w.reject(err);
  };
  const pump = () => {
    while (waiting.length > 0) {
      let length = 0;
      let multiplier = 1;
      let i = 1;
      for (; i < buffer.length && i < 5; i++) {
        length += (buffer[i]! & 0x7f) * multiplier;
        multiplier *= 128;
        if ((buffer[i]! & 0x80) === 0) break;
      }
      if (i >= buffer.length || buffer.length < i + 1 + length) return;
      const type = buffer[0]! & 0xf0;
      const body = buffer.subarray(i + 1, i + 1 + length);
      buffer = buffer.subarray(i + 1 + length);
      waiting.shift()!.resolve({ type, body });
    }
  };
  socket.on('data', (chunk: Buffer) => {
    buffer = Buffer.concat([buffer, chunk]);
    pump();
  });
  socket.on('error', fail);
  socket.on('close', () => fail(new Error('The broker closed the connection.')));
  const timer = setTimeout(() => fail(new Error(`No answer from the MQTT broker within ${timeoutMs} ms.`)), timeoutMs);
  return {
    next(): Promise<{ type: number; body: Buffer }> {
      if (failure) return Promise.reject(failure);
      return new Promise((resolve, reject) => {
        waiting.push({ resolve, reject });
        pump();
      });
    },
    close() {
      clearTimeout(timer);
    },
  };
}
