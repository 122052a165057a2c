import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { stack } from '../support/api.ts';

/**
 * The local server splits requests as AWS does (API Gateway's routes to the API function, the rest to
 * the web app), on the path Hono routes: a URL written another way reaches the same place.
 */
interface RawAnswer {
  status: number;
  contentType: string;
  body: string;
}

/** GET or POST with the request target exactly as given (fetch would normalise it first). */
function raw(method: string, target: string): Promise<RawAnswer> {
  const { hostname, port } = new URL(stack.url);
  return new Promise((resolve, reject) => {
    const req = request({ host: hostname, port, method, path: target }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
      });
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, contentType: res.headers['content-type'] ?? '', body }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

const problem = 'application/problem+json';

describe('the local server', () => {
  it('gives the API every spelling of an API path', async () => {
    // Prepare
    const spellings = [
      '/v1/me',
      '/%76%31/me', // percent-encoded
      '/web/../v1/me', // dot segments
      `${stack.url}/v1/me`, // absolute form
    ];
    // Act
    const answers = await Promise.all(spellings.map((target) => raw('GET', target)));
    // Assess: the API's 401 for a request without a token, each time
    for (const answer of answers) {
      expect(answer.status).toBe(401);
      expect(answer.contentType).toContain(problem);
    }
  });

  it('gives the web app everything else, and API Gateway’s GET-only paths only their GET', async () => {
    // Act
    const [config, deepLink, health, postHealth] = await Promise.all([
      raw('GET', '/config.json'),
      raw('GET', '/vehicles/veh_1'),
      raw('GET', '/health'),
      raw('POST', '/health'),
    ]);
    // Assess
    expect(config.status).toBe(200);
    expect(JSON.parse(config.body)).toMatchObject({ apiBase: '' });
    expect(deepLink.status).toBe(200);
    expect(deepLink.contentType).toContain('text/html');
    expect(health.status).toBe(200);
    expect(JSON.parse(health.body)).toMatchObject({ ok: true });
    // Not the API's problem document: in AWS no route takes it either.
    expect(postHealth.status).toBe(404);
    expect(postHealth.contentType).not.toContain(problem);
  });
});
