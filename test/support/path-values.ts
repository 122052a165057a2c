import type { OpenApiDoc, Operation } from './openapi.ts';

/**
 * Values for the path parameters of every documented route, derived from the document itself so that
 * a new route is covered by the suites that call every route without anyone editing them:
 *
 * - a value the suite knows (its tenants, records it made for the test) is used as is;
 * - a parameter whose schema is an enum takes its first value (`{role}`);
 * - an item id (`…/widgets/{widgetId}`) is read from its collection's own list operation
 *   (`GET …/widgets`, `items[0].id`) in the victim tenant; an id whose parent path lists nothing
 *   (`…/links/{customerId}`) is read from the collection that the document identifies by the same
 *   parameter (`GET …/customers`, from `…/customers/{customerId}`).
 *
 * What cannot be derived is an error that says what to add: never a skipped route.
 */

/** A GET as a caller that holds `permission` in the victim tenant. */
export type ListReader = (
  path: string,
  permission: string | undefined,
) => Promise<{ status: number; body: unknown; text?: string }>;

export interface PathValues {
  /** `/v1/stores/{storeId}/x/{xId}` or the app's `/v1/stores/:storeId/x/:xId` → a concrete path. */
  fill(template: string): Promise<string>;
  /** The ids read from list operations so far (the tenancy suite must not see them leak). */
  derived(): string[];
}

/**
 * Ids no list reads, that every suite may use as they are: a photo is read by its id from its order's
 * walk-around, and an id of no photo is answered like one of another store's (404 or 409 with a code).
 */
const FIXED: Readonly<Record<string, string>> = { photoId: 'pho_01JD0000000000000000000000' };

const PARAM = /^(?:\{(\w+)\}|:(\w+))$/;
const paramOf = (segment: string) => {
  const m = PARAM.exec(segment);
  return m ? (m[1] ?? m[2]) : undefined;
};

export function pathValues(
  doc: OpenApiDoc,
  known: Readonly<Record<string, string>>,
  read: ListReader,
): PathValues {
  const lists = new Map<string, Promise<string>>();
  const derived = new Set<string>();

  const paramSchema = (name: string) =>
    Object.values(doc.paths)
      .flatMap((item) => Object.values(item))
      .flatMap((op) => op.parameters ?? [])
      .find((p) => p.in === 'path' && p.name === name)?.schema;

  /** `{ prefix (template), list operation }` of the collections whose items `{name}` identifies. */
  const collectionsOf = (name: string) =>
    Object.keys(doc.paths)
      .filter((p) => p.endsWith(`/{${name}}`))
      .map((p) => p.slice(0, -`/{${name}}`.length))
      .flatMap((prefix) => {
        const list = doc.paths[prefix]?.get;
        return list ? [{ prefix, list }] : [];
      });

  async function firstItemId(prefix: string, list: Operation, name: string, where: string) {
    const path = await fillSegments(prefix.split('/'), where);
    const query = new URLSearchParams();
    // A look-up that needs one of several query parameters gets one with a fixed value (`recent=true`).
    const needed = list['x-exactly-one-of'];
    if (needed) {
      const choice = list.parameters?.find((p) => needed.includes(p.name) && p.schema?.enum?.length);
      if (!choice)
        throw new Error(
          `path values: to find a {${name}} for ${where}, GET ${prefix} needs one of ${needed.join(', ')}, none of which is an enum; give the suite a known {${name}}`,
        );
      query.set(choice.name, String(choice.schema?.enum?.[0]));
    }
    const url = query.size ? `${path}?${query}` : path;
    const memo = lists.get(url);
    if (memo) return memo;
    const pending = read(url, list['x-permission']).then((res) => {
      const id = (res.body as { items?: { id?: unknown }[] } | undefined)?.items?.[0]?.id;
      if (res.status !== 200 || typeof id !== 'string')
        throw new Error(
          `path values: {${name}} for ${where} comes from GET ${url}, which answered ${res.status} with no items[0].id${res.text ? ` (${res.text.slice(0, 200)})` : ''}; seed at least one in the demo data (packages/seed) or give the suite a known {${name}}`,
        );
      derived.add(id);
      return id;
    });
    lists.set(url, pending);
    return pending;
  }

  async function parameterValue(
    segments: string[],
    index: number,
    name: string,
    where: string,
  ): Promise<string> {
    const given = known[name] ?? FIXED[name];
    if (given !== undefined) return given;
    const choices = paramSchema(name)?.enum;
    if (choices?.length) return String(choices[0]);
    // Its own collection first (the ids of a nested collection depend on its parent's), else any
    // collection the document identifies by this parameter.
    const own = segments
      .slice(0, index)
      .map((s) => (paramOf(s) ? `{${paramOf(s)}}` : s))
      .join('/');
    const ownList = doc.paths[own]?.get;
    const source = ownList ? { prefix: own, list: ownList } : collectionsOf(name)[0];
    if (!source)
      throw new Error(
        `path values: cannot derive {${name}} in ${where}: no list operation reads one (declare GET ${own} answering { items: [{ id }] }), nor does the suite know one`,
      );
    return firstItemId(source.prefix, source.list, name, where);
  }

  async function fillSegments(segments: string[], where: string): Promise<string> {
    const out: string[] = [];
    for (const [i, segment] of segments.entries()) {
      const name = paramOf(segment);
      out.push(name ? encodeURIComponent(await parameterValue(segments, i, name, where)) : segment);
    }
    return out.join('/');
  }

  return {
    fill: (template) => fillSegments(template.split('/'), template),
    derived: () => [...derived],
  };
}
