import { type CommonMessages, commonMessages } from '../i18n/common.ts';
import type { Locale } from '../i18n/format.ts';
import type { MessageTree } from '../i18n/messages.ts';
import { FEATURES } from './features.ts';

type Intersection<U> = (U extends unknown ? (u: U) => void : never) extends (i: infer I) => void ? I : never;

/** The whole dictionary of a language: the common strings and every feature's. */
export type Messages = CommonMessages & Intersection<(typeof FEATURES)[number]['messages']['en']>;

/** The parts of the dictionary, common first: what `DICTIONARIES` is built from. */
export const MESSAGE_PARTS: readonly { name: string; messages: Record<Locale, MessageTree> }[] = [
  { name: 'common', messages: commonMessages },
  ...FEATURES.map((f) => ({ name: f.name, messages: f.messages })),
];

function dictionary(locale: Locale): Messages {
  // The spread of a list has no intersection type; `Messages` is what each part's own type says it
  // holds, and a key two parts define is refused by app/messages.test.ts.
  return Object.assign({}, ...MESSAGE_PARTS.map((p) => p.messages[locale])) as Messages;
}

export const DICTIONARIES: Record<Locale, Messages> = { en: dictionary('en'), 'zh-CN': dictionary('zh-CN') };
