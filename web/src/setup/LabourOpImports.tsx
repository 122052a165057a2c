import { LABOUR_OPS_HEADER, templateHeaders } from '@aftersales/domain';
import { ImportJobPage, ImportsPage, type ImportView } from '../imports/ImportsPage.tsx';

/** 工时目录导入: the catalogue's imports, on the imports pages (upload, progress, row report). */
export const LABOUR_OP_IMPORTS: ImportView = {
  kind: 'labour-ops',
  page: 'setup/labour-ops/imports',
  title: 'labourOpImport.title',
  subtitle: 'labourOpImport.subtitle',
  help: 'labourOpImport.help',
  columnsMissing: 'labourOpImport.columnsMissing',
  back: { page: 'setup/labour-ops', label: 'nav.labourOps' },
  // Manufacturers publish labour-time guides as Excel workbooks.
  xlsx: true,
  template: { headers: templateHeaders(LABOUR_OPS_HEADER), fileName: 'labour-operations-template.csv' },
};

export function LabourOpImportsPage() {
  return <ImportsPage view={LABOUR_OP_IMPORTS} />;
}

export function LabourOpImportJobPage({ importId }: { importId: string }) {
  return <ImportJobPage importId={importId} view={LABOUR_OP_IMPORTS} />;
}
