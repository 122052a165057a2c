/** 客户档案 / 车辆档案: the customer and vehicle registry's declarations and repositories. */
export * from './customers.ts';
export * from './hq-figures.ts';
export * from './vehicles.ts';
