/** The documents of an order printed from the browser (委托书, 报价单, 结算单, 交车单), by route segment. */
export const PRINT_DOCS = ['ro', 'quote', 'settlement', 'delivery'] as const;
export type PrintDoc = (typeof PRINT_DOCS)[number];

export const isPrintDoc = (doc: string): doc is PrintDoc => (PRINT_DOCS as readonly string[]).includes(doc);
