/**
 * Every container and image LambdaDesk creates carries these labels, so leftovers of a crashed
 * run are found and removed, and nothing else on the machine is ever touched.
 */
export const LABEL_ROOT = 'dev.lambdadesk';
export const LABEL_FUNCTION = `${LABEL_ROOT}.function`;
export const LABEL_SANDBOX = `${LABEL_ROOT}.sandbox`;
/** The process id of the LambdaDesk that owns the container, so two instances do not collide. */
export const LABEL_OWNER_PID = `${LABEL_ROOT}.owner-pid`;
export const LABEL_PROJECT = `${LABEL_ROOT}.project`;
