import type { ComponentChildren, JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';

/** History routing: real paths (the server answers every unknown path with index.html). */
type Listener = () => void;
const listeners = new Set<Listener>();

function notify(): void {
  for (const l of listeners) l();
}

if (typeof window !== 'undefined') window.addEventListener('popstate', notify);

export function navigate(to: string, opts: { replace?: boolean } = {}): void {
  const current = location.pathname + location.search + location.hash;
  if (to === current) return;
  if (opts.replace) history.replaceState(null, '', to);
  else history.pushState(null, '', to);
  if (!opts.replace) window.scrollTo(0, 0);
  notify();
}

export interface Location {
  path: string;
  /**
   * The page's parameters: the query string's, and the fragment's (`#q=…`). A searched name or number
   * goes in the fragment, which browsers never send: it stays out of the server's and CDN's access logs.
   */
  query: URLSearchParams;
}

function read(): Location {
  const query = new URLSearchParams(location.search);
  for (const [name, value] of new URLSearchParams(location.hash.slice(1))) query.set(name, value);
  return { path: location.pathname.replace(/\/+$/, '') || '/', query };
}

/** `#q=…`: parameters that hold personal data, for links and `navigate` (see `Location.query`). */
export function privateParams(params: Record<string, string>): string {
  return `#${new URLSearchParams(params)}`;
}

export function useLocation(): Location {
  const [loc, setLoc] = useState(read);
  useEffect(() => {
    const l = () => setLoc(read());
    listeners.add(l);
    return () => void listeners.delete(l);
  }, []);
  return loc;
}

/** `/s/:storeId/customers/:id` against a path → the named segments, or null. */
export function matchPath(pattern: string, path: string): Record<string, string> | null {
  const p = pattern.split('/').filter(Boolean);
  const s = path.split('/').filter(Boolean);
  if (p.length !== s.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < p.length; i++) {
    const part = p[i]!;
    const seg = s[i]!;
    if (part.startsWith(':')) params[part.slice(1)] = decodeURIComponent(seg);
    else if (part !== seg) return null;
  }
  return params;
}

type LinkProps = JSX.HTMLAttributes<HTMLAnchorElement> & { href: string; children?: ComponentChildren };

/** An ordinary link (works with middle-click, long-press, open in new tab) that routes in-app on a plain click. */
export function Link({ href, onClick, ...rest }: LinkProps) {
  const handle = (e: JSX.TargetedMouseEvent<HTMLAnchorElement>) => {
    if (typeof onClick === 'function') onClick(e);
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    navigate(href);
  };
  return <a href={href} onClick={handle} {...rest} />;
}
