import type { Feature } from '../app/feature.ts';
import { vehicleMessages } from './messages.ts';
import { VehicleEditPage } from './VehicleEditPage.tsx';
import { VehicleFormPage } from './VehicleFormPage.tsx';
import { VehiclePage } from './VehiclePage.tsx';

/** 车辆档案: register, edit, read (with transfer, drivers and odometer as actions on the record). */
export const vehicles: Feature<(typeof vehicleMessages)['en']> = {
  name: 'vehicles',
  messages: vehicleMessages,
  storeRoutes: [
    {
      pattern: '/vehicles/new',
      permission: 'registry:write',
      render: () => <VehicleFormPage />,
      nav: 'nav.newVehicle',
    },
    {
      pattern: '/vehicles/:id/edit',
      permission: 'registry:write',
      render: (p) => <VehicleEditPage key={p.id} vehicleId={p.id!} />,
    },
    {
      pattern: '/vehicles/:id',
      permission: 'registry:read',
      render: (p) => <VehiclePage key={p.id} vehicleId={p.id!} />,
    },
  ],
};
