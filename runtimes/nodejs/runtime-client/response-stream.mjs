import { formatError, InvalidStreamingOperationError } from './runtime-errors.mjs';

const DEFAULT_CONTENT_TYPE = 'application/octet-stream';
const HTTP_INTEGRATION_CONTENT_TYPE = 'application/vnd.awslambda.http-integration-response';
const failures = new WeakMap();

/**
 * The writable a streaming handler gets: a chunked `/response` in streaming mode. Objects are
 * written as JSON; a failure after the first byte travels as the two error trailers.
 */
export function createResponseStream(client, requestId) {
  const req = client.openResponseStream(requestId, DEFAULT_CONTENT_TYPE);
  let written = false;
  const responseDone = new Promise((resolve, reject) => {
    req.on('response', (res) => {
      const chunks = [];
      res.on('data', (chunk) => chunks.push(chunk));
      res.on('end', () => resolve(Buffer.concat(chunks)));
      res.on('aborted', reject);
    });
    req.on('error', (err) => {
      reject(err);
      req.destroy(err);
    });
  });
  responseDone.catch(() => undefined); // awaited by the invoke; a platform failure must not crash init of the next one

  req.setContentType = (contentType) => {
    if (written) throw new InvalidStreamingOperationError('Cannot set content-type, too late.');
    req.setHeader('Content-Type', contentType);
  };
  const rawWrite = req.write.bind(req);
  const rawEnd = req.end.bind(req);
  const beforeFirstWrite = () => {
    if (!written && typeof req._onBeforeFirstWrite === 'function') req._onBeforeFirstWrite((chunk) => rawWrite(chunk));
    written = true;
  };
  req.write = (chunk, encoding, callback) => {
    const data = typeof chunk === 'string' || chunk instanceof Uint8Array ? chunk : JSON.stringify(chunk);
    beforeFirstWrite();
    return rawWrite(data, encoding, callback);
  };
  req.end = (chunk, encoding, callback) => {
    if (typeof chunk === 'function') return req.end(undefined, undefined, chunk);
    if (typeof encoding === 'function') return req.end(chunk, undefined, encoding);
    if (chunk !== undefined && chunk !== null) req.write(chunk, encoding);
    else beforeFirstWrite(); // an HTTP integration response still needs its prelude
    return rawEnd(callback);
  };
  failures.set(req, async (err) => {
    const error = formatError(err);
    try {
      req.addTrailers({ 'Lambda-Runtime-Function-Error-Type': error.errorType, 'Lambda-Runtime-Function-Error-Body': Buffer.from(JSON.stringify(error)).toString('base64') });
    } catch {
      // Already ended: the platform has the bytes it will get.
    }
    await new Promise((resolve) => (req.writableEnded ? resolve() : rawEnd(resolve)));
  });
  return { responseStream: req, responseDone };
}

export async function failResponseStream(responseStream, err) {
  await failures.get(responseStream)?.(err);
}

/** `awslambda.HttpResponseStream.from(stream, { statusCode, headers })`: JSON prelude, 8 zero bytes, then the body. */
export class HttpResponseStream {
  static from(underlyingStream, prelude) {
    underlyingStream.setContentType(HTTP_INTEGRATION_CONTENT_TYPE);
    const metadata = JSON.stringify(prelude);
    underlyingStream._onBeforeFirstWrite = (write) => {
      write(metadata);
      write(new Uint8Array(8));
    };
    return underlyingStream;
  }
}
