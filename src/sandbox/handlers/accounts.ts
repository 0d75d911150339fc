/** The account behind the key: what `get_accounts` answers (key check, organisation data for footers). */
import type { Handler, HandlerContext } from '../context.js';
import { listDocument, selfLink, singleDocument, type Resource } from '../documents.js';
import { notFound } from '../errors.js';
import { pathId } from './common.js';

function accountResource(ctx: HandlerContext): Resource {
  const id = ctx.account.id;
  return {
    type: 'account',
    id,
    attributes: {
      test_account: true,
      contact_information: {
        default_sender_name: 'Sandbox Store',
        default_sender_email: 'hello@example.com',
        website_url: 'https://example.com',
        organization_name: 'Sandbox Store',
        street_address: {
          address1: '1 Example Street',
          address2: null,
          city: 'Boston',
          region: 'MA',
          country: 'United States',
          zip: '02110',
        },
      },
      industry: null,
      timezone: 'UTC',
      preferred_currency: 'USD',
      public_api_key: id,
      locale: 'en-US',
    },
    links: { self: selfLink(ctx.baseUrl, 'accounts', id) },
  };
}

export const accountHandlers: Record<string, Handler> = {
  get_accounts: (req, ctx) => ({ status: 200, body: listDocument(req, [accountResource(ctx)]) }),
  get_account: (req, ctx) => {
    if (pathId(req) !== ctx.account.id) throw notFound('account', pathId(req));
    return { status: 200, body: singleDocument(req, accountResource(ctx)) };
  },
};
