import type { FunctionConfig, ProjectWarning, SourceLocation } from '../../contract.ts';
import { readHttpCors, type HttpCors } from './cors-config.ts';
import { decodeSegment } from './path-template.ts';
import { stableId } from './request-time.ts';
import { isPlainObject } from './response-fields.ts';
import type { TemplateResources } from '../../project/template-resources.ts';

/**
 * Function URLs share the API port. A URL is reached two ways, both printed by `routes()`:
 * by path, `http://127.0.0.1:3000/__function_url/<FunctionName>/…`, which works from any client;
 * and by host, `http://<url-id>.lambda-url.<region>.localhost:3000/…`, which keeps the path
 * exactly as on AWS (curl and browsers send `*.localhost` to the loopback address).
 */
export const FUNCTION_URL_PATH_PREFIX = '/__function_url/';

export interface FunctionUrl {
  functionName: string;
  logicalId: string;
  /** 32 characters, as AWS's url-ids; stable for a function name, region and account. */
  urlId: string;
  authType: 'NONE' | 'AWS_IAM';
  cors?: HttpCors;
  /** AutoPublishAlias: SAM attaches the URL to the alias. */
  qualifier?: string;
  location: SourceLocation;
}

export function functionUrlId(functionName: string, region: string, accountId: string): string {
  return stableId(`${accountId}/${region}/${functionName}`, 32);
}

export function functionUrlHost(urlId: string, region: string): string {
  return `${urlId}.lambda-url.${region}.localhost`;
}

/** `<url-id>.lambda-url.<region>.localhost` → the url-id. */
export function urlIdFromHost(hostname: string): string | undefined {
  return /^([a-z0-9]{32})\.lambda-url\.[a-z0-9-]+\.localhost$/.exec(hostname)?.[1];
}

/** `/__function_url/Name/rest` → the function name and the path the function sees (`/rest`). */
export function splitFunctionUrlPath(rawPath: string): { functionName: string; rawPath: string } | undefined {
  if (!rawPath.startsWith(FUNCTION_URL_PATH_PREFIX)) return undefined;
  const rest = rawPath.slice(FUNCTION_URL_PATH_PREFIX.length);
  const slash = rest.indexOf('/');
  const functionName = decodeSegment(slash < 0 ? rest : rest.slice(0, slash));
  if (functionName === '') return undefined;
  return { functionName, rawPath: slash < 0 ? '/' : rest.slice(slash) };
}

/** Every function's `FunctionUrlConfig` (Globals.Function applied). */
export function readFunctionUrls(resources: TemplateResources, functions: readonly FunctionConfig[], warnings: ProjectWarning[]): FunctionUrl[] {
  const { region, accountId } = resources.stack;
  const urls: FunctionUrl[] = [];
  for (const resource of resources.ofType('AWS::Serverless::Function')) {
    const config = resource.properties.FunctionUrlConfig;
    const fn = functions.find((candidate) => candidate.logicalId === resource.logicalId);
    if (config === undefined || !fn) continue;
    const field = `Resources.${resource.logicalId}.Properties.FunctionUrlConfig`;
    if (!isPlainObject(config)) {
      warnings.push({ at: resource.location, field, message: 'FunctionUrlConfig must be a mapping with AuthType (NONE or AWS_IAM); no URL is served.' });
      continue;
    }
    const authType = config.AuthType === 'AWS_IAM' ? 'AWS_IAM' : 'NONE';
    if (config.AuthType !== 'AWS_IAM' && config.AuthType !== 'NONE') {
      warnings.push({ at: resource.location, field: `${field}.AuthType`, message: `AuthType ${JSON.stringify(config.AuthType)} is not NONE or AWS_IAM; the URL is served as NONE.` });
    }
    if (config.InvokeMode === 'RESPONSE_STREAM') {
      warnings.push({ at: resource.location, field: `${field}.InvokeMode`, message: 'InvokeMode RESPONSE_STREAM: the URL answers once the response is complete (buffered), not as a stream.' });
    }
    urls.push({
      functionName: fn.functionName,
      logicalId: fn.logicalId,
      urlId: functionUrlId(fn.functionName, region, accountId),
      authType,
      cors: readHttpCors(config.Cors),
      qualifier: fn.autoPublishAlias,
      location: resource.location,
    });
  }
  return urls;
}
