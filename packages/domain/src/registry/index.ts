/** 客户档案 / 车辆档案: the customer and vehicle registry. */
export * from './model.ts';
export * from './odometer.ts';
export * from './rules.ts';
export * from './vin.ts';
