import type { CanvasNodeKind } from '../../electron/engine/contract.ts';

/** Short marks instead of icon fonts: nothing to load, readable in both themes. */
export const KIND_ICONS: Record<CanvasNodeKind, string> = {
  function: 'λ',
  'http-route': 'API',
  schedule: 'CRON',
  queue: 'SQS',
  bucket: 'S3',
  topic: 'SNS',
  'event-rule': 'EB',
  table: 'DDB',
  stream: 'KDS',
};
