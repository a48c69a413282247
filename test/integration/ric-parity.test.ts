import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import type { InvokeOutcome } from '../../electron/engine/runtime-api/runtime-api-server.ts';
import { NODE_FIXTURES, OFFICIAL_NODE_CLIENT, officialNodeClientMissing, OUR_NODE_CLIENT, startClient } from '../fixtures/handlers/runtime-client-process.ts';

/**
 * The same handlers under the official aws-lambda-ric 4.x and under LambdaDesk's client give
 * the same responses and the same error bodies. Stack frames are compared only by their first
 * line (`Type: message`): the frames below it name each client's own files. Our client runs as
 * nodejs24.x here, the generation 4.x implements; nodejs22.x behaviour is covered by
 * runtime-clients.test.ts.
 */

const missing = officialNodeClientMissing();
const CJS = join(NODE_FIXTURES, 'cjs');
const ESM = join(NODE_FIXTURES, 'esm');
const ENV = { AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x' };
const WORK = {
  requestId: '8f3c2a1e-0d4b-4c7a-9e6f-123456789abc',
  traceId: 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1',
  clientContext: '{"custom":{"k":"v"},"env":{"locale":"en"}}',
  cognitoIdentity: '{"cognitoIdentityId":"cid","cognitoIdentityPoolId":"pool"}',
  tenantId: 'tenant-a',
};

const scratch = mkdtempSync(join(tmpdir(), 'lambdadesk-ric-parity-'));
const syntaxRoot = join(scratch, 'syntax');
mkdirSync(syntaxRoot, { recursive: true });
writeFileSync(join(syntaxRoot, 'package.json'), '{"type":"commonjs"}\n');
writeFileSync(join(syntaxRoot, 'index.js'), 'exports.handler = async () => {\n  return { broken: true ;\n};\n');
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

interface Observed {
  ready: 'ready' | 'init-error';
  kind: InvokeOutcome['kind'] | 'none';
  errorType?: string;
  contentType?: string;
  payload: unknown;
}

/** What a caller of Invoke would see, with stack frames cut to their first line. */
function comparable(body: Buffer): unknown {
  const text = body.toString();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return text;
  }
  if (parsed && typeof parsed === 'object' && 'errorType' in parsed && 'trace' in parsed) {
    const error = parsed as { errorType: string; errorMessage: string; trace: string[] };
    // Node's require stack names the file that called require(): each client's own loader.
    const withoutRequireStack = (s: string | undefined): string | undefined => s?.replace(/\nRequire stack:\n(- .*\n?)*/g, '');
    return { errorType: error.errorType, errorMessage: withoutRequireStack(error.errorMessage), trace: withoutRequireStack(error.trace[0]) };
  }
  return parsed;
}

async function observe(command: string[], taskRoot: string, handler: string, payload: unknown, env: Record<string, string> = ENV): Promise<Observed> {
  const client = await startClient({ command, taskRoot, handler, env });
  try {
    const ready = await client.ready;
    if (ready.kind === 'init-error') {
      return { ready: 'init-error', kind: 'none', errorType: ready.report.errorType, contentType: ready.report.contentType, payload: comparable(ready.report.payload) };
    }
    const outcome = await client.invoke(payload, WORK, () => undefined);
    if (!('payload' in outcome)) return { ready: 'ready', kind: outcome.kind, payload: undefined };
    return {
      ready: 'ready',
      kind: outcome.kind,
      errorType: outcome.kind === 'error' ? outcome.errorType : undefined,
      contentType: outcome.contentType,
      payload: comparable(outcome.payload),
    };
  } finally {
    await client.stop();
  }
}

const CASES: Array<[string, string, string, unknown?]> = [
  ['CommonJS echo', CJS, 'index.echo', { nested: { list: [1, 'two', null] } }],
  ['ES module echo', ESM, 'index.handler'],
  ['ES module default export', ESM, 'default-export.handler'],
  ['.mjs', CJS, 'module.handler'],
  ['.cjs', CJS, 'handler.handler'],
  ['nested path', CJS, 'src/handlers/app.handler'],
  ['nested export', CJS, 'nested.api.v1.handler'],
  ['top-level await', ESM, 'top-level-await.handler'],
  ['context object', CJS, 'index.context'],
  ['ESM context object', ESM, 'index.context'],
  ['undefined result', CJS, 'index.undefinedResult'],
  ['string result', CJS, 'index.stringResult'],
  ['unicode result', CJS, 'index.unicode'],
  ['thrown Error', CJS, 'index.throwsError'],
  ['custom error class', CJS, 'index.throwsCustom'],
  ['thrown string', CJS, 'index.throwsString'],
  ['sync throw', CJS, 'index.throwsSync'],
  ['unserializable result', CJS, 'index.unserializable'],
  ['missing export', CJS, 'index.nope'],
  ['export that is not a function', CJS, 'not-a-function.handler'],
  ['missing module', CJS, 'missing.handler'],
  ['missing CommonJS dependency', CJS, 'missing-dependency.handler'],
  ['missing ES module package', ESM, 'missing-dependency.handler'],
  ['syntax error', syntaxRoot, 'index.handler'],
  ['exception while loading', CJS, 'throws-at-load.handler'],
  ['exception while loading an ES module', ESM, 'throws-at-load.handler'],
  ['handler without a dot', CJS, 'index'],
  ['relative path in the handler', CJS, '../cjs/index.echo'],
  ['callback handler refused', CJS, 'callbacks.callbackResult'],
  ['streamed chunks', CJS, 'streaming.chunks'],
  ['HTTP integration stream', CJS, 'streaming.http'],
  ['failure in the middle of a stream', CJS, 'streaming.failsMidStream'],
  ['streaming handler context', CJS, 'streaming.callbackStyleStreaming'],
];

describe.skipIf(missing !== undefined)('aws-lambda-ric 4.x and LambdaDesk give the same answers', () => {
  test.each(CASES)('%s', async (_name, root, handler, payload = { n: 1 }) => {
    const official = await observe(OFFICIAL_NODE_CLIENT, root, handler, payload);
    const ours = await observe(OUR_NODE_CLIENT, root, handler, payload);
    expect(ours).toEqual(official);
    // Guard against both sides failing the same uninteresting way.
    expect(official.kind === 'none' ? official.ready : official.kind).not.toBe('aborted');
  });
});

/** Async handlers and load errors behave the same under the nodejs22.x generation too. */
const SHARED_WITH_NODEJS22 = CASES.filter(([name]) =>
  ['CommonJS echo', 'ES module echo', 'nested path', 'nested export', 'context object', 'thrown Error', 'custom error class', 'thrown string', 'missing export', 'missing module', 'syntax error', 'exception while loading', 'streamed chunks', 'failure in the middle of a stream'].includes(name),
);

describe.skipIf(missing !== undefined)('as nodejs22.x, LambdaDesk still answers async handlers as aws-lambda-ric 4.x does', () => {
  test.each(SHARED_WITH_NODEJS22)('%s', async (_name, root, handler, payload = { n: 1 }) => {
    const official = await observe(OFFICIAL_NODE_CLIENT, root, handler, payload);
    const ours = await observe(OUR_NODE_CLIENT, root, handler, payload, { AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x' });
    expect(ours).toEqual(official);
  });
});

test.runIf(missing !== undefined)(`aws-lambda-ric parity skipped: ${missing ?? ''}`, () => {
  expect(missing).toBeDefined();
});
