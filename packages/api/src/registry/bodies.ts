import {
  AddLinkInput,
  Customer,
  CustomerDetail,
  CustomerInput,
  CustomerPatch,
  CustomerVehicle,
  OdometerInput,
  TransferOwnershipInput,
  Vehicle,
  VehicleDetail,
  VehicleInput,
  VehicleListItem,
  VehiclePatch,
} from '@aftersales/domain';
import { named } from '../platform/bodies.ts';
import { pageOf } from '../platform/http.ts';

/** The registry's bodies, named for the document (see platform/bodies.ts). */
export const Bodies = named({
  CustomerInput,
  CustomerPatch,
  VehicleInput,
  VehiclePatch,
  TransferOwnershipInput,
  AddLinkInput,
  OdometerInput,
  Customer,
  CustomerDetail,
  CustomerVehicle,
  Vehicle,
  VehicleDetail,
  VehicleListItem,
});

export const Pages = {
  CustomerPage: pageOf(Bodies.Customer, 'CustomerPage'),
  VehiclePage: pageOf(Bodies.VehicleListItem, 'VehiclePage'),
  CustomerVehiclePage: pageOf(Bodies.CustomerVehicle, 'CustomerVehiclePage'),
};
