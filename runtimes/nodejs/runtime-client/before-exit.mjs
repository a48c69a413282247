/**
 * What to do when the event loop runs dry: how callback handlers with
 * `callbackWaitsForEmptyEventLoop` get their result posted. One listener at a time, kept on a
 * global symbol as the official client keeps it.
 */
const KEY = Symbol.for('aws.lambda.beforeExit');
const NOOP = () => {};

export const beforeExit = {
  invoke: () => globalThis[KEY](),
  reset: () => (globalThis[KEY] = NOOP),
  set: (listener) => (globalThis[KEY] = listener),
};
beforeExit.reset();
