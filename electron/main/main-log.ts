import { appendFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';

/** The shell's own log (startup, blocked navigations, IPC refusals) in the app's logs folder. */
export class MainLog {
  readonly file: string;
  private ready: Promise<unknown>;

  constructor(readonly dir: string) {
    this.file = join(dir, 'main.log');
    this.ready = mkdir(dir, { recursive: true });
  }

  write(line: string): void {
    const text = `${new Date().toISOString()} ${line}\n`;
    this.ready = this.ready.then(() => appendFile(this.file, text)).catch(() => undefined);
  }
}
