import { setImmediate as nextTick } from 'node:timers/promises';
import { inspect } from 'node:util';
import { beforeExit } from './before-exit.mjs';
import { buildCallbackContext } from './callback-context.mjs';
import { enterInvoke } from './invoke-store.mjs';
import { attachInvokeData, forwardTraceId, readInvoke } from './invoke-context.mjs';
import { createResponseStream, failResponseStream } from './response-stream.mjs';
import { formatError, formatXRayCause, JSONStringifyError, NodeJsExitError } from './runtime-errors.mjs';

const isPromise = (value) => Boolean(value) && typeof value.then === 'function';

/**
 * The invoke loop: poll `/next`, run the handler, post its result or error, poll again.
 * `legacy` selects the Node.js ≤ 22 behaviour (callbacks, empty-event-loop waits); otherwise
 * the handler's promise is awaited as aws-lambda-ric 4.x does.
 */
export class Runtime {
  constructor({ client, handler, metadata, store, logger, legacy }) {
    Object.assign(this, { client, handler, metadata, store, logger, legacy });
    this.lastRequestId = undefined;
  }

  start() {
    if (this.legacy) process.on('beforeExit', () => beforeExit.invoke());
    this.scheduleNext();
  }

  scheduleNext() {
    setImmediate(() => {
      const once = this.metadata.streaming ? this.handleStreaming() : this.legacy ? this.handleWithCallbacks() : this.handleAwaited();
      once.catch((err) => this.die(err));
    });
  }

  /** The Runtime API went away or sent an invoke no runtime can answer: exit, as RIC does. */
  die(err) {
    process.stderr.write(`${inspect(err)}\n`);
    process.exit(1);
  }

  async nextInvoke() {
    const invoke = readInvoke(await this.client.next());
    this.lastRequestId = invoke.requestId;
    enterInvoke(this.store, invoke);
    forwardTraceId(invoke);
    return invoke;
  }

  serialize(result) {
    try {
      return JSON.stringify(result === undefined ? null : result);
    } catch {
      throw this.legacy ? new Error('Unable to stringify response body') : new JSONStringifyError('Unable to stringify response body');
    }
  }

  postError(requestId, err) {
    return this.client.postError(requestId, formatError(err), formatXRayCause(err));
  }

  /** Posting is the last step of an invoke; only then is the next one polled. */
  thenNext(posting) {
    posting.then(
      () => this.scheduleNext(),
      (err) => this.die(err),
    );
  }

  async handleWithCallbacks() {
    const invoke = await this.nextInvoke();
    const { requestId } = invoke;
    const postResult = (result) => this.thenNext(this.client.postResponse(requestId, this.serialize(result)));
    const postError = (err) => {
      this.logger.logError('Invoke Error', err);
      this.thenNext(this.postError(requestId, err));
    };
    const { callback, context, markCompleted } = buildCallbackContext({ postResult, postError });
    // The loop ran dry without an answer: an async handler's promise never settled, a sync one returned nothing.
    beforeExit.set(() => {
      markCompleted();
      if (this.metadata.isAsync) {
        const error = new NodeJsExitError();
        this.logger.logError('Invoke Error', error);
        this.thenNext(this.postError(requestId, error));
      } else {
        this.thenNext(this.client.postResponse(requestId, 'null'));
      }
    });
    try {
      const result = this.handler(JSON.parse(invoke.body), attachInvokeData(context, invoke), callback);
      if (isPromise(result)) result.then(context.succeed, context.fail).catch(context.fail);
    } catch (err) {
      callback(err);
    }
  }

  async handleAwaited() {
    const invoke = await this.nextInvoke();
    const event = JSON.parse(invoke.body);
    const context = attachInvokeData({}, invoke);
    try {
      const result = await this.handler(event, context);
      await nextTick();
      await this.client.postResponse(invoke.requestId, this.serialize(result));
    } catch (err) {
      await nextTick();
      this.logger.logError('Invoke Error', err);
      await this.postError(invoke.requestId, err);
    }
    this.scheduleNext();
  }

  async handleStreaming() {
    const invoke = await this.nextInvoke();
    const { responseStream, responseDone } = createResponseStream(this.client, invoke.requestId);
    let waitForEmptyEventLoop = this.legacy;
    const streamingContext = {};
    if (this.legacy) {
      Object.defineProperty(streamingContext, 'callbackWaitsForEmptyEventLoop', {
        enumerable: true,
        get: () => waitForEmptyEventLoop,
        set: (value) => {
          waitForEmptyEventLoop = value;
        },
      });
    }
    // The 3.x client fails these cases with a bare string, 4.x with an Error.
    const failure = (message) => (this.legacy ? message : new Error(message));
    try {
      const context = attachInvokeData(streamingContext, invoke);
      const result = this.handler(JSON.parse(invoke.body), responseStream, context);
      if (!isPromise(result)) throw failure('Streaming does not support non-async handlers.');
      if ((await result) !== undefined) console.warn('Streaming handlers ignore return values.');
      await responseDone;
      if (!responseStream.writableFinished) throw failure('Response stream is not finished.');
    } catch (err) {
      await nextTick();
      this.logger.logError('Invoke Error', err);
      await failResponseStream(responseStream, err);
      await responseDone.catch(() => undefined);
    }
    beforeExit.reset();
    if (waitForEmptyEventLoop) beforeExit.set(() => setImmediate(() => this.scheduleNext()));
    else this.scheduleNext();
  }
}
