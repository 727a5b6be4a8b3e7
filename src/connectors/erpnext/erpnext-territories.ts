import type { ErpNextRestClient } from './erpnext-rest.client.js';
import { RegionTree, text } from './erpnext-values.js';

const MAX_TERRITORIES = 1000;

/** Gatehouse regions come from the ERPNext Territory tree (see docs/connectors/erpnext.md). */
export async function territoryTree(client: ErpNextRestClient): Promise<RegionTree> {
  const rows = await client.list('Territory', {
    fields: ['name', 'parent_territory'],
    limit: MAX_TERRITORIES,
  });
  return new RegionTree(
    rows.map((row) => ({ name: text(row, 'name'), parent: text(row, 'parent_territory') || null })),
  );
}
