import type { Socket } from 'node:net';

/** What a cleartext client speaks: HTTP/1.x, or HTTP/2 with prior knowledge (no Upgrade, no TLS). */
export type WireProtocol = 'http/1.1' | 'h2c';

/** The client connection preface (RFC 9113 §3.4); HTTP/1 has no `PRI` method, so its first bytes never match it. */
const HTTP2_PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', 'latin1');

/** The protocol a connection's first bytes show, or undefined while they are still a prefix of HTTP/2's preface. */
export function protocolOf(head: Buffer): WireProtocol | undefined {
  const compared = Math.min(head.length, HTTP2_PREFACE.length);
  if (!head.subarray(0, compared).equals(HTTP2_PREFACE.subarray(0, compared))) return 'http/1.1';
  return compared === HTTP2_PREFACE.length ? 'h2c' : undefined;
}

/**
 * Reads a new connection until its protocol shows (the preface may come split over several
 * segments), then puts what it read back and leaves the socket paused, so the server it is
 * handed to parses the connection from its first byte. Undefined when the client closed, failed
 * or stayed silent for `idleMs` first; the socket is destroyed then.
 */
export function sniffProtocol(socket: Socket, idleMs: number): Promise<WireProtocol | undefined> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const finish = (protocol: WireProtocol | undefined): void => {
      socket.off('data', onData);
      socket.off('end', onGone);
      socket.off('close', onGone);
      socket.off('error', onGone);
      socket.off('timeout', onIdle);
      socket.setTimeout(0);
      if (protocol) {
        // Paused before the unshift: the bytes wait in the socket's buffer for the next reader.
        socket.pause();
        socket.unshift(Buffer.concat(chunks));
      } else {
        socket.destroy();
      }
      resolve(protocol);
    };
    const onData = (chunk: Buffer): void => {
      chunks.push(chunk);
      const protocol = protocolOf(chunks.length === 1 ? chunk : Buffer.concat(chunks));
      if (protocol) finish(protocol);
    };
    const onGone = (): void => finish(undefined);
    const onIdle = (): void => finish(undefined);
    socket.on('data', onData);
    socket.once('end', onGone);
    socket.once('close', onGone);
    socket.once('error', onGone);
    socket.once('timeout', onIdle);
    socket.setTimeout(idleMs);
  });
}
