import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LambdaClient } from '@aws-sdk/client-lambda';

/** Debian's AWS CLI v2; a pip-installed v1 may come first on PATH. */
export const AWS_CLI = '/usr/bin/aws';

/** Offline client environment (lambda-contract.md §2.4): dummy keys, both region variables, no metadata probe. */
export function offlineAwsEnv(): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: mkdtempSync(join(tmpdir(), 'lambdadesk-aws-home-')),
    AWS_ACCESS_KEY_ID: 'AKIDLAMBDADESKTEST',
    AWS_SECRET_ACCESS_KEY: 'lambdadesk-test-secret',
    AWS_REGION: 'us-east-1',
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_PAGER: '',
  };
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function awsCli(args: string[], endpointUrl: string): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(AWS_CLI, [...args, '--endpoint-url', endpointUrl, '--cli-read-timeout', '0'], { env: offlineAwsEnv(), timeout: 120_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as NodeJS.ErrnoException).code === 'number' ? Number((err as NodeJS.ErrnoException).code) : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

export function lambdaClient(endpointUrl: string, maxAttempts = 1): LambdaClient {
  return new LambdaClient({
    endpoint: endpointUrl,
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDLAMBDADESKTEST', secretAccessKey: 'lambdadesk-test-secret' },
    maxAttempts,
  });
}
