import { REPAIR_ORDER, WalkArounds } from '@aftersales/data/repair-orders';
import {
  MAX_PHOTO_BYTES,
  MAX_WALK_AROUND_PHOTOS,
  PhotoId,
  PhotoSealInput,
  PhotoUpload,
  PhotoUploadRequest,
  PhotoView,
  SealedPhoto,
  UPLOAD_URL_TTL_SECONDS,
  WalkAroundInput,
  WalkAroundView,
} from '@aftersales/domain';
import { named } from '../platform/bodies.ts';
import { expectedVersion, IfMatchHeader, json, recordParams, versioned } from '../platform/http.ts';
import { ApiRoutes } from '../platform/route.ts';

const tags = ['Repair orders'];
const Params = recordParams(REPAIR_ORDER);
const PhotoParams = Params.extend({
  photoId: PhotoId.meta({ param: { name: 'photoId', in: 'path' }, description: 'The photo’s id.' }),
});

/** The walk-around's bodies, named for the document (see platform/bodies.ts). */
const Bodies = named({
  WalkAroundInput,
  WalkAround: WalkAroundView,
  PhotoUploadRequest,
  PhotoUpload,
  PhotoSealInput,
  SealedPhoto,
  PhotoView,
});

/** 环车检查: the walk-around inspection of a repair order, and its photos sealed at upload. */
export const walkAround = new ApiRoutes();

walkAround.openapi(
  {
    method: 'get',
    path: '/{repairOrderId}/walk-around',
    operationId: 'getWalkAround',
    permission: 'repair_order:read',
    tags,
    summary: '环车检查: the walk-around inspection of a repair order, with its sealed photos',
    description:
      'One read. An order whose inspection has not begun answers an empty one with version 0 (ETag `"0"`), which the first `PUT` sends as `If-Match`. `template` is the checklist as it was answered, so later edits of the template do not re-word the answers.',
    request: { params: Params },
    responses: { 200: json(Bodies.WalkAround, 'The inspection', ['ETag']) },
  },
  async (c) => {
    const { tenant } = c.var;
    const { repairOrderId } = c.req.valid('param');
    return c.json(versioned(c, await tenant.repo(WalkArounds).view(tenant, repairOrderId)), 200);
  },
);

walkAround.openapi(
  {
    method: 'put',
    path: '/{repairOrderId}/walk-around',
    operationId: 'recordWalkAround',
    permission: 'repair_order:write',
    tags,
    summary: 'Record the checklist answers, valuables (贵重物品) and damage notes (If-Match required)',
    description:
      'The whole form: answers not sent are cleared. `templateId` names one of the store’s checklist templates (400 `CHECKLIST_TEMPLATE_NOT_FOUND`), active unless it is the one already answered (400 `CHECKLIST_TEMPLATE_INACTIVE`). Each answer names an item by `section` and `item` (from 0): an item the template has not is a 400 `CHECKLIST_ITEM_NOT_FOUND` on `answers.<i>`, an answer of another kind than the item’s (`check`: `checked`; `condition`: ok / attention / urgent; `text`; `photo` items are answered by photos) a 400 `ANSWER_KIND_MISMATCH` on `answers.<i>.kind`; each item once. Photos are not touched. A settled, delivered or cancelled order is a 409 `REPAIR_ORDER_CLOSED`. `If-Match` is the ETag of the inspection read (`"0"` before the first save). The same answers change nothing (same version).',
    errors: ['REPAIR_ORDER_CLOSED'],
    request: {
      params: Params,
      headers: IfMatchHeader,
      body: { required: true, content: { 'application/json': { schema: Bodies.WalkAroundInput } } },
    },
    responses: { 200: json(Bodies.WalkAround, 'The inspection as now stored', ['ETag']) },
  },
  async (c) => {
    const { tenant } = c.var;
    const { repairOrderId } = c.req.valid('param');
    const body = c.req.valid('json');
    const stored = await tenant.repo(WalkArounds).record(tenant, repairOrderId, body, expectedVersion(c));
    return c.json(versioned(c, stored), 200);
  },
);

walkAround.openapi(
  {
    method: 'post',
    path: '/{repairOrderId}/photos',
    operationId: 'createWalkAroundPhotoUpload',
    permission: 'repair_order:write',
    tags,
    summary: 'Get a URL to upload one photo to, then seal it with its `photoId`',
    // 200, not 201: nothing exists until the photo is PUT and sealed.
    description: `The photo goes straight to S3: \`PUT\` its bytes to \`url\` with \`headers\` before \`expiresAt\` (${UPLOAD_URL_TTL_SECONDS / 60} minutes). Its type (JPEG, PNG or WebP) and size (at most ${MAX_PHOTO_BYTES} bytes) are declared here and signed into the URL, so S3 refuses a body of another length or type. An order keeps at most ${MAX_WALK_AROUND_PHOTOS} photos (409 \`PHOTO_LIMIT_REACHED\`); a settled, delivered or cancelled one takes none (409 \`REPAIR_ORDER_CLOSED\`). The photo is part of the inspection only once sealed (\`POST …/photos/{photoId}/seal\`).`,
    errors: ['REPAIR_ORDER_CLOSED', 'PHOTO_LIMIT_REACHED'],
    request: {
      params: Params,
      body: { required: true, content: { 'application/json': { schema: Bodies.PhotoUploadRequest } } },
    },
    responses: { 200: json(Bodies.PhotoUpload, 'Where and how to upload the photo') },
  },
  async (c) => {
    const { tenant } = c.var;
    const { repairOrderId } = c.req.valid('param');
    return c.json(
      await tenant.repo(WalkArounds).presignPhoto(tenant, repairOrderId, c.req.valid('json')),
      200,
    );
  },
);

walkAround.openapi(
  {
    method: 'post',
    path: '/{repairOrderId}/photos/{photoId}/seal',
    operationId: 'sealWalkAroundPhoto',
    permission: 'repair_order:write',
    tags,
    summary: '封存: hash the uploaded photo and record its SHA-256, size and the server’s time',
    description:
      'The server reads the uploaded object, computes its SHA-256 and records it with the size, type and the server’s time on the inspection: the seal a warranty or 三包 dispute relies on. Sealing a sealed photo again answers the first seal (a retry changes nothing). An object not (yet) uploaded is a 409 `PHOTO_NOT_UPLOADED`: upload, then seal again. `itemRef` ties the photo to a checklist item (400 `CHECKLIST_ITEM_NOT_FOUND` when the answered template has none there). The limits of the upload apply again (409 `PHOTO_LIMIT_REACHED`, 409 `REPAIR_ORDER_CLOSED`, 413 `PHOTO_TOO_LARGE`, 415 `PHOTO_TYPE_NOT_ALLOWED`).',
    errors: [
      'PHOTO_NOT_UPLOADED',
      'PHOTO_LIMIT_REACHED',
      'REPAIR_ORDER_CLOSED',
      'PHOTO_TOO_LARGE',
      'PHOTO_TYPE_NOT_ALLOWED',
    ],
    request: {
      params: PhotoParams,
      body: { required: true, content: { 'application/json': { schema: Bodies.PhotoSealInput } } },
    },
    // 200 either way: the seal is a fact recorded on the inspection, not a resource of its own.
    responses: { 200: json(Bodies.SealedPhoto, 'The seal (the first one, when sealed before)') },
  },
  async (c) => {
    const { tenant } = c.var;
    const { repairOrderId, photoId } = c.req.valid('param');
    const { photo } = await tenant
      .repo(WalkArounds)
      .seal(tenant, repairOrderId, photoId, c.req.valid('json'));
    return c.json(photo, 200);
  },
);

walkAround.openapi(
  {
    method: 'get',
    path: '/{repairOrderId}/photos/{photoId}',
    operationId: 'getWalkAroundPhoto',
    permission: 'repair_order:read',
    tags,
    summary: 'A sealed photo: a short-lived URL to view it, and whether the stored file is the one sealed',
    description:
      'The stored object is hashed again on every read: `intact` is false when it no longer matches the seal (replaced, altered or gone), which the screen shows as a warning. `url` is a presigned GET valid for five minutes. A photo not sealed on this order is a 404 `PHOTO_NOT_FOUND`.',
    errors: ['PHOTO_NOT_FOUND'],
    request: { params: PhotoParams },
    responses: { 200: json(Bodies.PhotoView, 'The photo, its seal and whether it is intact') },
  },
  async (c) => {
    const { tenant } = c.var;
    const { repairOrderId, photoId } = c.req.valid('param');
    return c.json(await tenant.repo(WalkArounds).photo(tenant, repairOrderId, photoId), 200);
  },
);
