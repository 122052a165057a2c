import { describe, expect, it } from 'vitest';
import { AppError, ValidationError } from '../platform/errors.ts';
import type { ChecklistTemplate } from '../setup/model.ts';
import type { RepairOrder } from './model.ts';
import {
  decidePhotoSeal,
  decideWalkAround,
  emptyWalkAround,
  MAX_PHOTO_BYTES,
  MAX_WALK_AROUND_PHOTOS,
  PhotoUploadRequest,
  photoIntact,
  requireSealedSignature,
  WalkAroundInput,
  type WalkAroundView,
} from './walk-around.ts';

const AT = '2026-12-07T01:00:00.000Z';
const advisor = { userId: 'u-advisor', name: '王顾问', at: AT };
const bi = (en: string) => ({ zh: en, en });
const template: ChecklistTemplate = {
  id: 'chk_1',
  storeId: 'st_a',
  name: bi('Reception'),
  active: true,
  sections: [
    {
      title: bi('Exterior'),
      items: [
        { label: bi('Paint'), kind: 'condition' },
        { label: bi('Wheels photo'), kind: 'photo' },
      ],
    },
    {
      title: bi('Interior'),
      items: [
        { label: bi('Warning lights off'), kind: 'check' },
        { label: bi('Remarks'), kind: 'text' },
      ],
    },
  ],
  version: 1,
  createdAt: AT,
  updatedAt: AT,
};
const ro = (status: RepairOrder['status'] = 'checked_in') => ({ id: 'ro_1', status }) as RepairOrder;
const empty = () => emptyWalkAround('ro_1', 'st_a');
const upload = { contentType: 'image/jpeg', bytes: 2_000_000, sha256: 'a'.repeat(64) };

const fieldCodes = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    if (e instanceof ValidationError) return e.fieldErrors.map((f) => [f.path, f.code]);
    if (e instanceof AppError) return [e.code];
    throw e;
  }
  return [];
};

describe('recording the walk-around (环车检查)', () => {
  it('keeps the answers with the template as answered, and valuables noted', () => {
    // Prepare
    const input = WalkAroundInput.parse({
      templateId: 'chk_1',
      answers: [
        { section: 0, item: 0, kind: 'condition', condition: 'attention', note: '左前门划痕' },
        { section: 1, item: 0, kind: 'check', checked: true },
      ],
      valuables: ['行车记录仪', '太阳镜'],
    });
    // Act
    const decision = decideWalkAround(ro(), empty(), template, input, AT);
    // Assess
    expect(decision?.next).toMatchObject({
      version: 1,
      template: { id: 'chk_1', version: 1, sections: template.sections },
      valuables: ['行车记录仪', '太阳镜'],
      photos: [],
    });
    expect(decision?.changes.map((c) => c.field)).toEqual(['template', 'answers', 'valuables']);
  });

  it('refuses answers for items the template has not, or of another kind, with their paths', () => {
    // Prepare
    const input = WalkAroundInput.parse({
      templateId: 'chk_1',
      answers: [
        { section: 0, item: 0, kind: 'check', checked: true },
        { section: 3, item: 0, kind: 'text', text: 'x' },
        { section: 0, item: 1, kind: 'text', text: 'photo items take photos' },
      ],
    });
    // Act / Assess
    expect(fieldCodes(() => decideWalkAround(ro(), empty(), template, input, AT))).toEqual([
      ['answers.0.kind', 'ANSWER_KIND_MISMATCH'],
      ['answers.1', 'CHECKLIST_ITEM_NOT_FOUND'],
      ['answers.2.kind', 'ANSWER_KIND_MISMATCH'],
    ]);
  });

  it('answers each item once', () => {
    const result = WalkAroundInput.safeParse({
      templateId: 'chk_1',
      answers: [
        { section: 1, item: 0, kind: 'check', checked: true },
        { section: 1, item: 0, kind: 'check', checked: false },
      ],
    });
    expect(result.error?.issues.map((i) => i.path.join('.'))).toEqual(['answers.1']);
  });

  it('writes nothing when the same form is sent again, and nothing on a closed order', () => {
    // Prepare
    const input = WalkAroundInput.parse({ templateId: 'chk_1', answers: [], valuables: ['伞'] });
    const first = decideWalkAround(ro(), empty(), template, input, AT)?.next as WalkAroundView;
    // Act / Assess
    expect(decideWalkAround(ro(), first, template, input, AT)).toBeUndefined();
    expect(fieldCodes(() => decideWalkAround(ro('delivered'), empty(), template, input, AT))).toEqual([
      'REPAIR_ORDER_CLOSED',
    ]);
  });

  it('refuses an inactive template for a new inspection', () => {
    const input = WalkAroundInput.parse({ templateId: 'chk_1', answers: [] });
    expect(
      fieldCodes(() => decideWalkAround(ro(), empty(), { ...template, active: false }, input, AT)),
    ).toEqual([['templateId', 'CHECKLIST_TEMPLATE_INACTIVE']]);
  });
});

describe('the counter signature (客户签字)', () => {
  it('is an image sealed as a signature on the order, named `photo:<id>`', () => {
    // Prepare
    const signed = decidePhotoSeal(ro(), empty(), 'pho_S', upload, { purpose: 'signature' }, advisor);
    const withInspection = decidePhotoSeal(
      ro(),
      signed.decision?.next as WalkAroundView,
      'pho_I',
      upload,
      {},
      advisor,
    ).decision?.next as WalkAroundView;
    // Act
    const found = requireSealedSignature(withInspection, 'photo:pho_S');
    const refusals = ['photo:pho_I', 'photo:pho_X'].map((ref) => {
      try {
        requireSealedSignature(withInspection, ref);
        return undefined;
      } catch (e) {
        return e instanceof ValidationError ? e.fieldErrors.map((f) => `${f.path} ${f.code}`) : e;
      }
    });
    // Assess
    expect(signed.photo.purpose).toBe('signature');
    expect(found.photoId).toBe('pho_S');
    expect(refusals).toEqual([['signatureRef SIGNATURE_NOT_SEALED'], ['signatureRef SIGNATURE_NOT_SEALED']]);
  });
});

describe('sealing photos (封存)', () => {
  it('records the hash, size, type and the server’s time', () => {
    // Act
    const { photo, decision } = decidePhotoSeal(
      ro(),
      empty(),
      'pho_1',
      upload,
      { caption: '左前门' },
      advisor,
    );
    // Assess
    expect(photo).toEqual({
      photoId: 'pho_1',
      caption: '左前门',
      contentType: 'image/jpeg',
      bytes: 2_000_000,
      sha256: 'a'.repeat(64),
      sealedAt: AT,
      sealedBy: advisor,
    });
    expect(decision?.next.photos).toEqual([photo]);
    expect(decision?.action).toBe('seal_photo');
  });

  it('answers the first seal when sealed again, whatever the object is now', () => {
    // Prepare
    const first = decidePhotoSeal(ro(), empty(), 'pho_1', upload, {}, advisor).decision
      ?.next as WalkAroundView;
    // Act
    const again = decidePhotoSeal(ro(), first, 'pho_1', { ...upload, sha256: 'b'.repeat(64) }, {}, advisor);
    // Assess
    expect(again.decision).toBeUndefined();
    expect(again.photo.sha256).toBe('a'.repeat(64));
  });

  it('refuses a photo beyond the limit, over the size, or not an image', () => {
    // Prepare
    const photos = Array.from({ length: MAX_WALK_AROUND_PHOTOS }, (_, i) => ({
      ...upload,
      contentType: 'image/jpeg' as const,
      photoId: `pho_${i}`,
      sealedAt: AT,
      sealedBy: advisor,
    }));
    const full = { ...empty(), photos };
    // Act / Assess
    expect(fieldCodes(() => decidePhotoSeal(ro(), full, 'pho_x', upload, {}, advisor))).toEqual([
      'PHOTO_LIMIT_REACHED',
    ]);
    expect(
      fieldCodes(() =>
        decidePhotoSeal(ro(), empty(), 'pho_x', { ...upload, bytes: MAX_PHOTO_BYTES + 1 }, {}, advisor),
      ),
    ).toEqual(['PHOTO_TOO_LARGE']);
    expect(
      fieldCodes(() =>
        decidePhotoSeal(ro(), empty(), 'pho_x', { ...upload, contentType: 'video/mp4' }, {}, advisor),
      ),
    ).toEqual(['PHOTO_TYPE_NOT_ALLOWED']);
    expect(PhotoUploadRequest.safeParse({ contentType: 'image/gif', bytes: 10 }).success).toBe(false);
    expect(
      PhotoUploadRequest.safeParse({ contentType: 'image/png', bytes: MAX_PHOTO_BYTES + 1 }).success,
    ).toBe(false);
  });

  it('finds a replaced file no longer intact', () => {
    const { photo } = decidePhotoSeal(ro(), empty(), 'pho_1', upload, {}, advisor);
    expect(photoIntact(photo, { sha256: 'a'.repeat(64), bytes: 2_000_000 })).toBe(true);
    expect(photoIntact(photo, { sha256: 'c'.repeat(64), bytes: 2_000_000 })).toBe(false);
  });
});
