// @vitest-environment happy-dom
// Every string of the document page exists in Vietnamese and English, and none is left empty or untranslated.
import { describe, expect, it } from 'vitest';
import { signingMessages } from '../../../src/renderer/src/signing/messages.js';

type Tree = { readonly [key: string]: string | Tree };

const leaves = (tree: Tree, prefix = ''): [string, string][] =>
  Object.entries(tree).flatMap(([key, value]) => (typeof value === 'string' ? [[`${prefix}${key}`, value] as [string, string]] : leaves(value, `${prefix}${key}.`)));

describe('document page strings', () => {
  it('have the same keys in both languages, all filled, with the same placeholders', () => {
    const vi = new Map(leaves(signingMessages.vi));
    const en = new Map(leaves(signingMessages.en));
    expect([...vi.keys()].sort()).toEqual([...en.keys()].sort());
    const placeholders = (text: string) => [...text.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();
    for (const [key, text] of vi) {
      expect(text.trim(), key).not.toBe('');
      expect(en.get(key)!.trim(), key).not.toBe('');
      expect(placeholders(en.get(key)!), key).toEqual(placeholders(text));
    }
    // Translated, not copied: only "Token “…”" reads the same (Vietnamese officials say "token" too).
    const same = [...vi].filter(([key, text]) => en.get(key) === text).map(([key]) => key);
    expect(same).toEqual(['token']);
  });
});
