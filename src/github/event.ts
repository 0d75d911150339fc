/**
 * The workflow run the Action is in, as one typed object: which repository, which run (for links), and the
 * event that started it, reduced to what the commands need. The entry reads the `GITHUB_*` variables and the
 * event file; this module only parses, so a test can hand it any payload.
 */
import { CommandError } from '../commands/errors.js';

export type WorkflowEvent =
  | {
      kind: 'pull_request';
      number: number;
      headSha: string;
      baseRef: string;
      /** Opened from another repository: no secrets, a read-only token. */
      fromFork: boolean;
    }
  | { kind: 'push'; sha: string; ref: string }
  | { kind: 'schedule' }
  | { kind: 'workflow_dispatch'; ref: string }
  | {
      kind: 'workflow_run';
      runId: number;
      headSha: string;
      /** The event of the run that finished (`pull_request` for the review). */
      event: string;
    }
  | { kind: 'other'; name: string };

export interface RunContext {
  owner: string;
  repo: string;
  /** e.g. https://github.com */
  serverUrl: string;
  /** e.g. https://api.github.com */
  apiUrl: string;
  runId: string;
  /** The run's page, where its artifacts are. */
  runUrl: string;
  /** The commit the run checked out. */
  sha: string;
  event: WorkflowEvent;
}

export interface RunEnvironment {
  GITHUB_REPOSITORY?: string | undefined;
  GITHUB_SERVER_URL?: string | undefined;
  GITHUB_API_URL?: string | undefined;
  GITHUB_RUN_ID?: string | undefined;
  GITHUB_SHA?: string | undefined;
  GITHUB_REF?: string | undefined;
  GITHUB_EVENT_NAME?: string | undefined;
}

type Json = Record<string, unknown>;

const record = (value: unknown): Json =>
  value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : {};
const text = (value: unknown): string => (typeof value === 'string' ? value : '');

function parseEvent(name: string, payload: Json, env: RunEnvironment): WorkflowEvent {
  switch (name) {
    case 'pull_request':
    case 'pull_request_target': {
      const pull = record(payload.pull_request);
      const head = record(pull.head);
      const base = record(pull.base);
      const number = Number(pull.number ?? payload.number);
      if (!Number.isInteger(number) || number <= 0)
        throw new CommandError('usage', 'the pull_request event file has no pull request number');
      const headRepo = text(record(head.repo).full_name);
      const baseRepo = text(record(base.repo).full_name) || text(env.GITHUB_REPOSITORY);
      return {
        kind: 'pull_request',
        number,
        headSha: text(head.sha) || text(env.GITHUB_SHA),
        baseRef: text(base.ref),
        // A deleted fork has no head repository: treat it as a fork (no secrets either way).
        fromFork: headRepo === '' || headRepo.toLowerCase() !== baseRepo.toLowerCase(),
      };
    }
    case 'push':
      return {
        kind: 'push',
        sha: text(payload.after) || text(env.GITHUB_SHA),
        ref: text(payload.ref) || text(env.GITHUB_REF),
      };
    case 'schedule':
      return { kind: 'schedule' };
    case 'workflow_dispatch':
      return { kind: 'workflow_dispatch', ref: text(payload.ref) || text(env.GITHUB_REF) };
    case 'workflow_run': {
      const run = record(payload.workflow_run);
      return {
        kind: 'workflow_run',
        runId: Number(run.id),
        headSha: text(run.head_sha),
        event: text(run.event),
      };
    }
    default:
      return { kind: 'other', name };
  }
}

/** `payloadText`: the event file's content ('' when there is none, as in a local run). */
export function readRunContext(env: RunEnvironment, payloadText: string): RunContext {
  const [owner, repo] = text(env.GITHUB_REPOSITORY).split('/');
  let payload: Json = {};
  if (payloadText.trim() !== '') {
    try {
      payload = record(JSON.parse(payloadText));
    } catch {
      throw new CommandError('usage', 'the event file (GITHUB_EVENT_PATH) is not valid JSON');
    }
  }
  const serverUrl = (text(env.GITHUB_SERVER_URL) || 'https://github.com').replace(/\/+$/, '');
  const runId = text(env.GITHUB_RUN_ID);
  return {
    owner: owner ?? '',
    repo: repo ?? '',
    serverUrl,
    apiUrl: (text(env.GITHUB_API_URL) || 'https://api.github.com').replace(/\/+$/, ''),
    runId,
    runUrl: owner && repo && runId ? `${serverUrl}/${owner}/${repo}/actions/runs/${runId}` : '',
    sha: text(env.GITHUB_SHA),
    event: parseEvent(text(env.GITHUB_EVENT_NAME), payload, env),
  };
}
