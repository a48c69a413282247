import { readFile } from 'node:fs/promises';

/**
 * Where the kernel keeps a container's peak memory: cgroup v1 (`memory.max_usage_in_bytes`) or
 * v2 (`memory.peak`), under the paths the cgroupfs and systemd drivers use. Reading the file is
 * far cheaper than Docker's stats API, which samples for a second.
 */
export function cgroupPeakPaths(containerId: string): string[] {
  return [
    `/sys/fs/cgroup/memory/docker/${containerId}/memory.max_usage_in_bytes`,
    `/sys/fs/cgroup/memory/system.slice/docker-${containerId}.scope/memory.max_usage_in_bytes`,
    `/sys/fs/cgroup/system.slice/docker-${containerId}.scope/memory.peak`,
    `/sys/fs/cgroup/docker/${containerId}/memory.peak`,
  ];
}

export async function readFirstNumber(paths: string[]): Promise<number | undefined> {
  for (const path of paths) {
    try {
      const value = Number((await readFile(path, 'utf8')).trim());
      if (Number.isFinite(value)) return value;
    } catch {
      // Not this cgroup layout.
    }
  }
  return undefined;
}

/** Peak resident memory of a host process (VmHWM), for the process sandbox. */
export async function processPeakBytes(pid: number): Promise<number | undefined> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const match = /^VmHWM:\s+(\d+)\s+kB/m.exec(status);
    return match ? Number(match[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}
