import { AuditEntry } from '@aftersales/domain';
import type * as z from 'zod';
import { pageOf } from './http.ts';

/**
 * Request and response bodies as named component schemas (`#/components/schemas/<key>`), so that a
 * client generated from the document gets one named type per body. Each capability names its own
 * bodies beside its routes (`registry/bodies.ts`…), at the HTTP layer: the domain schemas stay free of
 * HTTP concerns. zod's own `.meta({ id })` is what the generator (zod-to-openapi, in
 * openapi-document.ts) reads as the component's name.
 *
 * A field with a default in the domain schema is always in an answer: the document says so
 * (openapi-document.ts documents every answer `withDefaultsRequired`), and the Lambda, which builds no
 * document, does not build those schemas at all.
 */
export function named<T extends Record<string, z.ZodType>>(schemas: T): T {
  return Object.fromEntries(Object.entries(schemas).map(([id, s]) => [id, s.meta({ id })])) as T;
}

/** Bodies every capability's records share: the audit history. */
export const PlatformBodies = named({ AuditEntry });
export const AuditPage = pageOf(PlatformBodies.AuditEntry, 'AuditPage');
