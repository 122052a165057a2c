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
  withDefaultsRequired,
} from '@aftersales/domain';
import type { z } from 'zod';
import { pageOf } from './http.ts';

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
 * What the server answers. A field with a default in the domain schema is always in an answer, so the
 * document says it is required there (a generated client then need not check for it).
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

export const Bodies = named({
  ...requests,
  ...(Object.fromEntries(
    Object.entries(responses).map(([id, s]) => [id, withDefaultsRequired(s)]),
  ) as typeof responses),
});

export const Pages = {
  CustomerPage: pageOf(Bodies.Customer, 'CustomerPage'),
  VehiclePage: pageOf(Bodies.VehicleListItem, 'VehiclePage'),
  AuditPage: pageOf(Bodies.AuditEntry, 'AuditPage'),
  CustomerVehiclePage: pageOf(Bodies.CustomerVehicle, 'CustomerVehiclePage'),
  ImportJobPage: pageOf(Bodies.ImportJob, 'ImportJobPage'),
  ImportRowErrorPage: pageOf(Bodies.ImportRowError, 'ImportRowErrorPage'),
};
