import { beforeExit } from './before-exit.mjs';

/**
 * The callback and the `context.done/succeed/fail` of callback handlers (Node.js ≤ 22 runtimes).
 * With `callbackWaitsForEmptyEventLoop` (the default) the result is posted only once the event
 * loop is empty, as on AWS; only the first of all these calls counts.
 */
export function buildCallbackContext({ postResult, postError }) {
  let completed = false;
  const complete = (result) => {
    if (completed) {
      console.error('Invocation has already been reported as done. Cannot call complete more than once per invocation.');
      return;
    }
    completed = true;
    postResult(result);
  };
  let waitForEmptyEventLoop = true;

  const callback = (err, result) => {
    beforeExit.reset();
    if (err !== undefined && err !== null) return postError(err);
    if (!waitForEmptyEventLoop) return complete(result);
    beforeExit.set(() => setImmediate(() => complete(result)));
  };
  const done = (err, result) => {
    beforeExit.reset();
    if (err !== undefined && err !== null) postError(err);
    else complete(result);
  };
  const succeed = (result) => done(null, result);
  const fail = (err) => (err === undefined || err === null ? done('handled') : done(err, null));

  let finished = false;
  const firstOnly = (fn) => (...args) => {
    if (finished) return;
    fn(...args);
    finished = true;
  };
  const context = {
    get callbackWaitsForEmptyEventLoop() {
      return waitForEmptyEventLoop;
    },
    set callbackWaitsForEmptyEventLoop(value) {
      waitForEmptyEventLoop = value;
    },
    succeed: firstOnly(succeed),
    fail: firstOnly(fail),
    done: firstOnly(done),
  };
  return { callback: firstOnly(callback), context, markCompleted: () => (completed = true) };
}
