import { OutboxError } from '../errors';

/** A finite number > 0 (an integer ≥ 1 when `integer`). */
export function positive(name: string, value: number, integer = false): number {
  const ok = integer ? Number.isInteger(value) && value >= 1 : Number.isFinite(value) && value > 0;
  if (!ok) throw new OutboxError('PB_OUTBOX_INVALID_OPTIONS', `${name} must be ${integer ? 'an integer ≥ 1' : 'a finite number > 0'} (got ${value}).`);
  return value;
}
