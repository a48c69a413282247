// electron-builder configuration: `npm run dist` (scripts/dist.mjs) stages the app with
// scripts/build-app.mjs, then packages the stage. See build/README.md.
import { readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const readJson = (file) => JSON.parse(readFileSync(file, 'utf8'));

/**
 * Electron fuses, flipped in the packaged binary before signing: the shipped Electron cannot be
 * used as a plain Node.js interpreter (ELECTRON_RUN_AS_NODE), and NODE_OPTIONS or --inspect cannot
 * inject code into it. Cookies are encrypted with the OS keychain.
 */
const ELECTRON_FUSES = Object.freeze({
  runAsNode: false,
  enableCookieEncryption: true,
  enableNodeOptionsEnvironmentVariable: false,
  enableNodeCliInspectArguments: false,
  // The app ships as plain files, not app.asar (see `asar` below), so these two must stay off:
  // with onlyLoadAppFromAsar Electron would refuse to start.
  enableEmbeddedAsarIntegrityValidation: false,
  onlyLoadAppFromAsar: false,
  loadBrowserProcessSpecificV8Snapshot: false,
  // The window loads dist/renderer/index.html from file://, and Vite's output is ES module scripts,
  // which plain Chromium refuses across file:// URLs; turning this off needs an app:// protocol.
  grantFileProtocolExtraPrivileges: true,
  // Flipping fuses breaks the ad-hoc signature of an unsigned Apple Silicon build, which then will not
  // start; a signed build is signed again afterwards anyway.
  resetAdHocDarwinSignature: true,
});

/** Electron's own sample app: an Electron folder passed as electronDist still carries it. */
async function removeDefaultApp(context) {
  const resources = context.electronPlatformName === 'darwin' || context.electronPlatformName === 'mas'
    ? join(context.appOutDir, `${context.packager.appInfo.productFilename}.app`, 'Contents/Resources')
    : join(context.appOutDir, 'resources');
  await rm(join(resources, 'default_app.asar'), { force: true });
}

/** @type {import('electron-builder').Configuration} */
export default {
  appId: 'dev.lambdadesk.app',
  productName: 'LambdaDesk',
  executableName: 'lambdadesk',
  copyright: 'Copyright © LambdaDesk contributors',
  // Set here so that packaging never needs the electron package's downloaded binary.
  electronVersion: readJson(join(ROOT, 'node_modules/electron/package.json')).version,
  directories: {
    // Only what scripts/build-app.mjs staged ships: no sources, tests, fixtures or dev dependencies.
    app: 'out/stage',
    output: 'out/packages',
    buildResources: 'build',
  },
  files: ['**/*', '!**/*.map', '!**/*.node'],
  /**
   * No app.asar: the engine hands runtimes/ to host interpreters and Docker builds, and puts
   * node_modules/ (the AWS SDK) on functions' NODE_PATH; neither can read inside an archive, and the
   * engine finds both beside its own bundle.
   */
  asar: false,
  // Nothing native ships (scripts/build-app.mjs leaves ssh2's optional addons out), so nothing is rebuilt.
  npmRebuild: false,
  nodeGypRebuild: false,
  buildDependenciesFromSource: false,
  electronFuses: ELECTRON_FUSES,
  afterPack: removeDefaultApp,
  publish: null,

  linux: {
    target: ['AppImage', 'deb'],
    icon: 'icon.png',
    category: 'Development',
    synopsis: 'Run and debug AWS Lambda functions locally',
    maintainer: 'LambdaDesk contributors <lambdadesk@users.noreply.github.com>',
    vendor: 'LambdaDesk',
    desktop: { entry: { StartupWMClass: 'LambdaDesk' } },
  },
  appImage: { artifactName: '${productName}-${version}-${arch}.${ext}' },
  deb: {
    artifactName: '${name}_${version}_${arch}.${ext}',
    // Functions run in Docker; without it LambdaDesk falls back to host processes.
    recommends: ['docker.io | docker-ce | podman-docker', 'python3'],
  },
  mac: {
    target: ['dmg'],
    icon: 'icon.png',
    category: 'public.app-category.developer-tools',
    hardenedRuntime: true,
  },
  dmg: { artifactName: '${productName}-${version}-${arch}.${ext}' },
  win: { target: ['nsis'], icon: 'icon.png' },
  nsis: {
    artifactName: '${productName}-Setup-${version}-${arch}.${ext}',
    oneClick: false,
    perMachine: false,
    allowToChangeInstallationDirectory: true,
  },
};
