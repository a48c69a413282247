import { isPlainObject } from './response-fields.ts';

/**
 * A REST API's `Cors`: SAM turns it into an OPTIONS method whose mock integration returns these
 * headers as written, so values keep SAM's quoting rule (`"'*'"`). Only preflights get them; a
 * function's own responses must carry Access-Control-Allow-Origin themselves, as on AWS.
 */
export interface RestCors {
  allowOrigin: string;
  allowHeaders?: string;
  /** Unset: the methods declared on the path, plus OPTIONS. */
  allowMethods?: string;
  maxAge?: string;
  allowCredentials: boolean;
}

/**
 * An HTTP API's `CorsConfiguration` or a Function URL's `Cors`: API Gateway (or Lambda) answers
 * every preflight itself and sets the CORS headers of every response, replacing the function's.
 */
export interface HttpCors {
  allowOrigins: string[];
  allowHeaders: string[];
  allowMethods: string[];
  exposeHeaders: string[];
  maxAgeSeconds?: number;
  allowCredentials: boolean;
}

/** SAM requires REST CORS values quoted as literals, `"'www.example.com'"`; the quotes are not sent. */
function unquote(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  const text = String(value).trim();
  return /^'.*'$/s.test(text) ? text.slice(1, -1) : text;
}

export function readRestCors(value: unknown): RestCors | undefined {
  if (value === undefined || value === null || value === false) return undefined;
  if (typeof value === 'string') return { allowOrigin: unquote(value) ?? '*', allowCredentials: false };
  if (!isPlainObject(value)) return undefined;
  return {
    allowOrigin: unquote(value.AllowOrigin) ?? '*',
    allowHeaders: unquote(value.AllowHeaders),
    allowMethods: unquote(value.AllowMethods),
    maxAge: unquote(value.MaxAge),
    allowCredentials: value.AllowCredentials === true || value.AllowCredentials === 'true',
  };
}

function list(value: unknown): string[] {
  if (Array.isArray(value)) return value.map((item) => String(item).trim()).filter((item) => item !== '');
  if (typeof value === 'string') return value.split(',').map((item) => item.trim()).filter((item) => item !== '');
  return [];
}

/** `CorsConfiguration: true` allows every origin, header and method, as SAM expands it. */
export function readHttpCors(value: unknown): HttpCors | undefined {
  if (value === undefined || value === null || value === false) return undefined;
  if (value === true || value === 'true') return { allowOrigins: ['*'], allowHeaders: ['*'], allowMethods: ['*'], exposeHeaders: [], allowCredentials: false };
  if (!isPlainObject(value)) return undefined;
  const maxAge = Number(value.MaxAge);
  return {
    allowOrigins: list(value.AllowOrigins),
    allowHeaders: list(value.AllowHeaders),
    allowMethods: list(value.AllowMethods).map((method) => method.toUpperCase()),
    exposeHeaders: list(value.ExposeHeaders),
    maxAgeSeconds: value.MaxAge === undefined || Number.isNaN(maxAge) ? undefined : maxAge,
    allowCredentials: value.AllowCredentials === true || value.AllowCredentials === 'true',
  };
}
