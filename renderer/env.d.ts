/// <reference types="vite/client" />
import type { LambdaDeskApi } from '../electron/engine/contract.ts';

declare global {
  interface Window {
    /** Set by the Electron preload; absent in browser mode. */
    lambdadesk?: LambdaDeskApi;
  }
}
