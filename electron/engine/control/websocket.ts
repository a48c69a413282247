import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';

/**
 * The little of RFC 6455 the control API needs: accept an upgrade, send text frames, answer
 * pings and closes. Clients only listen, so incoming data frames are read and dropped.
 */
const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
const MAX_CLIENT_FRAME_BYTES = 64 * 1024;

export function acceptKey(key: string): string {
  return createHash('sha1').update(key + GUID).digest('base64');
}

/** Encodes one unmasked server frame (FIN set). */
export function encodeFrame(opcode: number, payload: Buffer): Buffer {
  const length = payload.length;
  let header: Buffer;
  if (length < 126) {
    header = Buffer.from([0x80 | opcode, length]);
  } else if (length < 65_536) {
    header = Buffer.alloc(4);
    header[0] = 0x80 | opcode;
    header[1] = 126;
    header.writeUInt16BE(length, 2);
  } else {
    header = Buffer.alloc(10);
    header[0] = 0x80 | opcode;
    header[1] = 127;
    header.writeBigUInt64BE(BigInt(length), 2);
  }
  return Buffer.concat([header, payload]);
}

export interface Frame {
  fin: boolean;
  opcode: number;
  payload: Buffer;
}

/** Decodes the client frames at the start of BUFFER; returns them and the bytes left over. */
export function decodeFrames(buffer: Buffer): { frames: Frame[]; rest: Buffer; error?: string } {
  const frames: Frame[] = [];
  let offset = 0;
  for (;;) {
    if (buffer.length - offset < 2) break;
    const first = buffer[offset]!;
    const second = buffer[offset + 1]!;
    const masked = (second & 0x80) !== 0;
    if (!masked) return { frames, rest: Buffer.alloc(0), error: 'client frames must be masked' };
    let length = second & 0x7f;
    let cursor = offset + 2;
    if (length === 126) {
      if (buffer.length - cursor < 2) break;
      length = buffer.readUInt16BE(cursor);
      cursor += 2;
    } else if (length === 127) {
      if (buffer.length - cursor < 8) break;
      const big = buffer.readBigUInt64BE(cursor);
      if (big > BigInt(MAX_CLIENT_FRAME_BYTES)) return { frames, rest: Buffer.alloc(0), error: 'frame too large' };
      length = Number(big);
      cursor += 8;
    }
    if (length > MAX_CLIENT_FRAME_BYTES) return { frames, rest: Buffer.alloc(0), error: 'frame too large' };
    if (buffer.length - cursor < 4 + length) break;
    const mask = buffer.subarray(cursor, cursor + 4);
    cursor += 4;
    const payload = Buffer.alloc(length);
    for (let i = 0; i < length; i++) payload[i] = buffer[cursor + i]! ^ mask[i % 4]!;
    frames.push({ fin: (first & 0x80) !== 0, opcode: first & 0x0f, payload });
    offset = cursor + length;
  }
  return { frames, rest: buffer.subarray(offset) };
}

/** One accepted WebSocket connection that the server writes text messages to. */
export class WebSocketConnection {
  private pending: Buffer = Buffer.alloc(0);
  private open = true;
  onClose?: () => void;

  constructor(private readonly socket: Duplex) {
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    socket.on('close', () => this.closed());
    socket.on('error', () => this.closed());
  }

  get isOpen(): boolean {
    return this.open;
  }

  send(text: string): void {
    if (this.open) this.socket.write(encodeFrame(0x1, Buffer.from(text, 'utf8')));
  }

  close(code = 1000): void {
    if (!this.open) return;
    const body = Buffer.alloc(2);
    body.writeUInt16BE(code, 0);
    this.socket.end(encodeFrame(0x8, body));
    this.closed();
  }

  private receive(chunk: Buffer): void {
    const { frames, rest, error } = decodeFrames(Buffer.concat([this.pending, chunk]));
    this.pending = rest;
    if (error) return this.close(1002);
    for (const frame of frames) {
      if (frame.opcode === 0x8) return this.close(1000);
      if (frame.opcode === 0x9) this.socket.write(encodeFrame(0xa, frame.payload));
    }
  }

  private closed(): void {
    if (!this.open) return;
    this.open = false;
    this.socket.destroy();
    this.onClose?.();
  }
}

/** Completes the opening handshake, or answers 400 and returns undefined. */
export function acceptUpgrade(req: IncomingMessage, socket: Duplex): WebSocketConnection | undefined {
  const key = req.headers['sec-websocket-key'];
  const upgrade = req.headers.upgrade;
  if (typeof key !== 'string' || typeof upgrade !== 'string' || upgrade.toLowerCase() !== 'websocket' || req.headers['sec-websocket-version'] !== '13') {
    socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    return undefined;
  }
  socket.write(['HTTP/1.1 101 Switching Protocols', 'Upgrade: websocket', 'Connection: Upgrade', `Sec-WebSocket-Accept: ${acceptKey(key)}`, '', ''].join('\r\n'));
  return new WebSocketConnection(socket);
}
