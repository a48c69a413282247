import { z } from 'zod';
import type { CanvasChange, CanvasNodeKind, Channel, Req, TriggerAction } from '../contract.ts';
import { scenarioSchema } from '../simulator/scenario-schema.ts';

/**
 * One zod schema per channel: Electron main and the control API parse every request with
 * these, and `satisfies z.ZodType<Req<C>>` keeps them from drifting from the ChannelMap.
 */
const empty = z.object({}).strict() satisfies z.ZodType<Record<string, never>>;
const name = z.string().min(1).max(256);
const text = (maxBytes: number) => z.string().max(maxBytes);

const triggerAction = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('queue:send'), queue: name, body: text(262_144) }).strict(),
  z.object({ kind: z.literal('bucket:put'), bucket: name, key: z.string().min(1).max(1024), body: text(6_291_456) }).strict(),
  z.object({ kind: z.literal('schedule:fire'), functionName: name, eventName: name }).strict(),
  z.object({ kind: z.literal('topic:publish'), topic: name, message: text(262_144) }).strict(),
  z.object({ kind: z.literal('bus:put'), bus: name, source: name, detailType: name, detail: text(262_144) }).strict(),
  z.object({ kind: z.literal('http:request'), method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS']), path: z.string().startsWith('/').max(2048), body: text(6_291_456).optional() }).strict(),
]) satisfies z.ZodType<TriggerAction>;

const nodeKind = z.enum(['http-route', 'schedule', 'queue', 'bucket', 'topic', 'event-rule', 'function', 'table', 'stream']) satisfies z.ZodType<CanvasNodeKind>;
const logicalId = z.string().regex(/^[A-Za-z0-9]{1,255}$/, 'a logical id is letters and digits only');
const properties = z.record(z.string(), z.unknown());
const templatePath = z.array(z.union([z.string().max(255), z.number().int().min(0)])).min(1).max(32);
const canvasChange = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('add-node'), nodeKind, logicalId, properties: properties.optional() }).strict(),
  z.object({ kind: z.literal('link'), source: z.string().min(1).max(512), sourceKind: nodeKind, target: z.string().min(1).max(512), targetKind: nodeKind, eventProperties: properties.optional(), access: z.enum(['read', 'write', 'read-write']).optional() }).strict(),
  z.object({ kind: z.literal('set-property'), path: templatePath, value: z.unknown() }).strict(),
  z.object({ kind: z.literal('remove'), path: templatePath }).strict(),
]) satisfies z.ZodType<CanvasChange>;
const changes = z.array(canvasChange).min(1).max(500);
const position = z.object({ x: z.number().finite(), y: z.number().finite() }).strict();

// The simulator's own schema, so a bad scenario is refused naming its field
// (`scenario.function.memoryMb: must be a whole number from 128 to 10,240 (MB)`); the app picks
// the chart bins itself.
const scenario = scenarioSchema.omit({ timeSeries: true });
const share = 'must be a number from 0 to 1 (the share of the service time that is CPU work)';
const sweepRequest = z.object({
  scenario,
  memorySizesMb: z.array(z.number().int().min(128).max(10_240), { error: 'must be a list of whole numbers of MB from 128 to 10,240' }).min(1).max(16).optional(),
  cpuBoundShare: z.number({ error: share }).min(0, { error: share }).max(1, { error: share }).optional(),
  multiThreaded: z.boolean().optional(),
}).strict();

export const REQUEST_SCHEMAS = {
  'app:info': empty,
  'project:open': z.object({ dir: z.string().min(1).max(4096) }).strict() satisfies z.ZodType<Req<'project:open'>>,
  'project:choose': empty,
  'project:reload': empty,
  'functions:invoke': z.object({ functionName: name, payload: text(6_291_456).optional(), forceCold: z.boolean().optional() }).strict() satisfies z.ZodType<Req<'functions:invoke'>>,
  'activity:get': empty,
  'activity:clear': empty,
  'sandboxes:stop': z.object({ functionName: name }).strict() satisfies z.ZodType<Req<'sandboxes:stop'>>,
  'samples:list': empty,
  'triggers:fire': triggerAction,
  'docker:check': empty,
  'canvas:get': empty,
  'canvas:preview': z.object({ changes }).strict() satisfies z.ZodType<Req<'canvas:preview'>>,
  'canvas:apply': z.object({ changes, baseHash: z.string().regex(/^[0-9a-f]{64}$/) }).strict() satisfies z.ZodType<Req<'canvas:apply'>>,
  'canvas:undo': empty,
  'canvas:redo': empty,
  'canvas:layout': z.object({ positions: z.record(z.string().max(512), position) }).strict() satisfies z.ZodType<Req<'canvas:layout'>>,
  'schedule:describe': z.object({ expression: z.string().max(512) }).strict() satisfies z.ZodType<Req<'schedule:describe'>>,
  'simulator:run': z.object({ scenario }).strict() satisfies z.ZodType<Req<'simulator:run'>>,
  'simulator:sweep': sweepRequest satisfies z.ZodType<Req<'simulator:sweep'>>,
  'simulator:calibrate': z.object({ functionName: name }).strict() satisfies z.ZodType<Req<'simulator:calibrate'>>,
} satisfies { [C in Channel]: z.ZodType<Req<C>> };

export function schemaFor<C extends Channel>(channel: C): z.ZodType<Req<C>> {
  return REQUEST_SCHEMAS[channel] as unknown as z.ZodType<Req<C>>;
}
