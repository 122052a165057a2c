import {
  AddLinkInput,
  AuditEntry,
  Customer,
  CustomerDetail,
  CustomerInput,
  CustomerPatch,
  CustomerVehicle,
  GroupFiguresView,
  ImportJob,
  ImportRequest,
  ImportRowError,
  ImportUpload,
  ImportUploadRequest,
  OdometerInput,
  TransferOwnershipInput,
  Vehicle,
  VehicleDetail,
  VehicleInput,
  VehicleListItem,
  VehiclePatch,
} from '@aftersales/domain';
import type * as z from 'zod';
import { pageOf } from './platform/http.ts';

/**
 * Request and response bodies as named component schemas (`#/components/schemas/<key>`), so that a
 * client generated from the document gets one named type per body. The names are given here, at the
 * HTTP layer: the domain schemas stay free of HTTP concerns. zod's own `.meta({ id })`, which the
 * generator (zod-to-openapi, in openapi-document.ts) reads as the component's name.
 */
function named<T extends Record<string, z.ZodType>>(schemas: T): T {
  return Object.fromEntries(Object.entries(schemas).map(([id, s]) => [id, s.meta({ id })])) as T;
}

/** What clients send. */
const requests = {
  CustomerInput,
  CustomerPatch,
  VehicleInput,
  VehiclePatch,
  TransferOwnershipInput,
  AddLinkInput,
  OdometerInput,
  ImportUploadRequest,
  ImportRequest,
};

/**
 * What the server answers. A field with a default in the domain schema is always in an answer: the
 * document says so (openapi-document.ts documents every answer `withDefaultsRequired`), and the Lambda,
 * which builds no document, does not build those schemas at all.
 */
const responses = {
  Customer,
  CustomerDetail,
  CustomerVehicle,
  Vehicle,
  VehicleDetail,
  VehicleListItem,
  AuditEntry,
  ImportUpload,
  ImportJob,
  ImportRowError,
  GroupFiguresView,
};

export const Bodies = named({ ...requests, ...responses });

export const Pages = {
  CustomerPage: pageOf(Bodies.Customer, 'CustomerPage'),
  VehiclePage: pageOf(Bodies.VehicleListItem, 'VehiclePage'),
  AuditPage: pageOf(Bodies.AuditEntry, 'AuditPage'),
  CustomerVehiclePage: pageOf(Bodies.CustomerVehicle, 'CustomerVehiclePage'),
  ImportJobPage: pageOf(Bodies.ImportJob, 'ImportJobPage'),
  ImportRowErrorPage: pageOf(Bodies.ImportRowError, 'ImportRowErrorPage'),
};
