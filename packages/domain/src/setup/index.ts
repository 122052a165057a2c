/** 门店设置: the store's set-up, its labour-operation catalogue (工时目录) and checklist templates (预检表). */

export * from './import.ts';
export * from './model.ts';
export * from './rules.ts';
