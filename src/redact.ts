/** Removes Klaviyo private keys from text that is about to leave the process (logs, errors, comments). */
import type { Environment } from './config.js';

const PRIVATE_KEY_PATTERN = /\bpk_[A-Za-z0-9_-]{6,}/g;

export function redactSecrets(text: string, env: Environment = {}): string {
  let out = text.replace(PRIVATE_KEY_PATTERN, 'pk_***');
  for (const [name, value] of Object.entries(env)) {
    if (value && value.length >= 8 && /KEY|TOKEN|SECRET/i.test(name)) out = out.split(value).join('***');
  }
  return out;
}
