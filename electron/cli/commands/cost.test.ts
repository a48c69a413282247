import { PassThrough } from 'node:stream';
import { describe, expect, test } from 'vitest';
import type { CliIo } from '../cli-io.ts';
import { main } from '../main.ts';

function fakeIo(): { io: CliIo; stdout: () => string; stderr: () => string } {
  const [out, err] = [new PassThrough(), new PassThrough()];
  const chunks = { out: [] as Buffer[], err: [] as Buffer[] };
  out.on('data', (c: Buffer) => chunks.out.push(c));
  err.on('data', (c: Buffer) => chunks.err.push(c));
  const io: CliIo = { stdout: out, stderr: err, stdin: new PassThrough(), env: {}, cwd: process.cwd(), stopSignal: new Promise(() => {}) };
  return { io, stdout: () => Buffer.concat(chunks.out).toString(), stderr: () => Buffer.concat(chunks.err).toString() };
}

async function cost(args: string[]) {
  const { io, stdout, stderr } = fakeIo();
  const code = await main(['cost', ...args], io);
  return { code, stdout: stdout(), stderr: stderr() };
}

describe('lambdadesk cost', () => {
  test('--json prints one object with the charges as unrounded numbers (P1)', async () => {
    const { code, stdout } = await cost(['--memory-mb', '1536', '--requests', '3000000', '--duration-ms', '120', '--free-tier', '--json']);
    expect(code).toBe(0);
    const json = JSON.parse(stdout);
    expect(json).toMatchObject({ requestCharge: 0.4, computeCharge: 2.333338, ephemeralCharge: 0, provisionedCharge: 0, total: 2.733338 });
    expect(json.exact.total).toBe('2.733338');
    expect(json.cents.total).toBe('2.73');
  });

  test('P2 and P3 to the cent, as AWS prints them', async () => {
    const p2 = JSON.parse((await cost(['--memory-mb', '1024', '--requests', '7440000', '--duration-ms', '2000', '--json'])).stdout);
    expect(p2.cents.total).toBe('249.49');
    const p3 = JSON.parse((await cost(['--memory-mb', '4096', '--requests', '6000000', '--duration-ms', '280', '--ephemeral-mb', '2048', '--free-tier', '--json'])).stdout);
    expect(p3.cents).toMatchObject({ computeCharge: '105.33', requestCharge: '1.00', ephemeralCharge: '0.08', total: '106.41' });
  });

  test('the human table shows each charge in cents and the exact total', async () => {
    const { code, stdout } = await cost(['--memory-mb', '1536', '--requests', '3000000', '--duration-ms', '120', '--free-tier']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/Requests\s+3,000,000 \(2,000,000 billable\)\s+\$0\.40/);
    expect(stdout).toMatch(/Compute\s+540,000 GB-s \(140,000 billable\)\s+\$2\.33/);
    expect(stdout).toMatch(/Total\s+\$2\.73/);
    expect(stdout).toMatch(/Exact total 2\.733338 USD/);
  });

  test('arm64, 100 ms billing and provisioned concurrency are options', async () => {
    const arm = JSON.parse((await cost(['--memory-mb', '1024', '--requests', '1000000', '--duration-ms', '1000', '--architecture', 'arm64', '--json'])).stdout);
    expect(arm.exact.computeCharge).toBe('13.3334');
    const legacy = JSON.parse((await cost(['--memory-mb', '1024', '--requests', '1000', '--duration-ms', '5', '--granularity-ms', '100', '--json'])).stdout);
    expect(legacy.usage.onDemandGbSeconds).toBe(100);
    const pc = JSON.parse((await cost(['--memory-mb', '1024', '--requests', '1000000', '--duration-ms', '100', '--provisioned-concurrency', '10', '--provisioned-hours', '1', '--provisioned-requests', '1000000', '--json'])).stdout);
    expect(pc.provisionedCharge).toBeCloseTo(10 * 3600 * 0.0000041667 + 100_000 * 0.0000097222, 12);
  });

  test('bad options say which option, what is allowed and what was given; exit code 2', async () => {
    const low = await cost(['--memory-mb', '64', '--requests', '1', '--duration-ms', '1']);
    expect(low.code).toBe(2);
    expect(low.stderr).toMatch(/--memory-mb must be a whole number from 128 to 10,240 \(MB\); got '64'/);
    const arch = await cost(['--memory-mb', '128', '--requests', '1', '--duration-ms', '1', '--architecture', 'x86']);
    expect(arch.stderr).toMatch(/--architecture must be one of x86_64, arm64; got 'x86'/);
    const missing = await cost(['--memory-mb', '128', '--duration-ms', '1']);
    expect(missing.stderr).toMatch(/--requests is required: a whole number of 0 or more \(invocations\)/);
    const unknown = await cost(['--memory', '128']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/Unknown option '--memory'/);
  });
});
