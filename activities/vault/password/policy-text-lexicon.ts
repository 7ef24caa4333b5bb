/*
 * Words password-policy texts use, in English, French, German and Spanish. Written for
 * text that has been lower-cased and stripped of accents ("caractères" → "caracteres",
 * "Ziffer" → "ziffer"); "ß" survives that, so German patterns accept "ss" and "ß".
 * Patterns are regex sources, assembled by `policy-from-text.ts`.
 */

const NUMBER_WORDS: Readonly<Record<string, number>> = {
  one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10,
  eleven: 11, twelve: 12, thirteen: 13, fourteen: 14, fifteen: 15, sixteen: 16, twenty: 20, thirty: 30, twice: 2,
  un: 1, une: 1, deux: 2, trois: 3, quatre: 4, cinq: 5, sept: 7, huit: 8, neuf: 9, dix: 10,
  onze: 11, douze: 12, treize: 13, quatorze: 14, quinze: 15, seize: 16, vingt: 20, trente: 30,
  ein: 1, eine: 1, einen: 1, einem: 1, einer: 1, eins: 1, zwei: 2, drei: 3, vier: 4, funf: 5, sechs: 6,
  sieben: 7, acht: 8, neun: 9, zehn: 10, elf: 11, zwolf: 12, zwanzig: 20, dreissig: 30,
  uno: 1, una: 1, dos: 2, tres: 3, cuatro: 4, cinco: 5, seis: 6, siete: 7, ocho: 8, nueve: 9, diez: 10,
  doce: 12, trece: 13, catorce: 14, quince: 15, dieciseis: 16, veinte: 20, treinta: 30,
};

/** A count: digits or a number word. Capturing. */
export const NUM = `(\\d{1,3}|${Object.keys(NUMBER_WORDS).sort((a, b) => b.length - a.length).join('|')})`;
/** The same without the capturing group. */
export const NUM_NC = NUM.replace(/^\(/, '(?:');

export function toNumber(text: string): number | undefined {
  if (/^\d+$/.test(text)) return Number(text);
  return NUMBER_WORDS[text];
}

/** Articles that mean "one" in front of a class: "a number", "une majuscule". */
export const ARTICLE = '(?:a|an|one|un|une|ein|eine|einen|einem|einer|uno|una)';

/** What a length is counted in. */
export const CHAR_NOUN = '(?:characters?|chars?|caracteres?|caractere|caracter|zeichen|signes?)';

/** Phrases whose negation is really a bound: "no more than 20 characters" is a maximum. */
export const BOUND_REWRITES: ReadonlyArray<readonly [RegExp, string]> = [
  [/\b(?:no|not) (?:more|longer) than\b/g, 'at most'],
  [/\b(?:no|not) (?:fewer|less|shorter) than\b/g, 'at least'],
  [/\bpas plus de\b/g, 'au plus'],
  [/\bpas moins de\b/g, 'au moins'],
  [/\bnicht mehr als\b/g, 'hochstens'],
  [/\bnicht weniger als\b/g, 'mindestens'],
  [/\bno mas de\b/g, 'como maximo'],
  [/\bno menos de\b/g, 'al menos'],
  // "number of characters" and "phone number" are not digits.
  [/\b(?:the )?number of\b/g, 'count of'],
  [/\b(?:phone|telephone|account|card|mobile) numbers?\b/g, 'identifier'],
  [/\bnumeros? de (?:telephone|telefono)\b/g, 'identifier'],
  [/\btelefonnummer\b/g, 'identifier'],
  [/\bnumero de\b/g, 'cantidad de'],
];

export const MIN_CUE =
  '(?:at least|a minimum of|minimum of|minimum|min|au moins|au minimum|minimum de|mindestens|mind|minimal|al menos|por lo menos|como minimo|minimo de|minimo)';
/** "more than 7 characters" means at least 8. */
export const MIN_EXCLUSIVE_CUE = '(?:more than|longer than|greater than|over|plus de|mehr als|mas de)';
export const MIN_AFTER = '(?:or more|or longer|minimum|min|at least|au minimum|ou plus|oder mehr|mindestens|o mas|como minimo|long|lang|de long)';
export const MAX_CUE =
  '(?:at most|a maximum of|maximum of|maximum|max|up to|au plus|au maximum|maximum de|jusqu\'a|hochstens|maximal|bis zu|como maximo|maximo de|maximo|hasta)';
/** "fewer than 21 characters" means at most 20. */
export const MAX_EXCLUSIVE_CUE = '(?:less than|fewer than|shorter than|under|moins de|weniger als|menos de)';
export const MAX_AFTER = '(?:or fewer|or less|maximum|max|at most|au maximum|ou moins|hochstens|maximal|o menos|como maximo)';
export const EXACT_CUE = '(?:exactly|exactement|genau|exactamente)';
export const RANGE_START = '(?:between|entre|zwischen|from|de|von)';
export const RANGE_JOIN = '(?:-|to|and|et|a|und|bis|y)';
export const MIN_LENGTH_NOUN = '(?:minimum length|min length|longueur minimale|longueur minimum|mindestlange|minimale lange|longitud minima)';
export const MAX_LENGTH_NOUN = '(?:maximum length|max length|longueur maximale|longueur maximum|maximallange|hochstlange|maximale lange|longitud maxima)';

/** Words that make a clause about runs of one repeated character. */
export const REPEAT_CUE =
  '(?:identical|same|repeat(?:ed|ing|s)?|in a row|in succession|successive|consecutive(?:ly)?|identiques?|memes?|a la suite|d\'affilee|consecuti(?:f|fs|ve|ves)|successi(?:f|fs|ve|ves)|repetes?|gleiche[nrs]?|identische[nrs]?|hintereinander|aufeinanderfolgende?[nrs]?|in folge|nacheinander|wiederholte?[nrs]?|identic[oa]s|iguales|consecutiv[oa]s|seguid[oa]s|repetid[oa]s)';
/** Words that make "consecutive" about sequences (abc, 123), which we do not model. */
export const SEQUENCE_CUE = '(?:sequen|suite logique|fortlaufend|secuencia|abc|123|qwerty)';
export const SAME_CUE = '(?:identical|same|repeat|identique|meme|repete|gleich|identisch|wiederhol|identic|igual|repetid)';

/** A clause that forbids what follows: "no spaces", "ne doit pas contenir", "keine", "sin". */
export const NEGATION =
  "(?:no|not|never|without|cannot|can't|cant|mustn't|shouldn't|don't|doesn't|pas|sans|aucun|aucune|jamais|kein|keine|keinen|keiner|nicht|ohne|niemals|sin|ningun|ninguna|nunca)";
/** A clause that forbids what came before: "spaces are not allowed". */
export const NEGATION_AFTER =
  "(?:not (?:allowed|permitted|accepted|supported|valid)|forbidden|prohibited|disallowed|invalid|illegal|interdit(?:e|s|es)?|pas (?:autorise|accepte|permis)(?:e|s|es)?|non autorise(?:e|s|es)?|nicht (?:erlaubt|zulassig|gestattet)|unzulassig|verboten|ungultig|no (?:estan )?permitid[oa]s?|no se permiten|prohibid[oa]s?|no validos?|invalidos?)";
/** "only letters and numbers": the classes named are all that is allowed. */
export const ONLY =
  '(?:only|solely|exclusively|uniquement|seulement|exclusivement|nur|ausschliesslich|ausschließlich|solo|solamente|unicamente|exclusivamente)';
/** Permission, not obligation: "may contain symbols", "special characters are allowed". */
export const PERMISSIVE =
  '(?:may|can|could|optional(?:ly)?|allowed|permitted|accepted|recommended|encouraged|suggested|peut|peuvent|autorise(?:e|s|es)?|accepte(?:e|s|es)?|facultati(?:f|fs|ve|ves)|recommande|darf|durfen|kann|konnen|erlaubt|optional|empfohlen|puede|pueden|permitid[oa]s?|opcional(?:es)?|recomendad[oa]s?)';
export const OBLIGATION =
  '(?:must|should|need|needs|required|requires|require|have to|has to|at least|doit|doivent|au moins|dont|muss|mussen|mindestens|debe|deben|al menos|tiene que)';

/** "cannot start with a number", "doit commencer par une lettre". */
export const START_CUE =
  '(?:start|starts|begin|begins|first character|commencer|commence|debuter|premier caractere|beginnen|beginnt|anfangen|erste[s]? zeichen|empezar|empieza|comenzar|comienza|primer caracter)';
export const END_CUE =
  '(?:end|ends|last character|finir|finit|terminer|termine|dernier caractere|enden|endet|letzte[s]? zeichen|terminar|termina|acabar|ultimo caracter)';

/** Phrases that introduce examples, not the complete list: "such as !@#". */
export const EXAMPLE_CUE =
  '(?:such as|like|eg|for example|for instance|including|incl|ie|comme|tels? que|telles? que|par exemple|pex|wie|zb|zum beispiel|etwa|como|por ejemplo|tales como|pej)';

/** Character classes, most specific first. `letter` means either case. */
export const CLASS_WORDS: ReadonlyArray<readonly [kind: CharacterKind, source: string]> = [
  [
    'both',
    '(?:upper[\\s-]*(?:case)?[\\s-]*(?:and|&|/|or)[\\s-]*lower[\\s-]*case|lower[\\s-]*(?:case)?[\\s-]*(?:and|&|/|or)[\\s-]*upper[\\s-]*case|mixed[\\s-]?case|gro(?:ss|ß)-?\\s*(?:und|&|/)\\s*kleinbuchstaben|(?:lettres? )?majuscules?\\s*(?:et|&|/)\\s*(?:des |une )?minuscules?|(?:letras? )?mayusculas?\\s*(?:y|&|/)\\s*(?:una |las )?minusculas?)(?: letters?| characters?)?',
  ],
  [
    'special',
    '(?:non[\\s-]?alpha[\\s-]?numeric(?:al)?(?: characters?)?|special[\\s-]*(?:characters?|chars?|symbols?)?|symbols?|punctuation(?: marks?)?|caracteres? speciaux|caractere special|symboles?|sonderzeichen|caracteres? especiales?|caracter especial|simbolos?)',
  ],
  ['alnum', '(?:alpha[\\s-]?numeric(?:al)?(?: characters?)?|alphanumeriques?|alphanumerische[nrs]?|alfanumeric[oa]s?)'],
  [
    'upper',
    '(?:upper[\\s-]*case(?: letters?| characters?| chars?)?|upper(?! than| limit| bound)|capital(?: letters?)?|capitals|caps|(?:lettres? |caracteres? )?majuscules?|gro(?:ss|ß)buchstaben?|versalien|(?:letras? )?mayusculas?)',
  ],
  [
    'lower',
    '(?:lower[\\s-]*case(?: letters?| characters?| chars?)?|lower(?! than| limit| bound)|small letters?|(?:lettres? |caracteres? )?minuscules?|kleinbuchstaben?|(?:letras? )?minusculas?)',
  ],
  ['digit', '(?:numbers?|numerals?|numeric(?:al)?(?: characters?)?|digits?|chiffres?|ziffern?|zahlen?|zahl|numeros?|digitos?)'],
  ['letter', '(?:letters?|lettres?|buchstaben?|letras?|alphabetic(?:al)?(?: characters?)?)'],
  ['space', '(?:spaces?|whitespaces?|white spaces?|blanks?|espaces?|leerzeichen|espacios?(?: en blanco)?)'],
];

export type CharacterKind = 'both' | 'special' | 'alnum' | 'upper' | 'lower' | 'digit' | 'letter' | 'space';
