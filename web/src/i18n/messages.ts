import type { Locale } from './format.ts';

/**
 * How a part of the app writes its strings: plain messages (`'customer.title'`, with `{vars}`) and
 * groups of labels by value (`roles`, `powertrains`, …). Each feature keeps its own in its folder
 * (`messages.ts`); the app composes them with the common ones (`common.ts`) into one dictionary per
 * language (`app/messages.ts`).
 */
export type MessageTree = { readonly [key: string]: string | { readonly [value: string]: string } };

/** One part's strings in every language. */
export type Bilingual<M extends MessageTree> = Record<Locale, M>;

/**
 * English defines the keys; zh-CN must have exactly the same ones, groups included: a key missing in
 * either language, or one only zh-CN has, fails the typecheck.
 */
export function defineMessages<M extends MessageTree>(messages: {
  en: M;
  'zh-CN': NoInfer<M>;
}): Bilingual<M> {
  return messages;
}
