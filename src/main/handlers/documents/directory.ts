// The agency directory cached offline, searched by name without diacritics or by organ id prefix.
import { cachedDirectory } from '../../../core/exchange/records.js';
import type { Db } from '../../../core/store/index.js';
import type { DirectoryEntryDto } from '../../../shared/ipc/documents.js';

/** "Ủy ban nhân dân Đà Nẵng" -> "uy ban nhan dan da nang": what a user types without a Vietnamese keyboard. */
export const foldText = (text: string): string =>
  text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();

export function searchDirectory(db: Db, query: string | undefined, limit = 200): { agencies: DirectoryEntryDto[]; total: number } {
  const all = cachedDirectory(db);
  const folded = foldText(query ?? '');
  const words = folded.split(' ').filter((w) => w.length > 0);
  const matches =
    words.length === 0
      ? all
      : all.filter((a) => {
          if (a.organId.toLowerCase().startsWith(folded)) return true;
          const name = foldText(a.name);
          return words.every((w) => name.includes(w));
        });
  return { agencies: matches.slice(0, limit), total: matches.length };
}
