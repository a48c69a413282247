import type { App } from 'electron';

/**
 * One LambdaDesk at a time: a second launch hands its folder argument to the first (which
 * focuses its window) and quits, so two engines never fight over ports 3000 and 3001.
 */
export function claimSingleInstance(app: App, onSecondLaunch: (argv: string[], workingDirectory: string) => void): boolean {
  if (!app.requestSingleInstanceLock()) return false;
  app.on('second-instance', (_event, argv, workingDirectory) => onSecondLaunch(argv, workingDirectory));
  return true;
}

/** The folder to open from a command line: the last argument that is not a flag or the app itself. */
export function folderArgument(argv: readonly string[]): string | undefined {
  const args = argv.slice(1).filter((a) => !a.startsWith('-') && !/\.(m?js|cjs)$/.test(a) && a !== '.');
  return args.at(-1);
}
