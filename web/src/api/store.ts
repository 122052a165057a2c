import type { FetchResult, HttpClient, Versioned } from './client.ts';

/**
 * The API as seen from inside one store: every call under `/v1/stores/{storeId}` names the store, a
 * create sends an Idempotency-Key and a change sends the If-Match of the version it was made on. The
 * calls themselves live with their feature (`customers/api.ts`, `vehicles/api.ts`, …).
 */
export class StoreClient {
  constructor(
    readonly http: HttpClient,
    readonly storeId: string,
  ) {}

  /** The generated client: typed paths, parameters, bodies and answers. */
  get api() {
    return this.http.api;
  }

  /** Path parameters of the store, and of one record in it. */
  at<P extends object = object>(path?: P): { path: { storeId: string } & P } {
    return { path: { storeId: this.storeId, ...(path as P) } };
  }

  /** Parameters of a create: an Idempotency-Key makes it safe to retry (the same key answers the first result). */
  creating(idempotencyKey: string) {
    return { ...this.at(), header: { 'idempotency-key': idempotencyKey } };
  }

  /** Parameters of a change to a record read at `etag` (If-Match: a stale one is answered 409). */
  changing<P extends object>(etag: string, path: P) {
    return { ...this.at(path), header: { 'if-match': etag } };
  }

  /** A call's data, or its problem thrown as an `ApiError` (the one place: `HttpClient`). */
  data<T>(call: Promise<FetchResult<T>>): Promise<T> {
    return this.http.data(call);
  }

  /** As `data`, with the representation's ETag for a later change. */
  versioned<T>(call: Promise<FetchResult<T>>): Promise<Versioned<T>> {
    return this.http.versioned(call);
  }
}

/** One page of a list, as every list operation takes it. */
export type Paging = { cursor?: string; limit?: number };
