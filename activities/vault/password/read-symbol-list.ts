import { toCharSet } from './char-set.js';
import { wordRegex } from './policy-text-regex.js';
import { EXAMPLE_CUE } from './policy-text-lexicon.js';

export interface SymbolList {
  chars: string;
  /** The list is all that is accepted ("one of: ! # $"), not examples ("such as !@#"). */
  complete: boolean;
}

/**
 * A list of symbols after "special character": "(!@#$%)", ": ! # $", "such as !@#".
 * After a colon, "one of", or in parentheses the list is complete; after "such as" it
 * only gives examples, which we still prefer — they are certain to be accepted.
 */
export function readSymbolList(after: string): SymbolList | undefined {
  let text = after.trimStart();
  let complete = false;
  const example = wordRegex(`^\\(?\\s*${EXAMPLE_CUE}\\s*:?`).exec(text);
  if (example) {
    text = text.slice(example[0].length);
  } else if (text.startsWith('(')) {
    const close = text.lastIndexOf(')');
    text = close > 0 ? text.slice(1, close) : text.slice(1);
    complete = true;
  } else {
    const introduction = /^(?::|(?:from|of|among|parmi|aus|de)\s+(?:the following|these|this list|la liste|der liste|los siguientes)?\s*:?)/.exec(text);
    if (introduction) {
      text = text.slice(introduction[0].length);
      complete = true;
    }
  }
  const chars = readSymbolTokens(text, { stopAtWord: true });
  // A lone "-" after a class word is more likely a dash than a list.
  if (!chars || (!complete && chars.length < 2)) return undefined;
  return { chars, complete };
}

const CONNECTORS = new Set(['and', 'or', 'et', 'ou', 'und', 'oder', 'y', 'o', 'the', 'symbols', 'symbol']);

/** Tokens made only of ASCII symbols ("!@#", "-", "&"), commas between them dropped. */
export function readSymbolTokens(text: string, { stopAtWord }: { stopAtWord: boolean }): string {
  let chars = '';
  const tokens = text.split(/\s+/).filter(Boolean);
  for (const [i, raw] of tokens.entries()) {
    if (CONNECTORS.has(raw)) continue;
    let token = raw.length > 1 && raw.endsWith(',') ? raw.slice(0, -1) : raw;
    // A dot glued to the last symbol ends the sentence; dropping it only makes us stricter.
    if (i === tokens.length - 1 && token.length > 1 && token.endsWith('.')) token = token.slice(0, -1);
    if (/^[!-\/:-@[-`{-~]+$/.test(token)) chars += token;
    else if (stopAtWord) break;
  }
  return toCharSet(chars);
}
