/** What a pull does for one resource: the files it writes, the edits it takes, the ones it cannot take and why. */
import type { ResourceKind } from '../plan.js';

export interface FileWrite {
  /** Display path, relative to the working directory. */
  file: string;
  text: string;
  created: boolean;
}

export interface PulledEdit {
  /** The file it is written into. */
  file: string;
  /** The planned change's path (`name`, `definition`, `steps.cart-1.data.message.subject_line`). */
  path: string;
  /** For the output: `name "VIP customers" -> "VIP shoppers"`. */
  what: string;
  /** The repository changed other parts of the same field: the next plan still changes it. */
  merged?: boolean;
}

export interface NotPulled {
  path?: string;
  reason: string;
}

export interface ResourcePull {
  kind: ResourceKind;
  key: string;
  writes: FileWrite[];
  pulled: PulledEdit[];
  notPulled: NotPulled[];
  /** Said once per resource in the output ("written standalone: ..."). */
  notes: string[];
  /** Change paths the pull itself brings into the next plan (a generated text part following new HTML). */
  follows: string[];
}

export function emptyPull(kind: ResourceKind, key: string): ResourcePull {
  return { kind, key, writes: [], pulled: [], notPulled: [], notes: [], follows: [] };
}

/** Nothing written: every edit of the resource reported with `reason`. */
export function refuseAll(out: ResourcePull, reason: string): ResourcePull {
  return {
    ...out,
    writes: [],
    pulled: [],
    notes: [],
    follows: [],
    notPulled: [...out.notPulled, ...out.pulled.map((p) => ({ path: p.path, reason }))],
  };
}

/** `"text"` for strings, the JSON otherwise, shortened for one output line. */
export function shown(value: unknown): string {
  const text = value === undefined ? '(none)' : JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
