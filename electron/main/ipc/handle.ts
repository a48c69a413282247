import { ipcMain, type WebFrameMain } from 'electron';
import type { z } from 'zod';
import type { Channel, Reply, Req, Res } from '../../engine/contract.ts';
import { InvalidRequestError, toErrorReply } from '../../engine/control/control-errors.ts';
import { LambdaDeskError } from '../../engine/errors.ts';
import { isAppUrl } from '../security-policy.ts';

/** A message from anything but our own page's top frame (an iframe, a navigated page). */
export class ForbiddenSenderError extends LambdaDeskError {
  readonly awsName = 'AccessDeniedException';
  readonly status = 403;
  constructor(channel: string) {
    super(`Refused ${channel}: it did not come from LambdaDesk's own page.`);
  }
}

export function isOurTopFrame(frame: WebFrameMain | null | undefined): boolean {
  return !!frame && frame.parent === null && isAppUrl(frame.url);
}

/**
 * Registers one channel: checks the sender frame, parses the request with the channel's zod
 * schema, and answers a Reply (result or error as data: Electron keeps only a thrown error's message).
 */
export function handle<C extends Channel>(channel: C, schema: z.ZodType<Req<C>>, run: (request: Req<C>) => Promise<Res<C>>, log: (line: string) => void = () => undefined): void {
  ipcMain.handle(channel, async (event, raw: unknown): Promise<Reply<Res<C>>> => {
    try {
      if (!isOurTopFrame(event.senderFrame)) throw new ForbiddenSenderError(channel);
      const parsed = schema.safeParse(raw);
      if (!parsed.success) throw new InvalidRequestError(channel, parsed.error);
      return { result: await run(parsed.data) };
    } catch (err) {
      if (err instanceof ForbiddenSenderError || err instanceof InvalidRequestError) log(err.message);
      return { error: toErrorReply(err) };
    }
  });
}
