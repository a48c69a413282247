import { Agent, request } from 'node:http';
import { PlatformError } from './runtime-errors.mjs';

const API = '/2018-06-01/runtime';
/** Large X-Ray causes are dropped rather than rejected by the platform. */
const MAX_XRAY_CAUSE_BYTES = 64 * 1024;

/** `AWS_LAMBDA_RUNTIME_API` is `host:port`, decimal port without leading zeros, as RIC 4.x checks. */
export function parseRuntimeApiAddress(address) {
  const parts = address.split(':');
  const [hostname, portText] = parts;
  const port = Number(portText);
  const valid = parts.length === 2 && hostname && hostname.trim() && Number.isInteger(port) && port >= 0 && port <= 65535 && String(port) === portText;
  if (!valid) throw new PlatformError(`Invalid hostnamePort: ${address}`);
  return { hostname, port };
}

/** HTTP to the Runtime API over one kept-alive connection, as the official clients use it. */
export class RuntimeApiClient {
  constructor(address) {
    const { hostname, port } = parseRuntimeApiAddress(address);
    this.hostname = hostname;
    this.port = port;
    this.agent = new Agent({ keepAlive: true, maxSockets: 1 });
  }

  /** Long-polls for the next invoke: `{ body: string, headers }` with lower-case header names. */
  next() {
    return new Promise((resolve, reject) => {
      const req = request({ hostname: this.hostname, port: this.port, path: `${API}/invocation/next`, method: 'GET', agent: this.agent }, (res) => {
        const chunks = [];
        res.on('data', (chunk) => chunks.push(chunk));
        res.on('end', () => {
          const body = Buffer.concat(chunks).toString('utf8');
          if (res.statusCode !== 200) reject(new PlatformError(`Failed to get next invocation: ${res.statusCode} ${body}`));
          else resolve({ body, headers: res.headers });
        });
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end();
    });
  }

  postResponse(requestId, bodyText) {
    return this.post(`${API}/invocation/${encodeURIComponent(requestId)}/response`, bodyText, {});
  }

  postError(requestId, errorBody, xrayCause) {
    const headers = {};
    if (xrayCause && Buffer.byteLength(xrayCause) <= MAX_XRAY_CAUSE_BYTES) headers['Lambda-Runtime-Function-XRay-Error-Cause'] = xrayCause;
    return this.post(`${API}/invocation/${encodeURIComponent(requestId)}/error`, JSON.stringify(errorBody), headers);
  }

  postInitError(errorBody) {
    return this.post(`${API}/init/error`, JSON.stringify(errorBody), { 'Lambda-Runtime-Function-Error-Type': errorBody.errorType });
  }

  /** Resolves with the status and body of the platform's answer; a 413 is logged, never thrown. */
  post(path, bodyText, headers) {
    const body = Buffer.from(bodyText, 'utf8');
    return new Promise((resolve, reject) => {
      const req = request(
        { hostname: this.hostname, port: this.port, path, method: 'POST', agent: this.agent, headers: { 'Content-Type': 'application/json', 'Content-Length': body.length, ...headers } },
        (res) => {
          const chunks = [];
          res.on('data', (chunk) => chunks.push(chunk));
          res.on('end', () => resolve({ status: res.statusCode, body: Buffer.concat(chunks).toString('utf8') }));
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  }

  /** A chunked `/response` in streaming mode; the response stream wraps it for the handler. */
  openResponseStream(requestId, contentType) {
    return request({
      hostname: this.hostname,
      port: this.port,
      path: `${API}/invocation/${encodeURIComponent(requestId)}/response`,
      method: 'POST',
      agent: this.agent,
      headers: {
        'Lambda-Runtime-Function-Response-Mode': 'streaming',
        Trailer: ['Lambda-Runtime-Function-Error-Type', 'Lambda-Runtime-Function-Error-Body'],
        'Content-Type': contentType,
        'Transfer-Encoding': 'chunked',
      },
    });
  }
}
