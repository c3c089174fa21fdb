// `vanthu draft render DRAFT.json -o OUT.pdf [--json]`: lays a draft out in the Decree 30 form and writes the PDF.
import { renderDraftDetailed } from '../../core/drafting/index.js';
import { VanthuError } from '../../shared/errors.js';
import { readInput, writeAtomically } from '../files.js';
import { EXIT_OK, EXIT_USAGE, printError, usageError, parseCommand } from '../output.js';
import { usageOf } from '../usage.js';

const USAGE = usageOf('draft render');

export async function draftRender(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommand({ args: argv, allowPositionals: true, options: { out: { type: 'string', short: 'o' }, json: { type: 'boolean', default: false } } }, USAGE);
  if (positionals.length !== 1 || !values.out) throw usageError(USAGE);
  const source = positionals[0]!;
  let input: unknown;
  try {
    input = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(await readInput(source)));
  } catch (error) {
    if (error instanceof VanthuError) throw error;
    throw new VanthuError('BAD_INPUT', { detail: `${source}: not UTF-8 JSON / không phải JSON UTF-8 (${error instanceof Error ? error.message : String(error)})` }, { cause: error });
  }
  let rendered;
  try {
    rendered = await renderDraftDetailed(input);
  } catch (error) {
    // Text the font cannot show, or a table row taller than a page: the draft must change, so exit 2 like other bad input.
    if (error instanceof VanthuError && (error.code === 'DRAFT_GLYPH_MISSING' || error.code === 'DRAFT_BLOCK_TOO_TALL')) {
      printError(error, values.json);
      return EXIT_USAGE;
    }
    throw error;
  }
  await writeAtomically(values.out, rendered.pdf);
  const { pageCount: pages } = rendered;
  if (values.json) process.stdout.write(`${JSON.stringify({ ok: true, out: values.out, bytes: rendered.pdf.length, pages })}\n`);
  else process.stdout.write(`Đã tạo / written: ${values.out} (${pages} trang / pages)\n`);
  return EXIT_OK;
}
