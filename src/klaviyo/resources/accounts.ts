import type { components } from '../generated/openapi.js';
import { KlaviyoError } from '../transport/errors.js';
import { callOptions, type CallOptions, type ResourceContext } from './context.js';
import type { Account } from './types.js';

export class AccountsApi {
  constructor(private readonly ctx: ResourceContext) {}

  /** The account the key belongs to: id, contact information (sender, address), timezone, currency. */
  async get(options?: CallOptions): Promise<Account> {
    const doc = await this.ctx.transport.request<components['schemas']['GetAccountResponseCollection']>({
      method: 'GET',
      path: '/api/accounts',
      ...callOptions(options),
    });
    const account = doc.data[0];
    if (!account) {
      throw new KlaviyoError('GET /api/accounts returned no account for this key', {
        operationId: 'get_accounts',
        method: 'GET',
        path: '/api/accounts',
        status: 200,
      });
    }
    return account;
  }
}
