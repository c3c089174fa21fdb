// Reads the DER times of X.509 revocation data: UTCTime (two-digit years, RFC 5280's rule) and GeneralizedTime, in UTC.
import { DerError, type DerElement } from '../cms/der.js';

const UTC_TIME = 0x17;
const GENERALIZED_TIME = 0x18;

/** A UTCTime or GeneralizedTime ending in "Z" (fractions of a second allowed), as RFC 5280 writes them. */
export function readTime(element: DerElement | undefined, what: string): Date {
  if (!element || (element.tag !== UTC_TIME && element.tag !== GENERALIZED_TIME)) throw new DerError(`${what} is not a time`);
  const text = Buffer.from(element.content).toString('latin1');
  const pattern = element.tag === UTC_TIME ? /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?Z$/ : /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(?:[.,](\d+))?Z$/;
  const match = pattern.exec(text);
  if (!match) throw new DerError(`${what} "${text}" is not a UTC time`);
  const [, yearText, month, day, hour, minute, second = '00', fraction] = match;
  let year = Number(yearText);
  // RFC 5280 4.1.2.5.1: two-digit years 50-99 are 19xx, 00-49 are 20xx.
  if (element.tag === UTC_TIME) year += year >= 50 ? 1900 : 2000;
  const millis = fraction ? Math.floor(Number(`0.${fraction}`) * 1000) : 0;
  return new Date(Date.UTC(year, Number(month) - 1, Number(day), Number(hour), Number(minute), Number(second), millis));
}
