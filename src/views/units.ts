/**
 * Quantities and times as a person says them in every view: `1 day`, `7 days`, `until 11:00`. Klaviyo spells
 * units either way (`days` on a delay, `day` on re-entry) and times as `HH:MM:SS`.
 */

/** `7 days`, `1 day`, from a count and a unit in either number. */
export function quantity(n: unknown, unit: string): string {
  const singular = unit.endsWith('s') ? unit.slice(0, -1) : unit;
  return `${String(n)} ${n === 1 || n === '1' ? singular : `${singular}s`}`;
}

/** `11:00` for Klaviyo's `11:00:00`; seconds only when there are any. */
export function clockTime(value: unknown): string {
  const text = String(value);
  return /^\d{2}:\d{2}:00$/.test(text) ? text.slice(0, 5) : text;
}
