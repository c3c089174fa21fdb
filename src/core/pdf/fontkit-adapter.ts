// Lets @cantoo/pdf-lib subset fonts with @pdf-lib/fontkit (the fontkit installed here) instead of @cantoo/fontkit.
import fontkit from '@pdf-lib/fontkit';
import type { PDFDocument } from '@cantoo/pdf-lib';

type Fontkit = Parameters<PDFDocument['registerFontkit']>[0];
type Font = ReturnType<typeof fontkit.create>;
type Subset = ReturnType<Font['createSubset']>;

/**
 * @cantoo/pdf-lib calls `subset.encode()` when it exists (fontkit 2's one-shot encoder), else
 * `encodeStream()`. fontkit 1's subset also has an `encode(stream)`, an internal step that
 * fails without its stream argument, so the subset is handed over with the stream API only.
 */
const streamOnly = (subset: Subset): Pick<Subset, 'includeGlyph' | 'encodeStream'> & { readonly cff: unknown } => ({
  includeGlyph: (glyph) => subset.includeGlyph(glyph),
  encodeStream: () => subset.encodeStream(),
  get cff(): unknown {
    return (subset as Subset & { cff?: unknown }).cff;
  },
});

const withStreamSubsets = (font: Font): Font =>
  new Proxy(font, {
    get(target, property) {
      if (property === 'createSubset') return () => streamOnly(target.createSubset());
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });

// The two packages describe the same font API with separate type declarations.
export const compatibleFontkit = {
  create: (buffer: Uint8Array, postscriptName?: string) => withStreamSubsets(fontkit.create(buffer, postscriptName)),
} as unknown as Fontkit;
