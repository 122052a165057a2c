import * as z from 'zod';
import type { Decision } from '../decision.ts';
import { AppError, ConflictError, type FieldError, ValidationError } from '../platform/errors.ts';
import { filledText, Instant, RequiredText, trimmedText, Version } from '../platform/fields.ts';
import { Signature } from '../purchasing/model.ts';
import { Bilingual, ChecklistSection, type ChecklistTemplate, Condition } from '../setup/model.ts';
import type { RepairOrder } from './model.ts';
import { requireOpen } from './rules.ts';

/**
 * 环车检查: the walk-around inspection at reception, answered on the store's checklist template (预检表),
 * with the valuables left in the car (贵重物品), damage noted and photos. Each photo is sealed when
 * uploaded: its SHA-256, size and the server's time are recorded, so the file shown in a warranty or
 * 三包 dispute can be proven unaltered (a replaced file no longer hashes to its seal).
 */

// ——— Photos ————————————————————————————————————————————————————————————————————————————————

export const PHOTO_CONTENT_TYPES = ['image/jpeg', 'image/png', 'image/webp'] as const;
export const PhotoContentType = z.enum(PHOTO_CONTENT_TYPES);
export type PhotoContentType = z.infer<typeof PhotoContentType>;

/** A tablet camera's JPEG is 2–6 MiB; 10 MiB leaves room without letting a video through. */
export const MAX_PHOTO_BYTES = 10 * 1024 * 1024;
/** Photos per repair order: enough for every panel and the interior, bounded so the record stays one item. */
export const MAX_WALK_AROUND_PHOTOS = 40;
export const PHOTO_ID_PREFIX = 'pho';

// `newId('pho')`: the prefix, 10 time and 16 random Crockford base32 characters.
export const PhotoId = z
  .string()
  .regex(/^pho_[0-9A-HJKMNP-TV-Z]{26}$/, 'Not a photo id from POST …/photos.')
  .meta({ example: 'pho_01JD0000000000000000000000' });

/** An item of the template by position: section, then item within it (both from 0). */
export const ItemRef = z.strictObject({
  section: z.int().check(z.gte(0), z.lte(19)),
  item: z.int().check(z.gte(0), z.lte(59)),
});
export type ItemRef = z.infer<typeof ItemRef>;

export const Sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'A SHA-256 in lower-case hex.');

/** What the tablet says of a photo before it uploads it; size and type are signed into the upload URL. */
export const PhotoUploadRequest = z.strictObject({
  contentType: PhotoContentType,
  bytes: z.int().check(z.gte(1), z.lte(MAX_PHOTO_BYTES, `A photo is at most ${MAX_PHOTO_BYTES} bytes.`)),
});
export type PhotoUploadRequest = z.infer<typeof PhotoUploadRequest>;

/**
 * What a sealed image is: a photo of the inspection, or the customer's signature drawn at the counter
 * (客户签字), sealed the same way so that the approval it proves can be shown unaltered in a dispute.
 */
export const PhotoPurpose = z.enum(['inspection', 'signature']);
export type PhotoPurpose = z.infer<typeof PhotoPurpose>;

/** What the advisor adds when the upload is sealed: the checklist item it shows, and a caption. */
export const PhotoSealInput = z.strictObject({
  itemRef: ItemRef.optional(),
  caption: trimmedText(200).optional(),
  /** Absent: a photo of the inspection. */
  purpose: PhotoPurpose.optional(),
});
export type PhotoSealInput = z.infer<typeof PhotoSealInput>;

/** 封存: a photo as recorded when sealed — what the server read, hashed and when. */
export const SealedPhoto = z.object({
  photoId: PhotoId,
  itemRef: ItemRef.optional(),
  caption: z.string().optional(),
  /** Absent: a photo of the inspection. */
  purpose: PhotoPurpose.optional(),
  contentType: PhotoContentType,
  bytes: z.int().check(z.gte(1)),
  sha256: Sha256Hex,
  /** The server's clock when it hashed the object, never the tablet's. */
  sealedAt: Instant,
  sealedBy: Signature,
  /** The object version hashed, where the bucket keeps versions (the evidence survives a replacement). */
  versionId: z.string().optional(),
});
export type SealedPhoto = z.infer<typeof SealedPhoto>;

/** What the server read of an uploaded object. */
export interface PhotoObject {
  contentType: string | undefined;
  bytes: number;
  sha256: string;
  versionId?: string | undefined;
}

// ——— Answers —————————————————————————————————————————————————————————————————————————————————

/** One item's answer; its kind must be the template item's (`photo` items are answered by photos). */
export const ChecklistAnswer = z.discriminatedUnion('kind', [
  z.strictObject({ ...ItemRef.shape, kind: z.literal('check'), checked: z.boolean() }),
  z.strictObject({
    ...ItemRef.shape,
    kind: z.literal('condition'),
    condition: Condition,
    note: trimmedText(200).optional(),
  }),
  z.strictObject({ ...ItemRef.shape, kind: z.literal('text'), text: trimmedText(500) }),
]);
export type ChecklistAnswer = z.infer<typeof ChecklistAnswer>;

/** The form as the advisor sends it (PUT): the whole of it, so a save is one version. */
export const WalkAroundInput = z
  .strictObject({
    templateId: RequiredText,
    answers: z.array(ChecklistAnswer).check(z.maxLength(400)),
    /** 贵重物品: what the customer left in the car, as noted with them. */
    valuables: z.array(filledText(120)).check(z.maxLength(30)).default([]),
    /** Damage seen on arrival (划痕, 凹陷…), in the advisor's words. */
    damageNotes: trimmedText(1000).optional(),
  })
  .check(
    z.superRefine((input, ctx) => {
      const seen = new Set<string>();
      input.answers.forEach((a, i) => {
        const key = `${a.section}.${a.item}`;
        if (seen.has(key))
          ctx.addIssue({ code: 'custom', path: ['answers', i], message: 'Answer each item once.' });
        seen.add(key);
      });
    }),
  );
export type WalkAroundInputFields = z.output<typeof WalkAroundInput>;

/** The template as answered: kept with the answers, so a later edit of the template cannot re-word them. */
export const AnsweredTemplate = z.object({
  id: RequiredText,
  version: Version,
  name: Bilingual,
  sections: z.array(ChecklistSection),
});

export const WalkAround = z.object({
  /** The repair order's id: one inspection per order. */
  id: RequiredText,
  storeId: RequiredText,
  template: AnsweredTemplate.optional(),
  answers: z.array(ChecklistAnswer),
  valuables: z.array(z.string()),
  damageNotes: z.string().optional(),
  photos: z.array(SealedPhoto),
  version: Version,
  createdAt: Instant,
  updatedAt: Instant,
});
export type WalkAround = z.infer<typeof WalkAround>;

/** As answered: an order whose inspection is not yet begun has version 0 and no times. */
export const WalkAroundView = WalkAround.extend({
  version: z.int().check(z.gte(0)),
  createdAt: Instant.optional(),
  updatedAt: Instant.optional(),
});
export type WalkAroundView = z.infer<typeof WalkAroundView>;

/** A photo as answered: a short-lived URL to view it, and whether the stored file still matches its seal. */
export const PhotoView = z.object({
  photo: SealedPhoto,
  url: z.url(),
  expiresAt: Instant,
  /** False when the stored file no longer hashes to the seal (replaced or altered). */
  intact: z.boolean(),
});
export type PhotoView = z.infer<typeof PhotoView>;

export const PhotoUpload = z.object({
  photoId: PhotoId,
  url: z.url(),
  method: z.literal('PUT'),
  headers: z.object({ 'content-type': PhotoContentType }),
  expiresAt: Instant,
});
export type PhotoUpload = z.infer<typeof PhotoUpload>;

// ——— Rules —————————————————————————————————————————————————————————————————————————————————————

export type WalkAroundDecision = Decision<WalkAround>;

/** The inspection of an order not yet begun. */
export function emptyWalkAround(repairOrderId: string, storeId: string): WalkAroundView {
  return { id: repairOrderId, storeId, answers: [], valuables: [], photos: [], version: 0 };
}

/** Each answer names an item of the template and has its kind; every mismatch is a field error. */
export function answerErrors(template: Pick<ChecklistTemplate, 'sections'>, answers: ChecklistAnswer[]) {
  return answers.flatMap((a, i): FieldError[] => {
    const item = template.sections[a.section]?.items[a.item];
    if (!item)
      return [
        {
          path: `answers.${i}`,
          code: 'CHECKLIST_ITEM_NOT_FOUND',
          message: `The template has no item ${a.item} in section ${a.section}.`,
        },
      ];
    if (item.kind !== a.kind)
      return [
        {
          path: `answers.${i}.kind`,
          code: 'ANSWER_KIND_MISMATCH',
          message: `Item ${a.section}.${a.item} is answered as ${item.kind}.`,
        },
      ];
    return [];
  });
}

/** The form recorded: on an open order, against an active template (or the one already answered). */
export function decideWalkAround(
  ro: RepairOrder,
  current: WalkAroundView,
  template: ChecklistTemplate,
  input: WalkAroundInputFields,
  at: string,
): WalkAroundDecision | undefined {
  requireOpen(ro);
  if (!template.active && current.template?.id !== template.id)
    throw new ValidationError([
      {
        path: 'templateId',
        code: 'CHECKLIST_TEMPLATE_INACTIVE',
        message: 'The template is no longer in use.',
      },
    ]);
  const errors = answerErrors(template, input.answers);
  if (errors.length > 0) throw new ValidationError(errors);
  const { damageNotes, ...rest } = current;
  const next: WalkAround = {
    ...rest,
    template: {
      id: template.id,
      version: template.version,
      name: template.name,
      sections: template.sections,
    },
    answers: input.answers,
    valuables: input.valuables,
    ...(input.damageNotes ? { damageNotes: input.damageNotes } : {}),
    version: current.version + 1,
    createdAt: current.createdAt ?? at,
    updatedAt: at,
  };
  return changed(current, next);
}

/** Room for one more photo, checked before an upload URL is handed out. */
export function requirePhotoRoom(ro: RepairOrder, current: WalkAroundView): void {
  requireOpen(ro);
  if (current.photos.length >= MAX_WALK_AROUND_PHOTOS)
    throw new ConflictError(
      409,
      'PHOTO_LIMIT_REACHED',
      `A repair order keeps at most ${MAX_WALK_AROUND_PHOTOS} photos.`,
      { max: MAX_WALK_AROUND_PHOTOS },
    );
}

/**
 * 封存: the uploaded object recorded with its hash and the server's time. Sealing a sealed photo again
 * changes nothing and answers the first seal (a retried request); the object's type and size are
 * checked again, though the signed upload URL already held them.
 */
export function decidePhotoSeal(
  ro: RepairOrder,
  current: WalkAroundView,
  photoId: string,
  object: PhotoObject,
  input: PhotoSealInput,
  by: Signature,
): { photo: SealedPhoto; decision?: WalkAroundDecision & { action: 'seal_photo' } } {
  const sealed = current.photos.find((p) => p.photoId === photoId);
  if (sealed) return { photo: sealed };
  requirePhotoRoom(ro, current);
  const contentType = PhotoContentType.safeParse(object.contentType);
  if (!contentType.success)
    throw new AppError(415, 'PHOTO_TYPE_NOT_ALLOWED', 'A photo is a JPEG, PNG or WebP image.');
  if (object.bytes > MAX_PHOTO_BYTES)
    throw new AppError(413, 'PHOTO_TOO_LARGE', `A photo is at most ${MAX_PHOTO_BYTES} bytes.`);
  if (input.itemRef && current.template) {
    const errors = answerErrors(current.template, [{ ...input.itemRef, kind: 'check', checked: true }]);
    if (errors.some((e) => e.code === 'CHECKLIST_ITEM_NOT_FOUND'))
      throw new ValidationError([
        { path: 'itemRef', code: 'CHECKLIST_ITEM_NOT_FOUND', message: 'The template has no such item.' },
      ]);
  }
  const photo: SealedPhoto = {
    photoId,
    ...(input.itemRef ? { itemRef: input.itemRef } : {}),
    ...(input.caption ? { caption: input.caption } : {}),
    ...(input.purpose === 'signature' ? { purpose: input.purpose } : {}),
    contentType: contentType.data,
    bytes: object.bytes,
    sha256: object.sha256,
    sealedAt: by.at,
    sealedBy: by,
    ...(object.versionId ? { versionId: object.versionId } : {}),
  };
  const next: WalkAround = {
    ...current,
    photos: [...current.photos, photo],
    version: current.version + 1,
    createdAt: current.createdAt ?? by.at,
    updatedAt: by.at,
  };
  return {
    photo,
    decision: {
      next,
      changes: [{ field: `photos.${photoId}`, to: photo }],
      events: [],
      action: 'seal_photo',
    },
  };
}

/** Whether the stored file is the one sealed: the same hash and size. */
export function photoIntact(photo: SealedPhoto, stored: { sha256: string; bytes: number }): boolean {
  return stored.sha256 === photo.sha256 && stored.bytes === photo.bytes;
}

/** The form's changes from `current` to `next`; nothing changed is no decision (no version spent). */
function changed(current: WalkAroundView, next: WalkAround): WalkAroundDecision | undefined {
  const fields = ['template', 'answers', 'valuables', 'damageNotes'] as const;
  const changes = fields.flatMap((field) =>
    JSON.stringify(current[field]) === JSON.stringify(next[field])
      ? []
      : [{ field, from: current[field], to: next[field] }],
  );
  if (changes.length === 0) return undefined;
  return { next, changes, events: [] };
}

// ——— The counter signature (客户签字) ————————————————————————————————————————————————————————————

/**
 * A counter approval stands on a signature sealed on this order as a signature (not an inspection
 * photo): anything else is a 400 on `signatureRef`, so an approval never names an image that is not kept.
 */
export function requireSealedSignature(current: WalkAroundView, ref: string): SealedPhoto {
  const photoId = ref.slice('photo:'.length);
  const photo = current.photos.find((p) => p.photoId === photoId && p.purpose === 'signature');
  if (!photo)
    throw new ValidationError([
      {
        path: 'signatureRef',
        code: 'SIGNATURE_NOT_SEALED',
        message: 'No signature with this id is sealed on this repair order: upload and seal it first.',
      },
    ]);
  return photo;
}
