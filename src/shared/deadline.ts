// Deadlines of incoming documents in Vietnam-time calendar days: overdue, due soon (within 2 days) or not yet.
import { vietnamToday } from './vietnam-date.js';

/** "Sắp đến hạn" from this many days before the deadline (the deadline day itself included). */
export const DUE_SOON_DAYS = 2;

export type DeadlineStatus = 'overdue' | 'soon' | 'later';

const dayNumber = (iso: string): number => {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  return Date.UTC(y, m - 1, d) / 86_400_000;
};

/** Whole calendar days from today (Vietnam time) to the deadline: 0 on the day, negative once past. */
export function daysLeft(deadline: string, now: Date = new Date()): number {
  return dayNumber(deadline) - dayNumber(vietnamToday(now));
}

/** Overdue once the deadline day is over in Vietnam; due soon from two days before it. */
export function deadlineStatus(deadline: string, now: Date = new Date()): DeadlineStatus {
  const left = daysLeft(deadline, now);
  if (left < 0) return 'overdue';
  return left <= DUE_SOON_DAYS ? 'soon' : 'later';
}
