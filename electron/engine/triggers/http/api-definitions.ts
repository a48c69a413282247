import type { ProjectWarning, SourceLocation } from '../../contract.ts';
import { localApiId } from '../../project/local-resources.ts';
import { readHttpAuth, readRestAuth, type ApiAuth } from './authorizer-config.ts';
import { unescapeMediaType } from './binary-media.ts';
import { readHttpCors, readRestCors, type HttpCors, type RestCors } from './cors-config.ts';
import { isPlainObject } from './response-fields.ts';
import type { ResolvedResource, TemplateResources } from '../../project/template-resources.ts';

/** One REST API (`AWS::Serverless::Api`) or HTTP API (`AWS::Serverless::HttpApi`), explicit or SAM's implicit one. */
export interface ApiDefinition {
  kind: 'rest' | 'http';
  /** `ServerlessRestApi` / `ServerlessHttpApi` for the implicit APIs, as SAM names them. */
  logicalId: string;
  /** The id `!Ref` gives, so that events' `RestApiId`/`ApiId` find their API. */
  apiId: string;
  /** REST: `StageName` (`Prod` for the implicit API); HTTP: `StageName` or `$default`. */
  stage: string;
  stageVariables: Record<string, string> | null;
  /** REST only; HTTP APIs decide by the body's type. */
  binaryMediaTypes: string[];
  restCors?: RestCors;
  httpCors?: HttpCors;
  auth: ApiAuth;
  /** HTTP APIs: the payload format routes use unless their event says otherwise. */
  payloadFormatVersion: '1.0' | '2.0';
  implicit: boolean;
  location: SourceLocation;
}

export const IMPLICIT_REST_API = 'ServerlessRestApi';
export const IMPLICIT_HTTP_API = 'ServerlessHttpApi';

export interface ApiDefinitions {
  explicit: ApiDefinition[];
  /** SAM's implicit API, made when the first event without RestApiId/ApiId needs it. */
  implicit(kind: 'rest' | 'http'): ApiDefinition;
}

function textMap(value: unknown): Record<string, string> | null {
  if (!isPlainObject(value)) return null;
  const entries = Object.entries(value).filter(([, v]) => v !== null && typeof v !== 'object');
  return entries.length > 0 ? Object.fromEntries(entries.map(([k, v]) => [k, String(v)])) : null;
}

function definition(kind: 'rest' | 'http', resource: ResolvedResource, apiId: string, implicit: boolean, warnings: ProjectWarning[]): ApiDefinition {
  const p = resource.properties;
  const field = implicit ? `Globals.${kind === 'rest' ? 'Api' : 'HttpApi'}` : `Resources.${resource.logicalId}.Properties`;
  const warn = (message: string): void => void warnings.push({ at: resource.location, field, message });
  if (p.DefinitionBody !== undefined || p.DefinitionUri !== undefined) {
    warn(`${resource.logicalId} has an OpenAPI definition; LambdaDesk serves the routes declared as function events (Type: ${kind === 'rest' ? 'Api' : 'HttpApi'}) and not the paths of the definition.`);
  }
  const stage = typeof p.StageName === 'string' && p.StageName !== '' ? p.StageName : kind === 'rest' ? 'Prod' : '$default';
  return {
    kind,
    logicalId: resource.logicalId,
    apiId,
    stage,
    stageVariables: textMap(kind === 'rest' ? p.Variables : p.StageVariables),
    binaryMediaTypes: kind === 'rest' && Array.isArray(p.BinaryMediaTypes) ? p.BinaryMediaTypes.map((type) => unescapeMediaType(String(type))) : [],
    restCors: kind === 'rest' ? readRestCors(p.Cors) : undefined,
    httpCors: kind === 'http' ? readHttpCors(p.CorsConfiguration) : undefined,
    auth: kind === 'rest' ? readRestAuth(p.Auth, warn) : readHttpAuth(p.Auth, warn),
    payloadFormatVersion: String(p.PayloadFormatVersion ?? '2.0') === '1.0' ? '1.0' : '2.0',
    implicit,
    location: resource.location,
  };
}

/** The template's APIs with Globals applied; the implicit ones take only Globals, as SAM builds them. */
export function readApiDefinitions(resources: TemplateResources, warnings: ProjectWarning[]): ApiDefinitions {
  const { stack } = resources;
  const explicit = resources
    .ofType('AWS::Serverless::Api', 'AWS::Serverless::HttpApi')
    .map((resource) => definition(resource.type === 'AWS::Serverless::Api' ? 'rest' : 'http', resource, localApiId(stack, resource.logicalId), false, warnings));
  const made = new Map<string, ApiDefinition>();
  const implicit = (kind: 'rest' | 'http'): ApiDefinition => {
    const logicalId = kind === 'rest' ? IMPLICIT_REST_API : IMPLICIT_HTTP_API;
    let api = made.get(logicalId);
    if (!api) {
      const globals = resources.globals(kind === 'rest' ? 'Api' : 'HttpApi');
      const resource: ResolvedResource = { logicalId, type: '', properties: globals.properties, location: globals.location };
      api = definition(kind, resource, localApiId(stack, logicalId), true, warnings);
      made.set(logicalId, api);
    }
    return api;
  };
  return { explicit, implicit };
}
