// "Pull now" pokes for server-sent events: in-process for SQLite, through PostgreSQL NOTIFY so every server process hears them.
import { EventEmitter } from 'node:events';
import { sql } from 'kysely';
import type { ServerDatabase } from '../db/connect.js';

export type PokeKind = 'inbox' | 'status';
/** The NOTIFY channel every server process listens on (PostgreSQL). */
export const POKE_CHANNEL = 'vanthu_poke';

/** A poke's NOTIFY payload; a statement may send it itself (submit.ts), delivered at its commit like any NOTIFY. */
export const pokePayload = (organId: string, kind: PokeKind): string => JSON.stringify({ organId, kind });

export class Poker {
  private readonly emitter = new EventEmitter();
  private stopListening: (() => Promise<void>) | undefined;

  private constructor(private readonly database: ServerDatabase) {
    // One listener per open event stream; a busy agency may hold many.
    this.emitter.setMaxListeners(0);
  }

  static async start(database: ServerDatabase): Promise<Poker> {
    const poker = new Poker(database);
    if (database.listen) poker.stopListening = await database.listen(POKE_CHANNEL, (payload) => poker.deliver(payload));
    return poker;
  }

  private deliver(payload: string): void {
    try {
      const { organId, kind } = JSON.parse(payload) as { organId: string; kind: PokeKind };
      this.emitter.emit(organId, kind);
    } catch {
      // Someone else's NOTIFY on our channel: not ours to act on.
    }
  }

  /** Called after the commit of what the poke announces; a lost poke only delays a client until its next poll. */
  async notify(organIds: string[], kind: PokeKind): Promise<void> {
    for (const organId of new Set(organIds)) {
      const payload = pokePayload(organId, kind);
      if (this.database.listen) await sql`select pg_notify(${POKE_CHANNEL}, ${payload})`.execute(this.database.db).catch(() => undefined);
      else this.deliver(payload);
    }
  }

  subscribe(organId: string, listener: (kind: PokeKind) => void): () => void {
    this.emitter.on(organId, listener);
    return () => this.emitter.off(organId, listener);
  }

  async close(): Promise<void> {
    this.emitter.removeAllListeners();
    await this.stopListening?.();
  }
}
