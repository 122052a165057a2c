import { beforeAll, describe, expect, it } from 'vitest';
import { call, useStackEnv } from '../support/api.ts';
import { type Claim, claimableOrder, claimsDesk } from '../support/claims.ts';
import { demo } from '../support/demo.ts';

/**
 * 索赔 in the store: a claim filed from a settled order's warranty line, the OEM's pre-check mended,
 * submitted; a line on one live claim at a time; the archive's searches; and what the store may not do.
 */
beforeAll(() => useStackEnv());

const { base, act } = claimsDesk();

describe('a warranty claim from a repair order', () => {
  it('is drafted from the warranty line with its hours, causal part, kept part and photo', async () => {
    // Prepare
    const { ro, partNumber } = await claimableOrder();

    // Act
    const filed = await act('POST', '', { repairOrderId: ro.id });

    // Assess
    expect(filed.status, filed.text).toBe(201);
    const claim = filed.body;
    expect(claim).toMatchObject({ status: 'draft', oemId: 'oem_FAWVOLKSWAGEN', repairOrderId: ro.id });
    expect(claim.lines).toHaveLength(1);
    expect(claim.lines[0]).toMatchObject({ repairOrderLineId: 'L2', causalPart: { partNumber } });
    expect(claim.lines[0]?.labour[0]).toMatchObject({ code: 'BRK-03', tenths: 15 });
    expect(claim.parts).toEqual([expect.objectContaining({ partNumber, status: 'held' })]);
    expect(claim.photoIds).toHaveLength(1);
    expect(filed.headers.get('location')).toBe(`${base}/${claim.id}`);

    // A second claim of the same line is refused, naming the first
    const again = await act('POST', '', { repairOrderId: ro.id, lineIds: ['L2'] });
    expect(again.status, again.text).toBe(409);
    expect(again.body).toMatchObject({ code: 'LINE_ALREADY_CLAIMED', claimId: claim.id });
  });

  it('blocks submission until the pre-check’s errors are mended, then submits', async () => {
    // Prepare
    const { ro } = await claimableOrder();
    let claim = (await act('POST', '', { repairOrderId: ro.id })).body as Claim;
    const findings = await call<{ findings: { code: string; severity: string; path: string }[] }>(
      demo.claimsSpecialistA,
      'GET',
      `${base}/${claim.id}/precheck`,
    );
    expect(findings.status, findings.text).toBe(200);
    expect(findings.body.findings.map((f) => `${f.severity}:${f.code}:${f.path}`).sort()).toEqual([
      'error:MISSING_FIELD:lines.0.conditionCode',
      'error:MISSING_FIELD:lines.0.defectCode',
    ]);

    // Act: submit as it is, then with the codes
    const blocked = await act('POST', `/${claim.id}/submissions`, {}, claim);
    const edited = await act(
      'PATCH',
      `/${claim.id}`,
      { lines: [{ id: 'L1', conditionCode: 'VIB-02', defectCode: 'DISC-TV' }] },
      claim,
    );
    expect(edited.status, edited.text).toBe(200);
    claim = edited.body;
    const submitted = await act('POST', `/${claim.id}/submissions`, {}, claim);

    // Assess
    expect(blocked.status, blocked.text).toBe(409);
    expect(blocked.body).toMatchObject({ code: 'CLAIM_PRECHECK_FAILED' });
    expect(submitted.status, submitted.text).toBe(200);
    expect(submitted.body).toMatchObject({ status: 'submitted', submissions: 1 });
    // A submitted claim is the OEM's to answer: the store edits it no more
    const late = await act('PATCH', `/${claim.id}`, { photoIds: [] }, submitted.body);
    expect(late.status, late.text).toBe(409);
    expect(late.body.code).toBe('CLAIM_NOT_EDITABLE');
  });

  it('answers bad input on its field and never a 500', async () => {
    const { ro } = await claimableOrder();
    const cases = [
      [{ repairOrderId: 'ro_NOPE' }, 400, 'repairOrderId'],
      [{ repairOrderId: ro.id, lineIds: ['L1'] }, 400, 'lineIds.0'],
      [{ repairOrderId: ro.id, claimType: 'mystery' }, 400, 'claimType'],
    ] as const;
    for (const [body, status, path] of cases) {
      const res = await act('POST', '', body);
      expect(res.status, res.text).toBe(status);
      expect(res.body.fieldErrors?.map((f) => f.path)).toContain(path);
    }
    const claim = (await act('POST', '', { repairOrderId: ro.id })).body as Claim;
    const badLine = await act('PATCH', `/${claim.id}`, { lines: [{ id: 'L9', defectCode: 'X' }] }, claim);
    expect(badLine.status).toBe(400);
    expect(badLine.body.fieldErrors?.[0]).toMatchObject({ path: 'lines.0.id', code: 'CLAIM_LINE_NOT_FOUND' });
    const lowercase = await act(
      'PATCH',
      `/${claim.id}`,
      { lines: [{ id: 'L1', defectCode: 'disc tv' }] },
      claim,
    );
    expect(lowercase.status).toBe(400);
    const stale = await act(
      'PATCH',
      `/${claim.id}`,
      { lines: [{ id: 'L1', defectCode: 'DISC-TV' }] },
      {
        version: claim.version + 5,
      },
    );
    expect(stale.status).toBe(409);
    expect(stale.body.code).toBe('VERSION_CONFLICT');
  });

  it('keeps a withdrawn claim’s line free to be claimed again', async () => {
    const { ro } = await claimableOrder();
    const claim = (await act('POST', '', { repairOrderId: ro.id })).body as Claim;
    const withdrawn = await act('POST', `/${claim.id}/withdrawal`, { reason: '客户车辆改为自费维修' }, claim);
    expect(withdrawn.status, withdrawn.text).toBe(200);
    const again = await act('POST', '', { repairOrderId: ro.id });
    expect(again.status, again.text).toBe(201);
    expect(again.body.id).not.toBe(claim.id);
  });

  it('is found in the archive by VIN, status and OEM, one search at a time', async () => {
    const { ro } = await claimableOrder();
    const claim = (await act('POST', '', { repairOrderId: ro.id })).body as Claim;
    const vin = (
      await call<{ vin: string }>(demo.advisorA, 'GET', `/v1/stores/${demo.storeA}/vehicles/${ro.vehicleId}`)
    ).body.vin;
    const ids = async (query: string) =>
      (await call<{ items: Claim[] }>(demo.claimsSpecialistA, 'GET', `${base}?${query}`)).body.items.map(
        (c) => c.id,
      );
    expect(await ids(`vin=${vin}`)).toEqual([claim.id]);
    expect(await ids('status=draft&limit=100')).toContain(claim.id);
    expect(await ids('oemId=oem_FAWVOLKSWAGEN&limit=100')).toContain(claim.id);
    expect(await ids(`oemId=oem_SAICVOLKSWAGEN&limit=100`)).not.toContain(claim.id);
    const both = await call<{ code: string }>(
      demo.claimsSpecialistA,
      'GET',
      `${base}?status=draft&oemId=oem_FAWVOLKSWAGEN`,
    );
    expect(both.status).toBe(400);
  });

  it('lets an advisor read claims but not file them', async () => {
    const read = await call(demo.advisorA, 'GET', `${base}?limit=5`);
    expect(read.status, read.text).toBe(200);
    const file = await call<{ code: string }>(demo.advisorA, 'POST', base, {
      body: { repairOrderId: 'ro_X' },
    });
    expect(file.status).toBe(403);
  });
});
