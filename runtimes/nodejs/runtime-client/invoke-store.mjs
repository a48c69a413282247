/**
 * The current invoke's ids, shared as `awslambda.InvokeStore` the way `@aws/lambda-invoke-store`
 * shares them, so the AWS SDK and Powertools find the request and trace ids where they look.
 */
const PROTECTED_KEYS = {
  REQUEST_ID: Symbol.for('_AWS_LAMBDA_REQUEST_ID'),
  X_RAY_TRACE_ID: Symbol.for('_AWS_LAMBDA_X_RAY_TRACE_ID'),
  TENANT_ID: Symbol.for('_AWS_LAMBDA_TENANT_ID'),
};

class InvokeStore {
  static PROTECTED_KEYS = PROTECTED_KEYS;
  currentContext = undefined;
  constructor(outsideInvokeRequestId) {
    this.outsideInvokeRequestId = outsideInvokeRequestId;
  }
  isProtectedKey(key) {
    return Object.values(PROTECTED_KEYS).includes(key);
  }
  getRequestId() {
    return this.get(PROTECTED_KEYS.REQUEST_ID) ?? this.outsideInvokeRequestId;
  }
  getXRayTraceId() {
    return this.get(PROTECTED_KEYS.X_RAY_TRACE_ID);
  }
  getTenantId() {
    return this.get(PROTECTED_KEYS.TENANT_ID);
  }
  getContext() {
    return this.currentContext;
  }
  hasContext() {
    return this.currentContext !== undefined;
  }
  get(key) {
    return this.currentContext?.[key];
  }
  set(key, value) {
    if (this.isProtectedKey(key)) throw new Error(`Cannot modify protected Lambda context field: ${String(key)}`);
    this.currentContext = this.currentContext || {};
    this.currentContext[key] = value;
  }
  run(context, fn) {
    this.currentContext = context;
    return fn();
  }
}

/**
 * One store per process. Outside an invoke the 3.x client logs `undefined` as the request id
 * and the 4.x client `-`.
 */
export function createInvokeStore({ legacy, exposeGlobal }) {
  const store = new InvokeStore(legacy ? undefined : '-');
  if (exposeGlobal) {
    globalThis.awslambda = globalThis.awslambda || {};
    globalThis.awslambda.InvokeStore = store;
  }
  return store;
}

export function enterInvoke(store, { requestId, traceId, tenantId }) {
  store.run({ [PROTECTED_KEYS.REQUEST_ID]: requestId, [PROTECTED_KEYS.X_RAY_TRACE_ID]: traceId, [PROTECTED_KEYS.TENANT_ID]: tenantId }, () => undefined);
}
