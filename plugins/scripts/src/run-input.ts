import * as path from 'node:path';
import { ScriptsError } from './errors';

/*
 * Checks of what a run is given (options, directories, payload), before anything runs: each
 * refusal is a ScriptsError naming the bad value.
 */

/** `value` when it is a positive number of milliseconds (or Infinity). */
export function positiveMs(value: number, name: string): number {
  if (typeof value !== 'number' || Number.isNaN(value) || value <= 0) {
    throw new ScriptsError('PB_SCRIPTS_INVALID_OPTIONS', `${name} must be a positive number of milliseconds (or Infinity), got ${String(value)}.`);
  }
  return value;
}

/** The base directories, resolved; an empty or NUL-containing path is refused. */
export function checkDirectories(dirs: readonly string[]): string[] {
  if (!Array.isArray(dirs)) throw new ScriptsError('PB_SCRIPTS_INVALID_OPTIONS', 'directories must be an array of directory paths.');
  return dirs.map((dir) => {
    if (typeof dir !== 'string' || dir.length === 0 || dir.includes('\0')) {
      throw new ScriptsError('PB_SCRIPTS_INVALID_OPTIONS', `Handler base directory ${JSON.stringify(dir)} is not a usable path; give a non-empty path.`);
    }
    return path.resolve(dir);
  });
}

/** The payload's JSON text for the steps' stdin. */
export function serializePayload(event: string, payload: unknown): string {
  let json: string | undefined;
  try {
    json = JSON.stringify(payload);
  } catch (cause) {
    throw new ScriptsError('PB_SCRIPTS_INVALID_PAYLOAD', `Payload of event "${event}" cannot be serialized to JSON; pass plain data (no cycles, no BigInt).`, { cause });
  }
  if (json === undefined) {
    throw new ScriptsError('PB_SCRIPTS_INVALID_PAYLOAD', `Payload of event "${event}" has no JSON form (undefined or a function); pass a JSON value, usually an object.`);
  }
  return json;
}

/** `raw` when it is the text of a JSON object, as every NethServer event payload is. */
export function checkRawPayload(event: string, raw: string): string {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (cause) {
    throw new ScriptsError('PB_SCRIPTS_INVALID_PAYLOAD', `Raw payload of event "${event}" is not JSON; pass the message text as received, e.g. {"field": "value"}.`, { cause });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ScriptsError('PB_SCRIPTS_INVALID_PAYLOAD', `Raw payload of event "${event}" must be a JSON object such as {"field": "value"}.`);
  }
  return raw;
}

