// The exchange server process's one garbage-collector setting: room for the old generation in proportion to what lives in it, so V8 scavenges instead of marking the whole heap back to back.
import { setFlagsFromString } from 'node:v8';

/**
 * How far V8 lets the old generation grow past what survived the last full collection before it starts the next one:
 * 300% (four times what lived), where V8 by itself picks about twice.
 *
 * Why: Node 24 gives the young generation 32 MB semi-spaces on a machine with memory to spare, and V8 starts marking
 * the whole heap as soon as the old generation's room left is smaller than the young generation. With the server's
 * ~35 MB heap and V8's own limit (~75 MB) that is always: under exchange load the bundled server marked its whole heap
 * every ~200 ms (21–22 full collections in a 400-document run, each freeing about what a scavenge would have) and
 * hardly ever scavenged, its helper threads busier than its verification thread. With this setting: 5 full
 * collections, all at start. bench:exchange, three alternated pairs: server CPU per document 10.2–12.2 ms → 10.5–10.6
 * on SQLite, 13.9–15.8 → 12.9–13.0 on PostgreSQL; peak memory unchanged (about 360 MB either way).
 */
const SERVER_HEAP_GROWING_PERCENT = 300;

/**
 * Applies SERVER_HEAP_GROWING_PERCENT to this process (every isolate in it, the verification threads too). For a
 * process that runs the exchange server and nothing else (`vanthu server`): V8 reads the setting at each full
 * collection, so it may be set while running; it changes when collections happen, never what they keep.
 */
export function tuneHeapForServer(): void {
  setFlagsFromString(`--heap-growing-percent=${SERVER_HEAP_GROWING_PERCENT}`);
}
