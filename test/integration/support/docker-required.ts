import { connectDocker } from '../../../electron/engine/sandbox/docker-connection.ts';

/**
 * Whether Docker answers. CI sets LAMBDADESK_REQUIRE_DOCKER=1, so a missing engine fails the
 * run there instead of skipping tests; on a laptop without Docker the suites say why they skip.
 */
export async function dockerAvailable(): Promise<boolean> {
  const { status } = await connectDocker();
  if (!status.available && process.env.LAMBDADESK_REQUIRE_DOCKER === '1') {
    throw new Error(`LAMBDADESK_REQUIRE_DOCKER=1 but no Docker engine answers: ${status.error ?? status.endpoint}`);
  }
  if (!status.available) console.warn(`Skipping Docker tests: ${status.error ?? 'no Docker engine'}. Start Docker to run them.`);
  return status.available;
}
