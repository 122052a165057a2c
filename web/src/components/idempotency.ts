import { useRef } from 'preact/hooks';
import { newIdempotencyKey } from '../api/client.ts';

/**
 * The `Idempotency-Key` of a create form: sending the same content again (a retry after a lost answer,
 * a double click) reuses its key, so the server replays the first create; changed content is a new
 * create with a new key, which the server would otherwise refuse as a reused key.
 */
export function useIdempotencyKey(): (content: unknown) => string {
  const last = useRef<{ body: string; key: string } | null>(null);
  return (content) => {
    const body = JSON.stringify(content);
    if (last.current?.body !== body) last.current = { body, key: newIdempotencyKey() };
    return last.current.key;
  };
}
