import {
  AddLinkInput,
  Customer,
  CustomerDetail,
  CustomerInput,
  CustomerNameSearch,
  CustomerPatch,
  CustomerPhoneSearch,
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
import { PageFields, pageOf } from '../platform/http.ts';

/** The registry's bodies, named for the document (see platform/bodies.ts). */
export const Bodies = named({
  CustomerInput,
  CustomerPatch,
  CustomerNameSearch: CustomerNameSearch.extend(PageFields.shape),
  CustomerPhoneSearch,
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
