/**
 * `klaviyo-gitops init --brand NAME --account-id ID`: a new brand's folder, ready for `import` to fill from the
 * account: brand.yaml with the keys a brand must have (the sender and design tokens as placeholders to set
 * before the first apply) and the empty flows/, templates/, segments/ and lists/ folders. A repository without
 * a marketing directory gets one with the root config. The brand is written to a scratch folder beside its
 * place and moved in at once, so a failure leaves nothing half-written and an existing brand is never touched.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { writeFileAtomic } from '../atomic-write.js';
import { FALLBACK_KEY_VARIABLE } from '../config.js';
import { ROOT_CONFIG_FILE, suggestKey } from '../project/loader.js';
import { KEY_PATTERN } from '../project/model.js';
import type { CommandContext } from './command.js';
import { CommandError, usageError } from './errors.js';
import { showPath } from './repository-root.js';
import type { InitResult } from './results.js';

export interface InitCommandOptions {
  dir: string;
  brand: string | undefined;
  accountId: string | undefined;
}

/** Klaviyo's public account id: six letters and digits (schemas/brand.schema.json). */
const ACCOUNT_ID = /^[A-Za-z0-9]{6}$/;
const BRAND_FOLDERS = ['flows', 'templates', 'segments', 'lists'] as const;

/** `KLAVIYO_API_KEY_ACME_EU` for brand `acme-eu`: the variable the brand's key is read from. */
export function keyVariableFor(brand: string): string {
  return `${FALLBACK_KEY_VARIABLE}_${brand.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
}

function titleOf(brand: string): string {
  return brand
    .split('-')
    .filter(Boolean)
    .map((word) => word[0]!.toUpperCase() + word.slice(1))
    .join(' ');
}

/** brand.yaml: what import and validate need; placeholders say so on their line. */
export function brandYaml(brand: string, accountId: string): string {
  return [
    `name: ${titleOf(brand)}`,
    `account_id: ${accountId}`,
    `api_key_env: ${keyVariableFor(brand)}`,
    "# Placeholders below: set them to the brand's own before the first apply.",
    'sender:',
    `  from_email: hello@${brand}.example`,
    `  from_label: ${titleOf(brand)}`,
    'postal_address: Street, City, Country',
    'tokens:',
    "  color_primary: '#222222'",
    "  color_accent: '#0066CC'",
    "  color_background: '#FFFFFF'",
    "  color_text: '#222222'",
    '  font_family: Arial, Helvetica, sans-serif',
    `  logo_url: https://${brand}.example/logo.png`,
    '  logo_width: 120',
    'tone:',
    '  greeting: Hi',
    '  sign_off: Thank you',
    '',
  ].join('\n');
}

function checkOptions(options: InitCommandOptions): { brand: string; accountId: string } {
  const { brand, accountId } = options;
  if (!brand) throw usageError('init needs --brand NAME (the brand folder to create, e.g. acme-eu)');
  if (!KEY_PATTERN.test(brand))
    throw usageError(
      `--brand '${brand}' is not a valid brand name: use lowercase letters, digits and dashes, starting with a letter or digit (e.g. '${suggestKey(brand)}')`,
    );
  if (!accountId)
    throw usageError(
      "init needs --account-id ID (the brand's Klaviyo public account id: six letters and digits, in Klaviyo under Settings > Account)",
    );
  if (!ACCOUNT_ID.test(accountId))
    throw usageError(
      `--account-id '${accountId}' is not a Klaviyo public account id: it is six letters and digits`,
    );
  return { brand, accountId };
}

export async function runInit(options: InitCommandOptions, ctx: CommandContext): Promise<InitResult> {
  const { brand, accountId } = checkOptions(options);
  const marketing = resolve(ctx.cwd, options.dir);
  const brands = join(marketing, 'brands');
  const place = join(brands, brand);
  const shown = (path: string): string => showPath(ctx.cwd, path);
  if (existsSync(place))
    throw new CommandError(
      'refused',
      `${shown(place)} exists already; init never overwrites a brand (pick another --brand, or import into it with \`klaviyo-gitops import --brand ${brand}\`)`,
    );

  const written: string[] = [];
  const rootConfig = join(marketing, ROOT_CONFIG_FILE);
  if (!existsSync(rootConfig)) {
    await writeFileAtomic(rootConfig, '# klaviyo-gitops root configuration.\nversion: 1\n');
    written.push(shown(rootConfig));
  }
  await mkdir(brands, { recursive: true });
  const scratch = await mkdtemp(join(brands, `.init-${brand}-`));
  try {
    await writeFile(join(scratch, 'brand.yaml'), brandYaml(brand, accountId));
    // Git keeps no empty folder: a dotfile keeps each (the loader skips dotfiles).
    for (const folder of BRAND_FOLDERS) {
      await mkdir(join(scratch, folder));
      await writeFile(join(scratch, folder, '.gitkeep'), '');
    }
    // A rename onto an existing folder fails: a brand created meanwhile is not replaced either.
    await rename(scratch, place);
  } catch (error) {
    await rm(scratch, { recursive: true, force: true });
    if (existsSync(place))
      throw new CommandError('refused', `${shown(place)} appeared meanwhile; init never overwrites a brand`);
    throw new CommandError(
      'failed',
      `cannot create ${shown(place)}: ${(error as Error).message}; nothing was written there`,
    );
  }
  written.push(shown(join(place, 'brand.yaml')), ...BRAND_FOLDERS.map((f) => `${shown(join(place, f))}/`));
  return { command: 'init', brand, accountId, keyVariable: keyVariableFor(brand), written };
}
