import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type ApiClient, createApiClient } from '@aftersales/api-client';
import { DEMO_OEM_CLIENTS } from '@aftersales/seed';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, eventually, stack, useStackEnv } from '../support/api.ts';
import { type Claim, submittedClaim } from '../support/claims.ts';
import { demo, uniqueSuffix } from '../support/demo.ts';

/**
 * The manufacturer's side, as an OEM builds it from the published document alone: a client generated
 * from /openapi.json (packages/api-client) signed in with client credentials, a webhook endpoint that
 * checks every signature with the reference `standardwebhooks` package, and a claim taken from the
 * dealer's submission to payment and the part's return. One OEM never sees or decides another's claim;
 * a dealer never decides its own.
 */
beforeAll(() => useStackEnv());

const FAW = 'oem_FAWVOLKSWAGEN';
const SAIC = 'oem_SAICVOLKSWAGEN';

async function clientToken(clientId: string, clientSecret: string): Promise<string> {
  const res = await fetch(`${stack.url}/dev-idp/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: clientId,
      client_secret: clientSecret,
    }),
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { access_token: string }).access_token;
}

async function oemClient(index: 0 | 1): Promise<ApiClient> {
  const c = DEMO_OEM_CLIENTS[index]!;
  const token = await clientToken(c.clientId, c.clientSecret);
  return createApiClient({ baseUrl: stack.url, accessToken: () => token });
}

/** The OEM's webhook receiver: verifies each delivery as the OEM would, keeps the verified payloads. */
class Receiver {
  readonly verified: { id: string; type: string; data: { claimId: string; status: string } }[] = [];
  failures = 0;
  private server!: Server;
  private hook: Webhook | undefined;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        try {
          const payload = this.hook?.verify(body, {
            'webhook-id': String(req.headers['webhook-id']),
            'webhook-timestamp': String(req.headers['webhook-timestamp']),
            'webhook-signature': String(req.headers['webhook-signature']),
          }) as { type: string; data: { claimId: string; status: string } };
          this.verified.push({ id: String(req.headers['webhook-id']), ...payload });
          res.writeHead(204).end();
        } catch {
          this.failures += 1;
          res.writeHead(400).end();
        }
      });
    });
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/claims-hook`;
  }

  secret(secret: string): void {
    this.hook = new Webhook(secret);
  }

  about(claimId: string, type: string) {
    return this.verified.filter((v) => v.data.claimId === claimId && v.type === type);
  }

  stop(): Promise<void> {
    return new Promise((r) => {
      this.server.closeAllConnections();
      this.server.close(() => r());
    });
  }
}

const receiver = new Receiver();
let faw: ApiClient;
let saic: ApiClient;
let endpointId = '';

beforeAll(async () => {
  await receiver.start();
  [faw, saic] = await Promise.all([oemClient(0), oemClient(1)]);
  const created = await faw.POST('/v1/oems/{oemId}/webhook-endpoints', {
    params: { path: { oemId: FAW } },
    body: {
      url: receiver.url,
      description: `claims ${uniqueSuffix()}`,
      eventTypes: ['claim.submitted', 'claim.decided', 'claim.paid'],
    },
  });
  expect(created.response.status, JSON.stringify(created.error)).toBe(201);
  receiver.secret(created.data!.secret);
  endpointId = created.data!.id;
}, 60_000);

afterAll(async () => {
  if (endpointId) {
    const ep = await faw.GET('/v1/oems/{oemId}/webhook-endpoints/{endpointId}', {
      params: { path: { oemId: FAW, endpointId } },
    });
    const etag = ep.response.headers.get('etag') ?? '"1"';
    await faw.DELETE('/v1/oems/{oemId}/webhook-endpoints/{endpointId}', {
      params: { path: { oemId: FAW, endpointId }, header: { 'if-match': etag } },
    });
  }
  await receiver.stop();
});

const storeClaim = (id: string) =>
  call<Claim>(demo.claimsSpecialistA, 'GET', `/v1/stores/${demo.storeA}/claims/${id}`).then((r) => r.body);

describe('the OEM API, as a generated client uses it', () => {
  it('takes a claim from submission to payment and the part’s return, announcing each change signed', async () => {
    // Prepare: the dealer submits
    const claim = await submittedClaim();
    const path = { oemId: FAW, claimId: claim.id };

    // Act / Assess: the OEM pulls it, and its endpoint was told, verifiably
    const received = await eventually(async () => {
      const got = await faw.GET('/v1/oems/{oemId}/claims/{claimId}', { params: { path } });
      return got.response.status === 200 ? got.data : undefined;
    });
    expect(received).toMatchObject({
      id: claim.id,
      status: 'submitted',
      storeId: demo.storeA,
      vin: expect.any(String),
    });
    expect(received?.lines[0]).toMatchObject({
      labour: [{ code: 'BRK-03' }],
      causalPart: expect.any(Object),
    });
    // …with the dealer's sealed photo behind a short-lived link
    expect(received?.photoLinks).toHaveLength(1);
    const photo = await fetch(received!.photoLinks![0]!.url);
    expect(photo.status).toBe(200);
    expect((await photo.arrayBuffer()).byteLength).toBeGreaterThan(0);
    await eventually(async () => (receiver.about(claim.id, 'claim.submitted').length > 0 ? true : undefined));
    const changed = await faw.GET('/v1/oems/{oemId}/claims', {
      params: {
        path: { oemId: FAW },
        query: { changedSince: new Date(Date.now() - 60_000).toISOString(), limit: 100 },
      },
    });
    expect(changed.data?.items.map((c) => c.id)).toContain(claim.id);

    // The OEM partly accepts, with a key: a retry replays, it does not decide again
    const lineId = received!.lines[0]!.id;
    const approved = Math.floor(received!.lines[0]!.claimedMinor * 0.75);
    const decision = {
      outcome: 'partly_accepted' as const,
      lines: [
        {
          lineId,
          approvedMinor: approved,
          adjustments: [
            {
              reason: 'EXCESS_LABOUR_HOURS' as const,
              amountMinor: received!.lines[0]!.claimedMinor - approved,
            },
          ],
        },
      ],
    };
    const key = `decide-${uniqueSuffix()}`;
    const first = await faw.POST('/v1/oems/{oemId}/claims/{claimId}/decisions', {
      params: { path, header: { 'idempotency-key': key } },
      body: decision,
    });
    const retry = await faw.POST('/v1/oems/{oemId}/claims/{claimId}/decisions', {
      params: { path, header: { 'idempotency-key': key } },
      body: decision,
    });
    expect(first.response.status, JSON.stringify(first.error)).toBe(200);
    expect(first.data).toMatchObject({ status: 'partly_accepted', decision: { approvedMinor: approved } });
    expect(retry.response.status).toBe(200);
    expect(retry.response.headers.get('idempotent-replayed')).toBe('true');

    // The dealer's claim records the decision, and the OEM's endpoint hears of it once
    await eventually(async () =>
      (await storeClaim(claim.id)).status === 'partly_accepted' ? true : undefined,
    );
    expect((await storeClaim(claim.id)).decision).toMatchObject({
      outcome: 'partly_accepted',
      reasons: ['EXCESS_LABOUR_HOURS'],
    });
    await eventually(async () => (receiver.about(claim.id, 'claim.decided').length > 0 ? true : undefined));

    // The part comes back: asked, shipped by the dealer, received
    const partId = received!.parts[0]!.id;
    const asked = await faw.POST('/v1/oems/{oemId}/claims/{claimId}/part-requests', {
      params: { path },
      body: { partId, withinDays: 10 },
    });
    expect(asked.response.status, JSON.stringify(asked.error)).toBe(200);
    await eventually(async () =>
      (await storeClaim(claim.id)).parts[0]?.status === 'return_requested' ? true : undefined,
    );
    const asking = await call<{ items: Claim[] }>(
      demo.claimsSpecialistA,
      'GET',
      `/v1/stores/${demo.storeA}/claims/parts-asked`,
    );
    expect(asking.body.items.map((c) => c.id)).toContain(claim.id);
    const shipped = await call(
      demo.claimsSpecialistA,
      'POST',
      `/v1/stores/${demo.storeA}/claims/${claim.id}/parts/${partId}/shipments`,
      {
        body: { reference: 'SF1234567890' },
      },
    );
    expect(shipped.status, shipped.text).toBe(200);
    await eventually(async () => {
      const got = await faw.GET('/v1/oems/{oemId}/claims/{claimId}', { params: { path } });
      return got.data?.parts[0]?.status === 'shipped' ? true : undefined;
    });
    const receipt = await faw.POST('/v1/oems/{oemId}/claims/{claimId}/part-receipts', {
      params: { path },
      body: { partId },
    });
    expect(receipt.response.status, JSON.stringify(receipt.error)).toBe(200);

    // Paid, at most what was approved
    const over = await faw.POST('/v1/oems/{oemId}/claims/{claimId}/payments', {
      params: { path },
      body: { creditNote: 'CN-TEST-1', amountMinor: approved + 1 },
    });
    expect(over.response.status).toBe(400);
    const paid = await faw.POST('/v1/oems/{oemId}/claims/{claimId}/payments', {
      params: { path },
      body: { creditNote: 'CN-TEST-1', amountMinor: approved },
    });
    expect(paid.response.status, JSON.stringify(paid.error)).toBe(200);
    await eventually(async () => ((await storeClaim(claim.id)).status === 'paid' ? true : undefined));
    const final = await storeClaim(claim.id);
    expect(final.payment).toMatchObject({ creditNote: 'CN-TEST-1', amountMinor: approved });
    expect(final.parts[0]?.status).toBe('received');
    await eventually(async () => (receiver.about(claim.id, 'claim.paid').length > 0 ? true : undefined));
    // every delivery verified; none announced twice
    expect(receiver.failures).toBe(0);
    const ids = receiver.verified.filter((v) => v.data.claimId === claim.id).map((v) => v.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('decides once when two identical decisions race without a key', async () => {
    const claim = await submittedClaim();
    const path = { oemId: FAW, claimId: claim.id };
    await eventually(async () => {
      const got = await faw.GET('/v1/oems/{oemId}/claims/{claimId}', { params: { path } });
      return got.response.status === 200 ? true : undefined;
    });
    const both = await Promise.all(
      [0, 1].map(() =>
        faw.POST('/v1/oems/{oemId}/claims/{claimId}/decisions', {
          params: { path },
          body: { outcome: 'accepted' },
        }),
      ),
    );
    expect(both.map((r) => r.response.status).sort()).toEqual([200, 409]);
    await eventually(async () => ((await storeClaim(claim.id)).status === 'accepted' ? true : undefined));
    const history = await call<{ items: { action: string }[] }>(
      demo.claimsSpecialistA,
      'GET',
      `/v1/stores/${demo.storeA}/claims/${claim.id}/history?limit=50`,
    );
    expect(history.body.items.filter((e) => e.action === 'oem_decide')).toHaveLength(1);
  });

  it('lists by one filter at a time, and says so naming both when asked for two', async () => {
    // Act
    const both = await faw.GET('/v1/oems/{oemId}/claims', {
      params: {
        path: { oemId: FAW },
        query: { status: 'submitted', changedSince: new Date(Date.now() - 60_000).toISOString() },
      },
    });
    const one = await faw.GET('/v1/oems/{oemId}/claims', {
      params: { path: { oemId: FAW }, query: { status: 'submitted', limit: 5 } },
    });

    // Assess: a 400 naming each filter, never a page quietly filtered by the first
    expect(both.response.status).toBe(400);
    const problem = both.error as { fieldErrors?: { path: string; code?: string }[] } | undefined;
    expect(problem?.fieldErrors?.map((f) => [f.path, f.code])).toEqual([
      ['query.status', 'ONE_SEARCH_AT_A_TIME'],
      ['query.changedSince', 'ONE_SEARCH_AT_A_TIME'],
    ]);
    expect(one.response.status).toBe(200);
    expect(one.data?.items.every((c) => c.status === 'submitted')).toBe(true);
  });

  it('keeps each OEM to its own claims, and the dealer off the OEM’s routes', async () => {
    const claim = await submittedClaim();
    await eventually(async () => {
      const got = await faw.GET('/v1/oems/{oemId}/claims/{claimId}', {
        params: { path: { oemId: FAW, claimId: claim.id } },
      });
      return got.response.status === 200 ? true : undefined;
    });
    // SAIC-VW asks for FAW-VW's claim in its own partition: not there; in FAW's path: not its OEM
    const own = await saic.GET('/v1/oems/{oemId}/claims/{claimId}', {
      params: { path: { oemId: SAIC, claimId: claim.id } },
    });
    const other = await saic.GET('/v1/oems/{oemId}/claims/{claimId}', {
      params: { path: { oemId: FAW, claimId: claim.id } },
    });
    const decide = await saic.POST('/v1/oems/{oemId}/claims/{claimId}/decisions', {
      params: { path: { oemId: SAIC, claimId: claim.id } },
      body: { outcome: 'accepted' },
    });
    const list = await saic.GET('/v1/oems/{oemId}/claims', {
      params: { path: { oemId: SAIC }, query: { limit: 100 } },
    });
    expect(own.response.status).toBe(404);
    expect(other.response.status).toBe(404);
    expect(decide.response.status).toBe(404);
    expect(list.data?.items.map((c) => c.id)).not.toContain(claim.id);
    // The dealer cannot decide its own claim: the OEM's routes do not exist for it
    const dealer = await call(
      demo.claimsSpecialistA,
      'POST',
      `/v1/oems/${FAW}/claims/${claim.id}/decisions`,
      {
        body: { outcome: 'accepted' },
      },
    );
    expect(dealer.status).toBe(404);
    expect((await storeClaim(claim.id)).status).toBe('submitted');
  });
});
