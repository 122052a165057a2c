/** 门店设置: the set-up, labour-operation catalogue and checklist templates' declarations and repositories. */
export * from './checklist-templates.ts';
export * from './labour-ops.ts';
export * from './labour-ops-import.ts';
export * from './store-setup.ts';
