/** 数据导入: CSV imports, their chunks and the uploads they read. */

export * from './hq-figures.ts';
export * from './imports.ts';
export * from './uploads.ts';
