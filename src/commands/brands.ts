/**
 * `klaviyo-gitops brands [--dir marketing] [--json]`: the brands of the marketing directory, for CI matrices (one
 * job per brand, each with its own key: the repository secret named by the brand's `api_key_env`). Reads the
 * brand.yaml files only; a broken one refuses with its `path:line:col` finding rather than leaving a brand out.
 */
import { loadBrandConfigs } from '../project/brand-configs.js';
import type { CommandContext } from './command.js';
import { CommandError } from './errors.js';
import type { BrandsResult } from './results.js';
import { plural } from '../views/text/plural.js';

export interface BrandsOptions {
  dir: string;
}

export async function runBrands(options: BrandsOptions, ctx: CommandContext): Promise<BrandsResult> {
  const loaded = await loadBrandConfigs(ctx.cwd, options.dir);
  const errors = loaded.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0)
    throw new CommandError(
      'refused',
      `${plural(errors.length, 'brand file')} cannot be read; fix ${errors.length === 1 ? 'it' : 'them'} first`,
      {
        reason: 'validation-failed',
        diagnostics: errors,
      },
    );
  return {
    command: 'brands',
    brands: loaded.brands.map(({ brand, config }) => ({
      brand,
      name: config.name,
      accountId: config.account_id,
      secret: config.api_key_env,
    })),
  };
}
