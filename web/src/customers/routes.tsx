import type { Feature } from '../app/feature.ts';
import { CustomerFormPage } from './CustomerFormPage.tsx';
import { CustomerPage } from './CustomerPage.tsx';
import { customerMessages } from './messages.ts';

/** 客户档案: create, edit, read. */
export const customers: Feature<(typeof customerMessages)['en']> = {
  name: 'customers',
  messages: customerMessages,
  storeRoutes: [
    {
      pattern: '/customers/new',
      permission: 'registry:write',
      render: () => <CustomerFormPage key="new" />,
      nav: 'nav.newCustomer',
    },
    {
      pattern: '/customers/:id/edit',
      permission: 'registry:write',
      render: (p) => <CustomerFormPage key={`edit-${p.id}`} customerId={p.id} />,
    },
    {
      pattern: '/customers/:id',
      permission: 'registry:read',
      render: (p) => <CustomerPage key={p.id} customerId={p.id!} />,
    },
  ],
};
