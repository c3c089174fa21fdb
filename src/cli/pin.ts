// Reads the PIN from standard input for --pin-stdin: one line, never echoed, never kept after use.

export async function readPinFromStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  const text = Buffer.concat(chunks).toString('utf8');
  // Only the first line: scripts often pipe "PIN\n".
  return text.split(/\r?\n/)[0] ?? '';
}
