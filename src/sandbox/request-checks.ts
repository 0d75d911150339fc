/**
 * The checks Klaviyo makes before doing anything: a well-formed URL, key, revision header, body size, content
 * type, body shape.
 */
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { klaviyoSchemaValidator, type KlaviyoOperation } from '../klaviyo/spec/index.js';
import { invalid, KlaviyoHttpError, KlaviyoHttpErrors } from './errors.js';

const KEY_HEADER = /^Klaviyo-API-Key\s+(pk_\S+)$/;
const REVISION = /^\d{4}-\d{2}-\d{2}(\.[a-z]+)?$/;
const JSON_TYPES = ['application/vnd.api+json', 'application/json'];

/** The request's URL on the sandbox's origin, or a 400 when the request target is not a well-formed path. */
export function requestUrl(target: string | undefined, origin: string): URL {
  const raw = target ?? '/';
  let url: URL | undefined;
  try {
    // Joined as text, not resolved: `//host/path` is a path here, never another origin.
    if (raw.startsWith('/')) url = new URL(`${origin}${raw}`);
  } catch {
    url = undefined;
  }
  if (!url) throw invalid('The request URL is malformed.');
  try {
    decodeURIComponent(url.pathname);
  } catch {
    throw invalid('The request path has malformed percent-encoding (a % not followed by two hex digits).');
  }
  return url;
}

export function payloadTooLarge(maxBytes: number): KlaviyoHttpError {
  return new KlaviyoHttpError(
    413,
    'payload_too_large',
    'Payload too large.',
    `The request body is larger than this sandbox accepts (${maxBytes} bytes).`,
  );
}

/**
 * The request body as text, up to `maxBytes`: a larger body (declared or as it arrives) is refused with 413
 * and no more of it is read or kept.
 */
export function readBodyText(req: IncomingMessage, maxBytes: number): Promise<string> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) return Promise.reject(payloadTooLarge(maxBytes));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > maxBytes) {
        req.off('data', onData);
        req.pause();
        reject(payloadTooLarge(maxBytes));
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** The private key of the request, or a 401 in Klaviyo's words. */
export function authenticate(headers: IncomingHttpHeaders): string {
  const header = headers.authorization;
  if (!header)
    throw new KlaviyoHttpError(
      401,
      'not_authenticated',
      'Authentication credentials were not provided.',
      'Missing or invalid authorization scheme. Please use Klaviyo-API-Key.',
    );
  const match = KEY_HEADER.exec(header.trim());
  if (!match)
    throw new KlaviyoHttpError(
      401,
      'authentication_failed',
      'Incorrect authentication credentials.',
      'Incorrect authentication credentials: use `Authorization: Klaviyo-API-Key pk_...` with a private API key.',
    );
  return match[1]!;
}

export function checkRevision(headers: IncomingHttpHeaders): void {
  const revision = headers.revision;
  if (typeof revision !== 'string' || revision === '')
    throw invalid('The revision header is required (for example `revision: 2026-07-15`).', {
      parameter: 'revision',
    });
  if (!REVISION.test(revision) || Number.isNaN(Date.parse(revision.slice(0, 10))))
    throw invalid(`'${revision}' is not a valid revision; expected YYYY-MM-DD, for example 2026-07-15.`, {
      parameter: 'revision',
    });
}

/**
 * Parses and validates the JSON body of an operation that takes one. Returns undefined when the operation
 * takes no body (or an optional one was not sent).
 */
export function readBody(operation: KlaviyoOperation, headers: IncomingHttpHeaders, text: string): unknown {
  if (!operation.requestSchema) return undefined;
  if (text.trim() === '') {
    if (!operation.requestBodyRequired) return undefined;
    throw invalid('A JSON:API request body is required.', { pointer: '/' });
  }
  const mediaType = (headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (!JSON_TYPES.includes(mediaType))
    throw new KlaviyoHttpError(
      415,
      'unsupported_media_type',
      'Unsupported media type.',
      `Unsupported media type "${mediaType || '(none)'}" in request; use application/vnd.api+json.`,
    );
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    throw invalid(`JSON parse error - ${(error as Error).message}`, { pointer: '/' });
  }
  const result = klaviyoSchemaValidator().validate(operation.requestSchema, body);
  if (!result.ok)
    throw new KlaviyoHttpErrors(result.problems.map((p) => invalid(p.detail, { pointer: p.pointer })));
  return body;
}
