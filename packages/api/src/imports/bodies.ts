import {
  ImportJob,
  ImportRequest,
  ImportRowError,
  ImportUpload,
  ImportUploadRequest,
} from '@aftersales/domain';
import { named } from '../platform/bodies.ts';
import { pageOf } from '../platform/http.ts';

/** The imports' bodies, named for the document (see platform/bodies.ts). */
export const Bodies = named({ ImportUploadRequest, ImportRequest, ImportUpload, ImportJob, ImportRowError });

export const Pages = {
  ImportJobPage: pageOf(Bodies.ImportJob, 'ImportJobPage'),
  ImportRowErrorPage: pageOf(Bodies.ImportRowError, 'ImportRowErrorPage'),
};
