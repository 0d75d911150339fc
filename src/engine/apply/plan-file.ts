/**
 * Reading a reviewed plan (`apply --plan output/plan.json`): valid JSON, the plan schema, and fingerprints that
 * still match the content. A plan edited after it was made is refused: its fingerprints no longer add up.
 */
import { readFile } from 'node:fs/promises';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import planSchema from '../../../schemas/plan.schema.json' with { type: 'json' };
import { PLAN_FORMAT_VERSION, verifyFingerprints, type Plan } from '../plan.js';

/** The plan file cannot be used; nothing was read from Klaviyo or written. */
export class PlanFileError extends Error {
  override readonly name = 'PlanFileError';
}

let validate: ReturnType<Ajv['compile']> | undefined;

export function parsePlan(text: string, path: string): Plan {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new PlanFileError(`${path}: not a JSON plan (${(error as Error).message})`);
  }
  const version = (value as { version?: unknown } | null)?.version;
  if (version !== PLAN_FORMAT_VERSION)
    throw new PlanFileError(
      `${path}: plan format version ${String(version)}; this klaviyo-gitops reads version ${PLAN_FORMAT_VERSION}`,
    );
  if (!validate) {
    const ajv = new Ajv({ allErrors: false, strict: false });
    addFormats.default(ajv, ['date-time']);
    validate = ajv.compile(planSchema);
  }
  if (!validate(value)) {
    const first = validate.errors?.[0];
    throw new PlanFileError(
      `${path}: not a valid plan: ${first ? `${first.instancePath || '/'} ${first.message ?? ''}`.trim() : 'schema check failed'}`,
    );
  }
  const plan = value as Plan;
  if (!verifyFingerprints(plan))
    throw new PlanFileError(
      `${path}: the plan was edited after it was made (its fingerprints do not match its content); refusing to apply it`,
    );
  return plan;
}

export async function readPlanFile(path: string, displayPath = path): Promise<Plan> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new PlanFileError(
      code === 'ENOENT' ? `${displayPath}: no such plan file` : `${displayPath}: ${(error as Error).message}`,
    );
  }
  return parsePlan(text, displayPath);
}
