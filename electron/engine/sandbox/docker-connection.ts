import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import type { DockerStatus } from '../contract.ts';

export interface DockerEndpoint {
  /** What we tell the user: `unix:///var/run/docker.sock`, `tcp://…`, a context name. */
  description: string;
  options: Docker.DockerOptions;
}

/**
 * Finds the Docker engine the way users expect: DOCKER_HOST, then the current Docker context,
 * then the usual sockets of Docker Engine, Docker Desktop, Colima, Podman and Rancher Desktop.
 */
export function findDockerEndpoints(env: NodeJS.ProcessEnv = process.env, home = homedir()): DockerEndpoint[] {
  const found: DockerEndpoint[] = [];
  if (env.DOCKER_HOST) found.push(fromUrl(env.DOCKER_HOST, 'DOCKER_HOST'));
  const contextHost = currentContextHost(env, home);
  if (contextHost) found.push(fromUrl(contextHost.host, `docker context ${contextHost.name}`));
  const uid = typeof process.getuid === 'function' ? process.getuid() : 0;
  const sockets = [
    '/var/run/docker.sock',
    join(home, '.docker/run/docker.sock'),
    join(home, '.docker/desktop/docker.sock'),
    join(home, '.colima/default/docker.sock'),
    join(home, '.rd/docker.sock'),
    `/run/user/${uid}/podman/podman.sock`,
    `/run/user/${uid}/docker.sock`,
    '/run/podman/podman.sock',
  ];
  for (const socketPath of sockets) {
    if (existsSync(socketPath)) found.push({ description: `unix://${socketPath}`, options: { socketPath } });
  }
  return found;
}

function fromUrl(url: string, source: string): DockerEndpoint {
  if (url.startsWith('unix://')) return { description: `${url} (${source})`, options: { socketPath: url.slice('unix://'.length) } };
  if (url.startsWith('npipe://')) return { description: `${url} (${source})`, options: { socketPath: url.slice('npipe://'.length) } };
  const parsed = new URL(url.replace(/^tcp:/, 'http:'));
  return {
    description: `${url} (${source})`,
    options: { host: parsed.hostname, port: Number(parsed.port || 2375), protocol: 'http' },
  };
}

function currentContextHost(env: NodeJS.ProcessEnv, home: string): { name: string; host: string } | undefined {
  const configDir = env.DOCKER_CONFIG ?? join(home, '.docker');
  try {
    const config = JSON.parse(readFileSync(join(configDir, 'config.json'), 'utf8')) as { currentContext?: string };
    const name = env.DOCKER_CONTEXT ?? config.currentContext;
    if (!name || name === 'default') return undefined;
    const dir = join(configDir, 'contexts/meta', createHash('sha256').update(name).digest('hex'));
    const meta = JSON.parse(readFileSync(join(dir, 'meta.json'), 'utf8')) as { Endpoints?: { docker?: { Host?: string } } };
    const host = meta.Endpoints?.docker?.Host;
    return host ? { name, host } : undefined;
  } catch {
    return undefined;
  }
}

/** Connects to the first endpoint that answers a ping. */
export async function connectDocker(env: NodeJS.ProcessEnv = process.env): Promise<{ docker?: Docker; status: DockerStatus }> {
  const endpoints = findDockerEndpoints(env);
  const errors: string[] = [];
  for (const endpoint of endpoints) {
    const docker = new Docker(endpoint.options);
    try {
      const version = (await withTimeout(docker.version(), 3000)) as { Version?: string; ApiVersion?: string };
      return { docker, status: { available: true, endpoint: endpoint.description, version: version.Version } };
    } catch (err) {
      errors.push(`${endpoint.description}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  const tried = endpoints.length ? endpoints.map((e) => e.description).join(', ') : 'DOCKER_HOST, the Docker context and the default sockets';
  return {
    status: {
      available: false,
      endpoint: tried,
      error: errors.length ? errors.join('; ') : `No Docker engine found (looked at ${tried}).`,
    },
  };
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    promise.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(timer);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}
