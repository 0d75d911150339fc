import type { components } from '../generated/openapi.js';
import { KlaviyoError } from '../transport/errors.js';
import { callOptions, seg, type CallOptions, type ResourceContext } from './context.js';
import type {
  ProfileImportBody,
  ProfileImportJob,
  SubscribeBody,
  SuppressBody,
  SuppressJob,
  UnsubscribeBody,
  UnsuppressBody,
  UnsuppressJob,
} from './types.js';

type S = components['schemas'];

export interface PollOptions extends CallOptions {
  /** Time between polls; default 2 s. */
  intervalMs?: number;
  /** Give up after this long; default 10 min. */
  maxWaitMs?: number;
}

const FINISHED = new Set(['complete', 'cancelled']);

/** Profile bulk jobs: import, subscribe, unsubscribe, suppress, unsuppress. All are safe to retry. */
export class BulkJobsApi {
  constructor(private readonly ctx: ResourceContext) {}

  /** Starts a profile import job (up to 10,000 profiles, 5 MB). */
  async importProfiles(body: ProfileImportBody, options?: CallOptions): Promise<ProfileImportJob> {
    const doc = await this.ctx.transport.request<S['PostProfileImportJobResponse']>({
      method: 'POST',
      path: '/api/profile-bulk-import-jobs',
      body,
      ...callOptions(options),
    });
    return doc.data;
  }

  async getImportJob(jobId: string, options?: CallOptions): Promise<ProfileImportJob> {
    const doc = await this.ctx.transport.request<S['GetProfileImportJobResponseCompoundDocument']>({
      method: 'GET',
      path: `/api/profile-bulk-import-jobs/${seg(jobId)}`,
      ...callOptions(options),
    });
    return doc.data;
  }

  /** Polls an import job until it is complete or cancelled. */
  waitForImportJob(jobId: string, options: PollOptions = {}): Promise<ProfileImportJob> {
    return this.poll(() => this.getImportJob(jobId, options), 'get_bulk_import_profiles_job', jobId, options);
  }

  /** Subscribes up to 1,000 profiles (202, no job to poll: Klaviyo offers no job GET for it). */
  async subscribe(body: SubscribeBody, options?: CallOptions): Promise<void> {
    await this.ctx.transport.request<undefined>({
      method: 'POST',
      path: '/api/profile-subscription-bulk-create-jobs',
      body,
      ...callOptions(options),
    });
  }

  /** Unsubscribes up to 100 profiles. Profiles not in the given list are unsubscribed globally. */
  async unsubscribe(body: UnsubscribeBody, options?: CallOptions): Promise<void> {
    await this.ctx.transport.request<undefined>({
      method: 'POST',
      path: '/api/profile-subscription-bulk-delete-jobs',
      body,
      ...callOptions(options),
    });
  }

  async suppress(body: SuppressBody, options?: CallOptions): Promise<SuppressJob | undefined> {
    const doc = await this.ctx.transport.request<
      S['PostBulkProfileSuppressionsCreateJobResponse'] | undefined
    >({
      method: 'POST',
      path: '/api/profile-suppression-bulk-create-jobs',
      body,
      ...callOptions(options),
    });
    return doc?.data;
  }

  async getSuppressJob(jobId: string, options?: CallOptions): Promise<SuppressJob> {
    const doc = await this.ctx.transport.request<S['GetBulkProfileSuppressionsCreateJobResponse']>({
      method: 'GET',
      path: `/api/profile-suppression-bulk-create-jobs/${seg(jobId)}`,
      ...callOptions(options),
    });
    return doc.data;
  }

  waitForSuppressJob(jobId: string, options: PollOptions = {}): Promise<SuppressJob> {
    return this.poll(
      () => this.getSuppressJob(jobId, options),
      'get_bulk_suppress_profiles_job',
      jobId,
      options,
    );
  }

  async unsuppress(body: UnsuppressBody, options?: CallOptions): Promise<UnsuppressJob | undefined> {
    const doc = await this.ctx.transport.request<
      S['PostBulkProfileSuppressionsRemoveJobResponse'] | undefined
    >({
      method: 'POST',
      path: '/api/profile-suppression-bulk-delete-jobs',
      body,
      ...callOptions(options),
    });
    return doc?.data;
  }

  private async poll<T extends { attributes: { status: string } }>(
    get: () => Promise<T>,
    operationId: string,
    jobId: string,
    options: PollOptions,
  ): Promise<T> {
    const { clock } = this.ctx;
    const interval = options.intervalMs ?? 2000;
    const deadline = clock.now() + (options.maxWaitMs ?? 10 * 60_000);
    for (;;) {
      const job = await get();
      if (FINISHED.has(job.attributes.status)) return job;
      if (clock.now() + interval > deadline) {
        throw new KlaviyoError(`Job ${jobId} is still ${job.attributes.status} after waiting`, {
          operationId,
          method: 'GET',
          path: `job ${jobId}`,
        });
      }
      await clock.sleep(interval, options.signal);
    }
  }
}
