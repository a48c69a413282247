/** Turns a byte stream into complete lines; a trailing partial line is kept until more arrives. */
export class LineSplitter {
  private pending = '';
  constructor(private readonly emit: (line: string) => void) {}
  push(chunk: Buffer | string): void {
    const text = this.pending + chunk.toString();
    const lines = text.split('\n');
    this.pending = lines.pop() ?? '';
    for (const line of lines) this.emit(line.endsWith('\r') ? line.slice(0, -1) : line);
  }
  flush(): void {
    if (this.pending) this.emit(this.pending);
    this.pending = '';
  }
}
