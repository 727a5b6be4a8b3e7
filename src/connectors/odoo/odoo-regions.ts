import { normalizeSearchText } from '../../common/text/normalize-search.js';
import type { OdooRpcClient } from './odoo-rpc.client.js';
import { many2oneId, many2oneName, num, text, type OdooRow } from './odoo-values.js';

/** What the ports report when Odoo has no province on the address. */
export const UNKNOWN_REGION = 'unknown';

export type Region = 'north' | 'central' | 'south';

/**
 * Odoo has no sales region; Gatehouse's are Vietnam's three (north, central,
 * south). They are derived from the province (`res.country.state`) on an
 * address: a warehouse's address, an order's delivery address. Names are
 * folded (no accents, lower case) so "Thừa Thiên Huế", "Thua Thien Hue" and
 * "TP. Hồ Chí Minh" all match. Pre-2025 provinces are listed; the merged
 * provinces of 2025 kept one of the old names, so they are covered too.
 */
const PROVINCES: Record<Region, string> = {
  north: `
    ha noi, hai phong, quang ninh, hai duong, hung yen, bac ninh, vinh phuc, ha nam,
    nam dinh, thai binh, ninh binh, ha giang, cao bang, bac kan, bac can, lang son,
    tuyen quang, thai nguyen, phu tho, bac giang, lao cai, yen bai, dien bien, lai chau,
    son la, hoa binh, hanoi, haiphong`,
  central: `
    thanh hoa, nghe an, ha tinh, quang binh, quang tri, thua thien hue, hue, da nang,
    quang nam, quang ngai, binh dinh, phu yen, khanh hoa, ninh thuan, binh thuan, kon tum,
    gia lai, dak lak, dac lac, dak nong, lam dong, danang`,
  south: `
    ho chi minh, sai gon, saigon, binh phuoc, binh duong, dong nai, tay ninh,
    ba ria vung tau, vung tau, long an, tien giang, ben tre, tra vinh, vinh long, dong thap,
    an giang, kien giang, can tho, hau giang, soc trang, bac lieu, ca mau`,
};

const BY_NAME = new Map<string, Region>(
  (Object.entries(PROVINCES) as [Region, string][]).flatMap(([region, names]) =>
    names.split(',').map((name) => [name.trim(), region] as const),
  ),
);

/** ISO 3166-2:VN codes of the five municipalities, for states named in another language. */
const BY_CODE: Readonly<Record<string, Region>> = {
  HN: 'north',
  HP: 'north',
  DN: 'central',
  SG: 'south',
  HCM: 'south',
  CT: 'south',
};

/** "Thành phố Hồ Chí Minh (VN)" -> "ho chi minh". */
function provinceKey(stateName: string): string {
  return normalizeSearchText(stateName.replace(/\s*\([A-Z]{2}\)\s*$/, ''))
    .replace(/^(tinh|thanh pho|tp)\s+/, '')
    .trim();
}

/** The region of a state as Odoo names it in a many2one (`[id, "Hà Nội (VN)"]`) or by name. */
export function regionOfState(state: unknown, code?: string): Region | null {
  const name = typeof state === 'string' ? state : many2oneName(state);
  const byName = BY_NAME.get(provinceKey(name));
  if (byName) return byName;
  const normalizedCode = (code ?? '').toUpperCase().replace(/^VN-/, '');
  return BY_CODE[normalizedCode] ?? null;
}

/**
 * The region of each row's partner (`partner_id`: a warehouse's or a
 * delivery's address), with one read of those partners' provinces.
 */
export async function partnerRegions(
  rpc: OdooRpcClient,
  rows: readonly OdooRow[],
): Promise<(row: OdooRow) => Region | typeof UNKNOWN_REGION> {
  const partnerIds = [
    ...new Set(rows.map((r) => many2oneId(r.partner_id)).filter((id) => id !== null)),
  ];
  const partners =
    partnerIds.length === 0
      ? []
      : await rpc.searchRead('res.partner', [['id', 'in', partnerIds]], { fields: ['state_id'] });
  const stateOf = new Map(partners.map((p) => [num(p.id), p.state_id]));
  return (row) => {
    const partnerId = many2oneId(row.partner_id);
    return regionOfState(partnerId === null ? undefined : stateOf.get(partnerId)) ?? UNKNOWN_REGION;
  };
}

/**
 * The Vietnamese `res.country.state` ids per region, read once: the deliveries
 * listing filters by region with `partner_id.state_id in [...]`.
 */
export class OdooRegions {
  private states: Promise<Map<Region, number[]>> | undefined;

  constructor(private readonly rpc: OdooRpcClient) {}

  async stateIds(region: string): Promise<number[]> {
    this.states ??= this.load().catch((error: unknown) => {
      this.states = undefined;
      throw error;
    });
    return (await this.states).get(region as Region) ?? [];
  }

  private async load(): Promise<Map<Region, number[]>> {
    const rows = await this.rpc.searchRead('res.country.state', [['country_id.code', '=', 'VN']], {
      fields: ['name', 'code'],
    });
    const byRegion = new Map<Region, number[]>();
    for (const row of rows) {
      const region = regionOfState(text(row.name), text(row.code));
      if (region) byRegion.set(region, [...(byRegion.get(region) ?? []), num(row.id)]);
    }
    return byRegion;
  }
}
