import { PARTS_HEADER, templateHeaders } from '@aftersales/domain';
import { ImportJobPage, ImportsPage, type ImportView } from '../imports/ImportsPage.tsx';

/** 配件目录导入: the catalogue's imports, on the imports pages (upload, progress, row report). */
export const PART_IMPORTS: ImportView = {
  kind: 'parts',
  page: 'parts/imports',
  title: 'partImport.title',
  subtitle: 'partImport.subtitle',
  help: 'partImport.help',
  columnsMissing: 'partImport.columnsMissing',
  back: { page: 'parts', label: 'nav.parts' },
  // Manufacturers publish price lists as Excel workbooks.
  xlsx: true,
  template: { headers: templateHeaders(PARTS_HEADER), fileName: 'parts-catalogue-template.csv' },
};

export function PartImportsPage() {
  return <ImportsPage view={PART_IMPORTS} />;
}

export function PartImportJobPage({ importId }: { importId: string }) {
  return <ImportJobPage importId={importId} view={PART_IMPORTS} />;
}
