/**
 * The HTTP side of the sandbox: one pipeline per request, in Klaviyo's order — URL, faults, route, key,
 * revision, rate limit, body (size-capped), handler — then persistence and the answer (or a lost answer, when a
 * fault says so). A write runs on a journaled view of its account (./write-journal.ts): a write that fails, or
 * whose changes cannot be saved, is rolled back record by record, so memory never holds what the file lacks.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { matchOperation, pathExists, type MatchedOperation } from '../klaviyo/spec/index.js';
import { KLAVIYO_REVISION } from '../klaviyo/revision.js';
import type { AccountRegistry } from './account-registry.js';
import { isoStamp, type EventDetail, type HandlerContext } from './context.js';
import { errorDocument, KlaviyoHttpError, KlaviyoHttpErrors } from './errors.js';
import type { Fault, FaultInjector, FaultKind } from './faults.js';
import { handlers } from './handlers/index.js';
import type { RateLimiter } from './rate-limits.js';
import { authenticate, checkRevision, readBody, readBodyText, requestUrl } from './request-checks.js';
import { forgetIndexes } from './indexes.js';
import type { AccountState } from './store.js';
import { beginWrite, type AccountChanges, type WriteJournal } from './write-journal.js';

export interface RequestLogEntry {
  method: string;
  path: string;
  operationId?: string;
  accountId?: string;
  /** The status sent, or what happened instead of an answer. */
  outcome: number | 'dropped' | 'hung' | 'lost-response';
  fault?: FaultKind;
}

export interface ServerDeps {
  registry: AccountRegistry;
  limiter: RateLimiter;
  faults: FaultInjector;
  clock: { now(): number };
  templateCap: number;
  eventDetail: EventDetail;
  /** Bodies above this are answered 413 unread. */
  maxBodyBytes: number;
  /** Saves one write's changed records; throws when it cannot (the write is then rolled back). */
  persist: (changes: AccountChanges) => void;
  log: RequestLogEntry[];
  baseUrl: () => string;
}

const WRITES = new Set(['POST', 'PATCH', 'PUT', 'DELETE']);

function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  if (res.destroyed) return;
  const payload = body === undefined ? undefined : JSON.stringify(body);
  res.writeHead(status, {
    ...headers,
    ...(payload !== undefined ? { 'Content-Type': 'application/vnd.api+json' } : {}),
  });
  res.end(payload);
}

function errorAnswer(error: unknown): { status: number; body: unknown } {
  if (error instanceof KlaviyoHttpErrors)
    return { status: error.errors[0]?.status ?? 400, body: errorDocument(error.errors) };
  if (error instanceof KlaviyoHttpError) return { status: error.status, body: errorDocument([error]) };
  const detail = `The sandbox failed: ${error instanceof Error ? error.message : String(error)}`;
  return {
    status: 500,
    body: errorDocument([new KlaviyoHttpError(500, 'error', 'A server error occurred.', detail)]),
  };
}

function throttled(retryAfterSeconds: number): KlaviyoHttpError {
  return new KlaviyoHttpError(
    429,
    'throttled',
    'Request was throttled.',
    `Request was throttled. Expected available in ${retryAfterSeconds} second${retryAfterSeconds === 1 ? '' : 's'}.`,
  );
}

function injectedError(fault: Fault): KlaviyoHttpError | undefined {
  if (fault.kind === 'throttle') return throttled(1);
  if (fault.kind !== 'server-error') return undefined;
  return fault.status === 503
    ? new KlaviyoHttpError(
        503,
        'service_unavailable',
        'Service unavailable.',
        'The service is temporarily unavailable.',
      )
    : new KlaviyoHttpError(500, 'error', 'A server error occurred.', 'A server error occurred.');
}

/** Puts back what a failed write touched; indexes over restored records are rebuilt on their next use. */
function rollBack(account: AccountState, journal: WriteJournal): void {
  forgetIndexes(account, journal.rollback());
}

function notSaved(error: unknown): KlaviyoHttpError {
  const reason = error instanceof Error ? error.message : String(error);
  return new KlaviyoHttpError(
    500,
    'error',
    'A server error occurred.',
    `The sandbox could not save its state, so the change was not made: ${reason}`,
  );
}

export function createSandboxServer(deps: ServerDeps): Server {
  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = (req.method ?? 'GET').toUpperCase();
    let url: URL;
    try {
      url = requestUrl(req.url, deps.baseUrl());
    } catch (error) {
      deps.log.push({ method, path: '(malformed)', outcome: 400 });
      const { status, body } = errorAnswer(error);
      return send(res, status, body);
    }
    const entry: RequestLogEntry = { method, path: url.pathname, outcome: 0 };
    const answer = (status: number, body: unknown, headers?: Record<string, string>): void => {
      entry.outcome = status;
      deps.log.push(entry);
      send(res, status, body, headers);
    };

    if (!url.pathname.startsWith('/api/')) {
      if (method === 'GET' && url.pathname === '/')
        return answer(200, { sandbox: 'klaviyo-gitops', revision: KLAVIYO_REVISION });
      return answer(404, errorDocument([new KlaviyoHttpError(404, 'not_found', 'Not found.', 'Not found.')]));
    }

    const fault = deps.faults.next();
    if (fault.kind !== 'none') entry.fault = fault.kind;
    if (deps.faults.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, deps.faults.latencyMs));
    const injected = injectedError(fault);
    if (injected)
      return answer(
        injected.status,
        errorDocument([injected]),
        fault.kind === 'throttle' ? { 'Retry-After': '1' } : {},
      );
    if (fault.kind === 'hang') {
      entry.outcome = 'hung';
      deps.log.push(entry);
      return; // never answered; closed with the server
    }
    if (fault.kind === 'drop') {
      entry.outcome = 'dropped';
      deps.log.push(entry);
      req.socket.destroy();
      return;
    }

    let match: MatchedOperation | undefined;
    let rateHeaders: Record<string, string> = {};
    let account: AccountState | undefined;
    try {
      match = matchOperation(method, url.pathname);
      if (!match) {
        if (pathExists(url.pathname))
          throw new KlaviyoHttpError(
            405,
            'method_not_allowed',
            'Method not allowed.',
            `Method "${method}" not allowed.`,
          );
        throw new KlaviyoHttpError(
          404,
          'not_found',
          'Not found.',
          `No endpoint ${url.pathname} in revision ${KLAVIYO_REVISION}.`,
        );
      }
      entry.operationId = match.operation.operationId;
      const apiKey = authenticate(req.headers);
      checkRevision(req.headers);
      account = deps.registry.forKey(apiKey);
      entry.accountId = account.id;
      const nowMs = deps.clock.now();
      const admission = deps.limiter.admit(
        account.id,
        match.operation.operationId,
        match.operation.rateLimit,
        nowMs,
      );
      if (admission.kind === 'throttled') {
        const error = throttled(admission.retryAfterSeconds);
        return answer(429, errorDocument([error]), { 'Retry-After': String(admission.retryAfterSeconds) });
      }
      rateHeaders = admission.headers;
      const body = readBody(match.operation, req.headers, await readBodyText(req, deps.maxBodyBytes));
      const handler = handlers[match.operation.operationId];
      if (!handler)
        throw new KlaviyoHttpError(
          501,
          'not_implemented',
          'Not implemented.',
          `The local sandbox does not implement ${match.operation.operationId}.`,
        );
      const journal = WRITES.has(method) ? beginWrite(account) : undefined;
      const ctx: HandlerContext = {
        account: journal?.account ?? account,
        nowMs,
        now: isoStamp(nowMs),
        baseUrl: deps.baseUrl(),
        templateCap: deps.templateCap,
        eventDetail: deps.eventDetail,
      };
      let result;
      try {
        result = handler({ operation: match.operation, params: match.pathParams, url, body }, ctx);
      } catch (error) {
        if (journal) rollBack(account, journal); // a refused write changes nothing
        throw error;
      }
      if (result.status < 300) {
        if (journal) {
          try {
            deps.persist(journal.changes());
          } catch (error) {
            rollBack(account, journal);
            throw notSaved(error);
          }
        }
        deps.limiter.recordSuccess(account.id, match.operation.operationId, nowMs);
      } else if (journal) rollBack(account, journal);
      if (fault.kind === 'lost-response') {
        entry.outcome = 'lost-response';
        deps.log.push(entry);
        req.socket.destroy();
        return;
      }
      return answer(result.status, result.body, rateHeaders);
    } catch (error) {
      const { status, body } = errorAnswer(error);
      // The rest of an oversized body is never read: close the connection instead of draining it.
      return answer(status, body, status === 413 ? { ...rateHeaders, Connection: 'close' } : rateHeaders);
    }
  }

  return createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      const { status, body } = errorAnswer(error);
      send(res, status, body);
    });
  });
}
