import type { Prisma } from '../../generated/sqlite/client.js';
import { normalizeSearchText } from '../../common/text/normalize-search.js';

/** "Now" for the demo data set: every date is an offset from it, so the output never drifts. */
export const DEMO_ANCHOR = new Date('2026-11-01T00:00:00Z');

const SEED = 0x6a7e_2026;
const ORDER_COUNT = 1500;
const CUSTOMER_COUNT = 800;
const ORDER_HISTORY_DAYS = 120;
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export type DemoOrder = Prisma.SalesOrderCreateManyInput & { placedAt: Date; updatedAt: Date };
export type DemoDelivery = Prisma.DeliveryCreateManyInput & {
  trackingNumber: string | null;
  windowStart: Date;
  windowEnd: Date;
};
export type DemoStockLevel = Prisma.StockLevelCreateManyInput & { updatedAt: Date };

export interface DemoData {
  warehouses: Prisma.WarehouseCreateManyInput[];
  products: Prisma.ProductCreateManyInput[];
  stockLevels: DemoStockLevel[];
  salesReps: Prisma.SalesRepCreateManyInput[];
  orders: DemoOrder[];
  orderLines: Prisma.OrderLineCreateManyInput[];
  deliveries: DemoDelivery[];
}

type Region = 'north' | 'central' | 'south';
type ProductLine = 'furniture' | 'office' | 'lighting' | 'kitchen' | 'electrical';
type OrderStatus =
  'pending' | 'confirmed' | 'picking' | 'shipped' | 'partially_shipped' | 'delivered' | 'cancelled';
type DeliveryStatus = 'scheduled' | 'in_transit' | 'delivered' | 'failed';

/** mulberry32: tiny, fast and good enough for demo data; never used for anything secret. */
class Random {
  #state: number;

  constructor(seed: number) {
    this.#state = seed >>> 0;
  }

  next(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }

  weighted<T>(weights: ReadonlyArray<readonly [T, number]>): T {
    const total = weights.reduce((sum, [, weight]) => sum + weight, 0);
    let roll = this.next() * total;
    for (const [key, weight] of weights) {
      roll -= weight;
      if (roll < 0) return key;
    }
    return weights[weights.length - 1][0];
  }

  sample<T>(items: readonly T[], count: number): T[] {
    const pool = [...items];
    for (let i = 0; i < count; i++) {
      const j = i + Math.floor(this.next() * (pool.length - i));
      [pool[i], pool[j]] = [pool[j], pool[i]];
    }
    return pool.slice(0, count);
  }

  digits(count: number): string {
    let out = '';
    for (let i = 0; i < count; i++) out += String(this.int(0, 9));
    return out;
  }
}

// ------------------------------------------------------------------ warehouses

const WAREHOUSES: ReadonlyArray<Prisma.WarehouseCreateManyInput & { weight: number }> = [
  { code: 'HCM-01', name: 'Kho Thủ Đức', region: 'south', weight: 5 },
  { code: 'HN-01', name: 'Kho Long Biên', region: 'north', weight: 4 },
  { code: 'DN-01', name: 'Kho Liên Chiểu', region: 'central', weight: 2 },
  { code: 'CT-01', name: 'Kho Cần Thơ', region: 'south', weight: 2 },
  { code: 'HP-01', name: 'Kho Hải An', region: 'north', weight: 1 },
];

// -------------------------------------------------------------------- products

/** [label in the name, code in the SKU, price factor]. An empty label or code is left out. */
type Option = readonly [label: string, code: string, factor?: number];

interface ProductTemplate {
  line: ProductLine;
  /** Product name with {0}, {1} standing for the chosen options' labels. */
  name: string;
  sku: string;
  unit: string;
  /** List price in VND when every chosen option has factor 1. */
  price: number;
  options: readonly (readonly Option[])[];
}

/** Numeric options whose price grows with the size: elasticity 1 means proportionally. */
const sizes = (values: readonly number[], elasticity: number): Option[] =>
  values.map((value) => [String(value), String(value), 1 + (value / values[0] - 1) * elasticity]);

const TEMPLATES: readonly ProductTemplate[] = [
  // furniture
  {
    line: 'furniture',
    name: 'Bàn gỗ {0} {1}cm',
    sku: 'BAN-GO',
    unit: 'cái',
    price: 2_490_000,
    options: [
      [
        ['sồi', 'SOI'],
        ['óc chó', 'OC-CHO', 1.6],
        ['cao su', 'CAO-SU', 0.7],
        ['tràm', 'TRAM', 0.75],
      ],
      [
        ['100', '100', 0.85],
        ['120', '120'],
        ['140', '140', 1.15],
        ['160', '160', 1.3],
      ],
    ],
  },
  {
    line: 'furniture',
    name: 'Ghế xoay văn phòng {0} {1}',
    sku: 'GHE-XOAY',
    unit: 'cái',
    price: 1_590_000,
    options: [
      [
        ['lưng lưới', 'LUOI'],
        ['lưng da', 'DA', 1.4],
        ['lưng cao', 'CAO', 1.25],
      ],
      [
        ['đen', 'DEN'],
        ['xám', 'XAM'],
        ['xanh navy', 'NAVY', 1.05],
      ],
    ],
  },
  {
    line: 'furniture',
    name: 'Tủ hồ sơ {0} {1}',
    sku: 'TU-HO-SO',
    unit: 'cái',
    price: 3_290_000,
    options: [
      [
        ['2 cánh', '2C', 0.8],
        ['3 ngăn kéo', '3N'],
        ['4 ngăn kéo', '4N', 1.2],
      ],
      [
        ['gỗ MDF', 'MDF'],
        ['sắt sơn tĩnh điện', 'SAT', 1.1],
      ],
    ],
  },
  {
    line: 'furniture',
    name: 'Kệ sách {0} tầng {1}',
    sku: 'KE-SACH',
    unit: 'cái',
    price: 890_000,
    options: [
      [
        ['3', '3T'],
        ['4', '4T', 1.2],
        ['5', '5T', 1.4],
      ],
      [
        ['trắng', 'TRANG'],
        ['vân gỗ', 'VAN-GO', 1.1],
      ],
    ],
  },
  {
    line: 'furniture',
    name: 'Sofa băng {0} {1}',
    sku: 'SOFA',
    unit: 'bộ',
    price: 6_990_000,
    options: [
      [
        ['2 chỗ', '2C', 0.75],
        ['3 chỗ', '3C'],
        ['góc L', 'GOC-L', 1.5],
      ],
      [
        ['nỉ', 'NI'],
        ['da PU', 'DA-PU', 1.3],
        ['vải lanh', 'LANH', 1.1],
      ],
    ],
  },
  {
    line: 'furniture',
    name: 'Bàn trà {0} {1}',
    sku: 'BAN-TRA',
    unit: 'cái',
    price: 1_490_000,
    options: [
      [
        ['mặt kính', 'KINH'],
        ['gỗ sồi', 'SOI', 1.3],
        ['mặt đá', 'DA', 1.7],
      ],
      [
        ['tròn 60cm', 'TRON-60'],
        ['chữ nhật 100cm', 'CN-100', 1.25],
      ],
    ],
  },
  {
    line: 'furniture',
    name: 'Giường ngủ gỗ {0} {1}',
    sku: 'GIUONG',
    unit: 'bộ',
    price: 7_490_000,
    options: [
      [
        ['sồi', 'SOI'],
        ['óc chó', 'OC-CHO', 1.7],
        ['cao su', 'CAO-SU', 0.65],
      ],
      [
        ['1m6', '160'],
        ['1m8', '180', 1.15],
      ],
    ],
  },
  {
    line: 'furniture',
    name: 'Bàn họp {0} {1}',
    sku: 'BAN-HOP',
    unit: 'cái',
    price: 5_990_000,
    options: [
      [
        ['6 chỗ', '6C'],
        ['8 chỗ', '8C', 1.3],
        ['10 chỗ', '10C', 1.6],
        ['12 chỗ', '12C', 1.9],
      ],
      [
        ['gỗ MDF', 'MDF'],
        ['gỗ sồi', 'SOI', 1.5],
      ],
    ],
  },
  {
    line: 'furniture',
    name: '{0} Desk {1}cm',
    sku: 'DESK',
    unit: 'piece',
    price: 2_690_000,
    options: [
      [
        ['Oak', 'OAK'],
        ['Walnut', 'WALNUT', 1.6],
        ['Ash', 'ASH', 0.95],
        ['White', 'WHITE', 0.8],
      ],
      sizes([120, 140, 160, 180], 0.7),
    ],
  },
  {
    line: 'furniture',
    name: 'Standing Desk {0} {1}',
    sku: 'STANDING-DESK',
    unit: 'piece',
    price: 6_490_000,
    options: [
      [
        ['Single Motor', 'SM'],
        ['Dual Motor', 'DM', 1.35],
      ],
      [
        ['120x60cm', '12060'],
        ['140x70cm', '14070', 1.08],
        ['160x80cm', '16080', 1.16],
      ],
    ],
  },
  {
    line: 'furniture',
    name: 'Ergonomic Chair {0} {1}',
    sku: 'CHAIR-ERGO',
    unit: 'piece',
    price: 3_990_000,
    options: [
      [
        ['Mesh', 'MESH'],
        ['Leather', 'LEATHER', 1.5],
      ],
      [
        ['Black', 'BLK'],
        ['Grey', 'GRY'],
        ['White', 'WHT', 1.05],
      ],
    ],
  },
  {
    line: 'furniture',
    name: 'Bookshelf {0} Tiers {1}',
    sku: 'BOOKSHELF',
    unit: 'piece',
    price: 1_190_000,
    options: [
      sizes([3, 4, 5, 6], 0.3),
      [
        ['Oak', 'OAK', 1.2],
        ['White', 'WHITE'],
      ],
    ],
  },
  // office
  {
    line: 'office',
    name: 'Giấy in A4 {0} {1}',
    sku: 'GIAY-A4',
    unit: 'ram',
    price: 75_000,
    options: [
      [
        ['70gsm', '70'],
        ['80gsm', '80', 1.15],
      ],
      [
        ['Double A', 'DOUBLEA', 1.1],
        ['IK Plus', 'IKPLUS'],
        ['Paper One', 'PAPERONE', 1.05],
      ],
    ],
  },
  {
    line: 'office',
    name: 'Bút bi {0} hộp {1} cây',
    sku: 'BUT-BI',
    unit: 'hộp',
    price: 65_000,
    options: [
      [
        ['Thiên Long TL-027', 'TL027'],
        ['Bến Nghé', 'BN', 0.9],
        ['Pentel BK77', 'PENTEL', 1.8],
      ],
      [
        ['20', '20'],
        ['50', '50', 2.3],
      ],
    ],
  },
  {
    line: 'office',
    name: 'Bìa còng {0} {1}',
    sku: 'BIA-CONG',
    unit: 'cái',
    price: 45_000,
    options: [
      [
        ['5cm', '5CM'],
        ['7cm', '7CM', 1.15],
      ],
      [
        ['xanh', 'XANH'],
        ['đỏ', 'DO'],
        ['đen', 'DEN'],
      ],
    ],
  },
  {
    line: 'office',
    name: 'Bảng trắng {1} {0}',
    sku: 'BANG-TRANG',
    unit: 'cái',
    price: 590_000,
    options: [
      [
        ['60x80cm', '6080'],
        ['80x120cm', '80120', 1.5],
        ['120x200cm', '120200', 2.8],
      ],
      [
        ['từ tính', 'TU-TINH', 1.3],
        ['thường', 'THUONG'],
      ],
    ],
  },
  {
    line: 'office',
    name: 'Máy hủy tài liệu {0}',
    sku: 'MAY-HUY',
    unit: 'cái',
    price: 2_990_000,
    options: [
      [
        ['cắt sợi 8 tờ', 'SOI-8'],
        ['cắt vụn 10 tờ', 'VUN-10', 1.4],
        ['cắt vụn 15 tờ', 'VUN-15', 2.1],
      ],
    ],
  },
  {
    line: 'office',
    name: 'Office Paper A4 {0} {1}',
    sku: 'PAPER-A4',
    unit: 'box',
    price: 380_000,
    options: [
      [
        ['70gsm', '70'],
        ['80gsm', '80', 1.15],
      ],
      [
        ['5 reams', '5R'],
        ['10 reams', '10R', 1.95],
      ],
    ],
  },
  {
    line: 'office',
    name: 'Monitor Arm {0} {1}',
    sku: 'MONITOR-ARM',
    unit: 'piece',
    price: 890_000,
    options: [
      [
        ['Single', 'SINGLE'],
        ['Dual', 'DUAL', 1.6],
      ],
      [
        ['Black', 'BLK'],
        ['Silver', 'SLV'],
      ],
    ],
  },
  {
    line: 'office',
    name: 'Whiteboard {0}',
    sku: 'WHITEBOARD',
    unit: 'piece',
    price: 690_000,
    options: [
      [
        ['60x90cm', '6090'],
        ['90x120cm', '90120', 1.5],
        ['120x180cm', '120180', 2.4],
      ],
    ],
  },
  {
    line: 'office',
    name: 'Filing Cabinet {0} Drawers {1}',
    sku: 'FILING-CAB',
    unit: 'piece',
    price: 2_790_000,
    options: [
      sizes([2, 3, 4], 0.3),
      [
        ['Grey', 'GRY'],
        ['Black', 'BLK'],
      ],
    ],
  },
  {
    line: 'office',
    name: 'Máy tính cầm tay Casio {0}',
    sku: 'CASIO',
    unit: 'cái',
    price: 690_000,
    options: [
      [
        ['FX-580VN X', 'FX580'],
        ['FX-880BTG', 'FX880', 1.2],
        ['MX-120B', 'MX120', 0.35],
      ],
    ],
  },
  {
    line: 'office',
    name: 'Sổ tay bìa da {0} {1}',
    sku: 'SO-TAY',
    unit: 'cuốn',
    price: 129_000,
    options: [
      [
        ['A5', 'A5'],
        ['B5', 'B5', 1.2],
      ],
      [
        ['đen', 'DEN'],
        ['nâu', 'NAU'],
        ['xanh rêu', 'XANH-REU'],
      ],
    ],
  },
  {
    line: 'office',
    name: 'Ghế chờ inox {0} chỗ',
    sku: 'GHE-CHO',
    unit: 'bộ',
    price: 1_890_000,
    options: [sizes([3, 4, 5], 0.8)],
  },
  // lighting
  {
    line: 'lighting',
    name: 'Đèn LED âm trần {0}W {1}',
    sku: 'DEN-LED-AT',
    unit: 'cái',
    price: 159_000,
    options: [
      [
        ['6', '6W', 0.6],
        ['9', '9W', 0.8],
        ['12', '12W'],
        ['18', '18W', 1.3],
        ['24', '24W', 1.6],
      ],
      [
        ['', ''],
        ['ánh sáng vàng', 'V'],
        ['trung tính', 'TT', 1.05],
      ],
    ],
  },
  {
    line: 'lighting',
    name: 'Đèn LED ốp trần {0} {1}W',
    sku: 'DEN-OP-TRAN',
    unit: 'cái',
    price: 390_000,
    options: [
      [
        ['tròn', 'TRON'],
        ['vuông', 'VUONG', 1.05],
      ],
      sizes([18, 24, 36], 0.6),
    ],
  },
  {
    line: 'lighting',
    name: 'Bóng đèn LED bulb {0}W {1}',
    sku: 'BONG-LED',
    unit: 'cái',
    price: 39_000,
    options: [
      sizes([5, 9, 12, 15, 20, 30], 0.25),
      [
        ['trắng', 'T'],
        ['vàng', 'V'],
      ],
    ],
  },
  {
    line: 'lighting',
    name: 'Đèn tuýp LED T8 {0} {1}',
    sku: 'DEN-TUYP-T8',
    unit: 'cái',
    price: 89_000,
    options: [
      [
        ['0,6m 10W', '06M-10W', 0.7],
        ['1,2m 18W', '12M-18W'],
        ['1,2m 22W', '12M-22W', 1.2],
      ],
      [
        ['ánh sáng trắng', 'T'],
        ['trung tính', 'TT'],
      ],
    ],
  },
  {
    line: 'lighting',
    name: 'Đèn bàn học LED {0} {1}',
    sku: 'DEN-BAN',
    unit: 'cái',
    price: 349_000,
    options: [
      [
        ['chống cận', 'CHONG-CAN', 1.2],
        ['kẹp bàn', 'KEP-BAN'],
        ['sạc USB', 'USB', 0.85],
      ],
      [
        ['trắng', 'TRANG'],
        ['đen', 'DEN'],
      ],
    ],
  },
  {
    line: 'lighting',
    name: 'Đèn pha LED {0}W {1}',
    sku: 'DEN-PHA',
    unit: 'cái',
    price: 290_000,
    options: [
      [
        ['30', '30W'],
        ['50', '50W', 1.4],
        ['100', '100W', 2.3],
        ['150', '150W', 3.1],
        ['200', '200W', 3.9],
      ],
      [
        ['IP65', 'IP65'],
        ['năng lượng mặt trời', 'SOLAR', 1.8],
      ],
    ],
  },
  {
    line: 'lighting',
    name: 'LED Panel 600x600 {0}W {1}',
    sku: 'LED-PANEL-6060',
    unit: 'piece',
    price: 490_000,
    options: [
      sizes([36, 40, 48], 0.5),
      [
        ['Cool White', 'CW'],
        ['Neutral White', 'NW'],
      ],
    ],
  },
  {
    line: 'lighting',
    name: 'LED Strip 5m {0}',
    sku: 'LED-STRIP-5M',
    unit: 'set',
    price: 249_000,
    options: [
      [
        ['Warm White', 'WW'],
        ['Cool White', 'CW'],
        ['RGB', 'RGB', 1.6],
        ['RGBW Wi-Fi', 'RGBW-WIFI', 2.2],
      ],
    ],
  },
  {
    line: 'lighting',
    name: 'Pendant Light {0} {1}',
    sku: 'PENDANT',
    unit: 'piece',
    price: 890_000,
    options: [
      [
        ['Rattan', 'RATTAN'],
        ['Glass Globe', 'GLASS', 1.2],
        ['Black Metal', 'METAL', 0.8],
      ],
      [
        ['30cm', '30'],
        ['45cm', '45', 1.4],
      ],
    ],
  },
  {
    line: 'lighting',
    name: 'Đèn ray nam châm {0}W {1}',
    sku: 'DEN-RAY',
    unit: 'cái',
    price: 450_000,
    options: [
      sizes([10, 20, 30], 0.4),
      [
        ['đen', 'DEN'],
        ['trắng', 'TRANG'],
      ],
    ],
  },
  // kitchen
  {
    line: 'kitchen',
    name: 'Nồi inox 3 đáy {0}cm',
    sku: 'NOI-INOX',
    unit: 'cái',
    price: 349_000,
    options: [sizes([16, 18, 20, 22, 24, 26, 28, 30], 1)],
  },
  {
    line: 'kitchen',
    name: 'Chảo chống dính {0} {1}cm',
    sku: 'CHAO',
    unit: 'cái',
    price: 259_000,
    options: [
      [
        ['đáy từ', 'TU'],
        ['vân đá', 'VAN-DA', 1.3],
        ['sâu lòng', 'SAU-LONG', 1.15],
      ],
      sizes([20, 24, 28], 0.8),
    ],
  },
  {
    line: 'kitchen',
    name: 'Bộ dao nhà bếp {0} món',
    sku: 'BO-DAO',
    unit: 'bộ',
    price: 490_000,
    options: [
      [
        ['3', '3M', 0.7],
        ['5', '5M'],
        ['7', '7M', 1.5],
      ],
    ],
  },
  {
    line: 'kitchen',
    name: 'Bếp từ đôi {0}',
    sku: 'BEP-TU',
    unit: 'cái',
    price: 5_990_000,
    options: [
      [
        ['âm Kangaroo', 'KG'],
        ['dương Sunhouse', 'SH', 0.55],
        ['từ hồng ngoại', 'HN', 1.2],
      ],
    ],
  },
  {
    line: 'kitchen',
    name: 'Ấm siêu tốc {1} {0}',
    sku: 'AM-SIEU-TOC',
    unit: 'cái',
    price: 329_000,
    options: [
      [
        ['1,5L', '15L'],
        ['1,8L', '18L', 1.1],
        ['2,0L', '20L', 1.2],
      ],
      [
        ['inox', 'INOX'],
        ['thủy tinh', 'THUY-TINH', 1.3],
      ],
    ],
  },
  {
    line: 'kitchen',
    name: 'Máy xay sinh tố {0}',
    sku: 'MAY-XAY',
    unit: 'cái',
    price: 890_000,
    options: [
      [
        ['1,5L 600W', '15L'],
        ['2L 800W', '20L', 1.4],
        ['cầm tay', 'CAM-TAY', 0.6],
      ],
    ],
  },
  {
    line: 'kitchen',
    name: 'Stainless Steel Pot {0}cm',
    sku: 'POT-SS',
    unit: 'piece',
    price: 399_000,
    options: [sizes([18, 20, 24, 28], 0.9)],
  },
  {
    line: 'kitchen',
    name: 'Non-stick Frying Pan {0}cm',
    sku: 'PAN-NS',
    unit: 'piece',
    price: 299_000,
    options: [sizes([20, 24, 26, 28, 30], 0.8)],
  },
  {
    line: 'kitchen',
    name: 'Knife Set {0} pcs',
    sku: 'KNIFE-SET',
    unit: 'set',
    price: 690_000,
    options: [sizes([5, 8, 12], 0.4)],
  },
  {
    line: 'kitchen',
    name: 'Electric Kettle {0}',
    sku: 'KETTLE',
    unit: 'piece',
    price: 449_000,
    options: [
      [
        ['1.5L', '15L'],
        ['1.7L', '17L', 1.1],
        ['1.7L Glass', '17L-GLASS', 1.4],
      ],
    ],
  },
  {
    line: 'kitchen',
    name: 'Bộ hộp thủy tinh đựng thực phẩm {0} hộp',
    sku: 'HOP-TP',
    unit: 'bộ',
    price: 199_000,
    options: [
      [
        ['3', '3H'],
        ['5', '5H', 1.5],
        ['10', '10H', 2.6],
      ],
    ],
  },
  {
    line: 'kitchen',
    name: 'Kệ chén đĩa inox {0} tầng {1}',
    sku: 'KE-CHEN',
    unit: 'cái',
    price: 590_000,
    options: [
      [
        ['2', '2T'],
        ['3', '3T', 1.3],
      ],
      [
        ['để bàn', 'DE-BAN'],
        ['treo tường', 'TREO', 1.1],
      ],
    ],
  },
  {
    line: 'kitchen',
    name: 'Rice Cooker {0}',
    sku: 'RICE-COOKER',
    unit: 'piece',
    price: 1_290_000,
    options: [
      [
        ['1.0L', '10L', 0.8],
        ['1.8L', '18L'],
        ['1.8L Induction', '18L-IH', 2.1],
      ],
    ],
  },
  // electrical
  {
    line: 'electrical',
    name: 'Ổ cắm điện {0} lỗ dây {1}m',
    sku: 'O-CAM',
    unit: 'cái',
    price: 119_000,
    options: [
      [
        ['3', '3L'],
        ['4', '4L', 1.15],
        ['6', '6L', 1.4],
      ],
      [
        ['3', '3M'],
        ['5', '5M', 1.25],
      ],
    ],
  },
  {
    line: 'electrical',
    name: 'Công tắc {0} {1}',
    sku: 'CONG-TAC',
    unit: 'cái',
    price: 39_000,
    options: [
      [
        ['1 chiều', '1C'],
        ['2 chiều', '2C', 1.3],
      ],
      [
        ['đơn', 'DON'],
        ['đôi', 'DOI', 1.6],
        ['ba', 'BA', 2.1],
      ],
    ],
  },
  {
    line: 'electrical',
    name: 'Dây điện Cadivi CV {0} cuộn 100m',
    sku: 'DAY-CADIVI-CV',
    unit: 'cuộn',
    price: 690_000,
    options: [
      [
        ['1.5', '15'],
        ['2.5', '25', 1.6],
        ['4.0', '40', 2.5],
        ['6.0', '60', 3.7],
      ],
    ],
  },
  {
    line: 'electrical',
    name: 'Aptomat {0} {1}A',
    sku: 'APTOMAT',
    unit: 'cái',
    price: 129_000,
    options: [
      [
        ['1 pha', '1P'],
        ['2 pha', '2P', 1.9],
      ],
      sizes([10, 16, 20, 32, 40, 63], 0.05),
    ],
  },
  {
    line: 'electrical',
    name: 'Ổ cắm âm tường {0} {1}',
    sku: 'O-CAM-AT',
    unit: 'cái',
    price: 79_000,
    options: [
      [
        ['đôi 3 chấu', 'DOI-3C'],
        ['đơn có USB', 'USB', 2.4],
        ['đôi có công tắc', 'DOI-CT', 1.3],
      ],
      [
        ['trắng', 'TRANG'],
        ['đen', 'DEN', 1.1],
      ],
    ],
  },
  {
    line: 'electrical',
    name: 'Extension Cord {0} Outlets {1}m',
    sku: 'EXT-CORD',
    unit: 'piece',
    price: 159_000,
    options: [sizes([4, 6], 0.5), sizes([2, 3, 5], 0.2)],
  },
  {
    line: 'electrical',
    name: 'Circuit Breaker {0} {1}A',
    sku: 'MCB',
    unit: 'piece',
    price: 149_000,
    options: [
      [
        ['1P', '1P'],
        ['2P', '2P', 1.9],
      ],
      sizes([16, 32, 63], 0.05),
    ],
  },
  {
    line: 'electrical',
    name: 'Smart Plug Wi-Fi {0}',
    sku: 'SMART-PLUG',
    unit: 'piece',
    price: 249_000,
    options: [
      [
        ['10A', '10A'],
        ['16A', '16A', 1.1],
        ['16A Energy Monitor', '16A-EM', 1.5],
      ],
    ],
  },
  {
    line: 'electrical',
    name: 'Quạt trần {0} {1} cánh',
    sku: 'QUAT-TRAN',
    unit: 'cái',
    price: 2_490_000,
    options: [
      [
        ['có đèn', 'DEN', 1.3],
        ['không đèn', 'KHONG-DEN'],
      ],
      [
        ['3', '3C'],
        ['5', '5C', 1.2],
      ],
    ],
  },
  {
    line: 'electrical',
    name: 'Ổn áp {0} {1}kVA',
    sku: 'ON-AP',
    unit: 'cái',
    price: 1_990_000,
    options: [
      [
        ['Lioa', 'LIOA'],
        ['Robot', 'ROBOT', 0.9],
      ],
      sizes([1, 2, 3, 5], 0.45),
    ],
  },
];

function cartesian<T>(axes: readonly (readonly T[])[]): T[][] {
  return axes.reduce<T[][]>(
    (combos, axis) => combos.flatMap((combo) => axis.map((value) => [...combo, value])),
    [[]],
  );
}

/** Shop prices: 2,490,000 / 849,000 / 82,000 rather than the raw product of the factors. */
function retailPrice(raw: number): number {
  if (raw >= 1_000_000) return Math.round(raw / 100_000) * 100_000 - 10_000;
  if (raw >= 100_000) return Math.round(raw / 50_000) * 50_000 - 1_000;
  return Math.round(raw / 1_000) * 1_000;
}

function buildProducts(): Prisma.ProductCreateManyInput[] {
  return TEMPLATES.flatMap((template) =>
    cartesian(template.options).map((combo) => {
      const name = template.name
        .replace(/\{(\d)\}/g, (_, index: string) => combo[Number(index)][0])
        .replace(/\s+/g, ' ')
        .trim();
      const sku = [template.sku, ...combo.map(([, code]) => code)].filter(Boolean).join('-');
      const factor = combo.reduce((product, [, , f = 1]) => product * f, 1);
      return {
        sku,
        name,
        nameNormalized: normalizeSearchText(name),
        unit: template.unit,
        productLine: template.line,
        listPrice: retailPrice(template.price * factor),
        currency: 'VND',
      };
    }),
  );
}

// ----------------------------------------------------------------------- stock

/** Products the README and tests look up: they always have stock. */
const ALWAYS_STOCKED = new Set(['BAN-GO-SOI-120', 'DESK-OAK-140']);

function buildStockLevels(
  rng: Random,
  products: readonly Prisma.ProductCreateManyInput[],
  anchor: Date,
): DemoStockLevel[] {
  const levels: DemoStockLevel[] = [];
  for (const product of products) {
    const soldOut = !ALWAYS_STOCKED.has(product.sku) && rng.chance(0.03);
    const count = rng.int(2, 4);
    const chosen = new Set<string>();
    while (chosen.size < count) {
      chosen.add(rng.weighted(WAREHOUSES.map((w) => [w.code, w.weight] as const)));
    }
    for (const warehouse of WAREHOUSES.filter((w) => chosen.has(w.code))) {
      const empty = soldOut || (!ALWAYS_STOCKED.has(product.sku) && rng.chance(0.08));
      const onHand = empty ? 0 : rng.int(1, rng.chance(0.3) ? 40 : 500);
      levels.push({
        sku: product.sku,
        warehouseCode: warehouse.code,
        onHand,
        reserved: rng.int(0, Math.floor(onHand * 0.3)),
        updatedAt: new Date(anchor.getTime() - rng.int(5, 72 * 60) * MINUTE),
      });
    }
  }
  return levels;
}

// ------------------------------------------------------------------- sales reps

const SALES_REPS: readonly Prisma.SalesRepCreateManyInput[] = [
  {
    id: 'REP-001',
    name: 'Phạm Quốc Bảo',
    email: 'bao.pham@example.vn',
    region: 'north',
    productLines: 'furniture,office',
  },
  {
    id: 'REP-002',
    name: 'Đỗ Thu Hằng',
    email: 'hang.do@example.vn',
    region: 'north',
    productLines: 'lighting,electrical,kitchen',
  },
  {
    id: 'REP-003',
    name: 'Lê Minh Tuấn',
    email: 'tuan.le@example.vn',
    region: 'central',
    productLines: 'furniture,office,lighting,kitchen,electrical',
  },
  {
    id: 'REP-004',
    name: 'Võ Thị Ngọc Hân',
    email: 'han.vo@example.vn',
    region: 'central',
    productLines: 'kitchen,lighting',
  },
  {
    id: 'REP-005',
    name: 'Nguyễn Hoàng Phúc',
    email: 'phuc.nguyen@example.vn',
    region: 'south',
    productLines: 'furniture',
  },
  {
    id: 'REP-006',
    name: 'Huỳnh Mỹ Linh',
    email: 'linh.huynh@example.vn',
    region: 'south',
    productLines: 'office,electrical',
  },
  {
    id: 'REP-007',
    name: 'Trương Gia Huy',
    email: 'huy.truong@example.vn',
    region: 'south',
    productLines: 'lighting,kitchen',
  },
  {
    id: 'REP-008',
    name: 'Bùi Thanh Sơn',
    email: 'son.bui@example.vn',
    region: 'south',
    productLines: 'furniture,office',
    active: false,
  },
];

// -------------------------------------------------------------------- customers

interface Customer {
  name: string;
  email: string;
  phone: string;
  region: Region;
}

const FIXTURE_ORDER_NUMBER = 'SO-2026-000123';
const FIXTURE_CUSTOMER: Customer = {
  name: 'Trần Thị Lan',
  email: 'lan.tran@example.vn',
  phone: '+84901234567',
  region: 'south',
};

const FAMILY_NAMES = `
  Nguyễn Nguyễn Nguyễn Trần Trần Lê Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý
  Trương Đinh Mai
`
  .trim()
  .split(/\s+/);
const MALE_MIDDLE = 'Văn Hữu Đức Quốc Minh Thành Công Gia'.split(' ');
const FEMALE_MIDDLE = 'Thị Ngọc Thu Thanh Minh Mỹ Kim Phương'.split(' ');
const MALE_GIVEN = `
  An Bình Cường Dũng Đạt Hải Hiếu Hùng Khang Khoa Long Lực Nam Nghĩa Phong Phúc Quân Quang Sơn
  Tài Thắng Trung Tuấn Vinh
`
  .trim()
  .split(/\s+/);
const FEMALE_GIVEN = `
  An Anh Châu Chi Giang Hà Hạnh Hằng Hương Lan Linh Loan Mai Ngân Nhung Oanh Phương Quyên Thảo
  Trang Tuyết Uyên Vy Yến
`
  .trim()
  .split(/\s+/);
const MOBILE_PREFIXES = `
  90 93 89 70 76 77 78 79 91 94 88 81 82 83 84 85 96 97 98 86 32 33 34 35 36 37 38 39 56 58 59
`
  .trim()
  .split(/\s+/);
const REGION_WEIGHTS: ReadonlyArray<readonly [Region, number]> = [
  ['south', 45],
  ['north', 40],
  ['central', 15],
];

function buildCustomers(rng: Random): Customer[] {
  const emails = new Set([FIXTURE_CUSTOMER.email]);
  const phones = new Set([FIXTURE_CUSTOMER.phone]);
  const customers: Customer[] = [];
  while (customers.length < CUSTOMER_COUNT) {
    const female = rng.chance(0.5);
    const family = rng.pick(FAMILY_NAMES);
    const given = rng.pick(female ? FEMALE_GIVEN : MALE_GIVEN);
    const middle = rng.pick(female ? FEMALE_MIDDLE : MALE_MIDDLE);
    const domain = rng.chance(0.7) ? 'example.vn' : 'example.com';
    const local = `${normalizeSearchText(given)}.${normalizeSearchText(family)}`;
    let email = `${local}@${domain}`;
    while (emails.has(email)) email = `${local}${rng.int(1, 99)}@${domain}`;
    let phone = `+84${rng.pick(MOBILE_PREFIXES)}${rng.digits(7)}`;
    while (phones.has(phone)) phone = `+84${rng.pick(MOBILE_PREFIXES)}${rng.digits(7)}`;
    emails.add(email);
    phones.add(phone);
    customers.push({
      name: `${family} ${middle} ${given}`,
      email,
      phone,
      region: rng.weighted(REGION_WEIGHTS),
    });
  }
  return customers;
}

// ----------------------------------------------------------------------- orders

/** Older orders have mostly run their course; recent ones are still moving. */
function statusFor(rng: Random, ageDays: number): OrderStatus {
  if (ageDays < 2) {
    return rng.weighted<OrderStatus>([
      ['pending', 45],
      ['confirmed', 40],
      ['picking', 10],
      ['cancelled', 5],
    ]);
  }
  if (ageDays < 5) {
    return rng.weighted<OrderStatus>([
      ['pending', 5],
      ['confirmed', 25],
      ['picking', 35],
      ['shipped', 25],
      ['partially_shipped', 5],
      ['cancelled', 5],
    ]);
  }
  if (ageDays < 14) {
    return rng.weighted<OrderStatus>([
      ['picking', 10],
      ['shipped', 35],
      ['partially_shipped', 10],
      ['delivered', 40],
      ['cancelled', 5],
    ]);
  }
  return rng.weighted<OrderStatus>([
    ['delivered', 88],
    ['cancelled', 8],
    ['partially_shipped', 3],
    ['shipped', 1],
  ]);
}

const CARRIERS = ['GHN', 'GHTK', 'Viettel Post', 'J&T Express'] as const;
const TRACKING_PREFIX: Record<(typeof CARRIERS)[number], string> = {
  GHN: 'GHN',
  GHTK: 'GHTK',
  'Viettel Post': 'VTP',
  'J&T Express': 'JT',
};

/** Delivery windows start 08:00, 13:00 or 18:00 Vietnam time (UTC+7) and last four hours. */
const WINDOW_START_HOURS_UTC = [1, 6, 11];
const WINDOW_LENGTH = 4 * HOUR;

interface Window {
  start: Date;
  end: Date;
}

function pickWindow(rng: Random, earliest: number, latest: number): Window {
  const firstDay = Math.floor(earliest / DAY) * DAY;
  const candidates: number[] = [];
  for (let day = firstDay; day <= latest; day += DAY) {
    for (const hour of WINDOW_START_HOURS_UTC) {
      const start = day + hour * HOUR;
      if (start >= earliest && start + WINDOW_LENGTH <= latest) candidates.push(start);
    }
  }
  const start =
    candidates.length > 0
      ? rng.pick(candidates)
      : // Only reachable for bounds narrower than one window: take the next slot after earliest.
        (WINDOW_START_HOURS_UTC.map((hour) => firstDay + hour * HOUR).find((s) => s >= earliest) ??
        firstDay + DAY + WINDOW_START_HOURS_UTC[0] * HOUR);
  return { start: new Date(start), end: new Date(start + WINDOW_LENGTH) };
}

interface PlannedDelivery {
  status: DeliveryStatus;
  window: Window;
  /** When this delivery last changed, as far as the order's updatedAt is concerned. */
  event?: number;
}

function planDeliveries(
  rng: Random,
  status: OrderStatus,
  placedAt: number,
  anchor: number,
): PlannedDelivery[] {
  const ageDays = (anchor - placedAt) / DAY;
  const delivered = (after: number): PlannedDelivery => {
    const window = pickWindow(rng, after + 12 * HOUR, Math.min(after + 5 * DAY, anchor));
    return {
      status: 'delivered',
      window,
      event: window.start.getTime() + rng.int(20, 230) * MINUTE,
    };
  };
  const failed = (): PlannedDelivery => {
    const window = pickWindow(rng, placedAt + 12 * HOUR, Math.min(placedAt + 3 * DAY, anchor));
    return { status: 'failed', window, event: window.end.getTime() };
  };
  const inTransit = (): PlannedDelivery => {
    const window = pickWindow(rng, Math.max(anchor, placedAt + 12 * HOUR), anchor + 3 * DAY);
    const dispatched = window.start.getTime() - rng.int(18, 48) * HOUR;
    return { status: 'in_transit', window, event: dispatched };
  };
  const scheduled = (from: number, to: number): PlannedDelivery => ({
    status: 'scheduled',
    window: pickWindow(rng, Math.max(from, placedAt + 12 * HOUR), to),
  });

  switch (status) {
    case 'pending':
    case 'confirmed':
    case 'cancelled':
      return [];
    case 'picking':
      return [scheduled(anchor, anchor + 7 * DAY)];
    case 'shipped':
      return ageDays >= 4 && rng.chance(0.2) ? [failed(), inTransit()] : [inTransit()];
    case 'partially_shipped': {
      const first = ageDays >= 4 ? delivered(placedAt) : inTransit();
      return rng.chance(0.6) ? [first, scheduled(anchor + DAY, anchor + 14 * DAY)] : [first];
    }
    case 'delivered': {
      if (rng.chance(0.08)) {
        const attempt = failed();
        return [attempt, delivered(attempt.window.end.getTime())];
      }
      const first = delivered(placedAt);
      return rng.chance(0.15) ? [first, delivered(first.window.end.getTime())] : [first];
    }
  }
}

/** When the order itself last changed before any delivery did, by status. */
function statusChangeDelay(rng: Random, status: OrderStatus): number {
  switch (status) {
    case 'pending':
      return rng.int(0, 30) * MINUTE;
    case 'confirmed':
      return rng.int(60, 20 * 60) * MINUTE;
    case 'cancelled':
      return rng.int(60, 48 * 60) * MINUTE;
    case 'picking':
      return rng.int(12 * 60, 48 * 60) * MINUTE;
    case 'shipped':
    case 'partially_shipped':
    case 'delivered':
      return rng.int(2 * 60, 12 * 60) * MINUTE;
  }
}

function shippedQuantities(rng: Random, status: OrderStatus, quantities: number[]): number[] {
  switch (status) {
    case 'shipped':
    case 'delivered':
      return quantities;
    case 'partially_shipped':
      // The first line has left (at least partly), the last is still waiting: always partial.
      return quantities.map((quantity, index) => {
        if (index === quantities.length - 1) return 0;
        if (index > 0 && rng.chance(0.4)) return 0;
        return quantity > 1 ? rng.int(1, quantity - 1) : quantity;
      });
    case 'pending':
    case 'confirmed':
    case 'picking':
    case 'cancelled':
      return quantities.map(() => 0);
  }
}

function trackingNumber(
  rng: Random,
  carrier: (typeof CARRIERS)[number],
  used: Set<string>,
): string {
  let tracking: string;
  do tracking = `${TRACKING_PREFIX[carrier]}${rng.digits(10)}`;
  while (used.has(tracking));
  used.add(tracking);
  return tracking;
}

function orderNumber(sequence: number): string {
  return `SO-2026-${String(sequence).padStart(6, '0')}`;
}

function deliveryId(sequence: number): string {
  return `DLV-${String(sequence).padStart(6, '0')}`;
}

/**
 * The demo data set for the embedded core system. Pure and deterministic: the same anchor always
 * gives the same rows, so demos, docs and tests can name real SKUs and order numbers.
 */
export function buildDemoData(anchor: Date = DEMO_ANCHOR): DemoData {
  const now = anchor.getTime();
  // One stream per section, so that tuning one section leaves the others as they were.
  const stockRng = new Random(SEED ^ 0x1);
  const customerRng = new Random(SEED ^ 0x2);
  const orderRng = new Random(SEED ^ 0x3);

  const products = buildProducts();
  const stockLevels = buildStockLevels(stockRng, products, anchor);
  const customers = buildCustomers(customerRng);

  const popularity = products.map((product) => [product, orderRng.next() ** 2 + 0.05] as const);
  const fixtureProduct = products.find((product) => product.sku === 'BAN-GO-SOI-120');

  const historyStart = now - ORDER_HISTORY_DAYS * DAY;
  const placedTimes = Array.from(
    { length: ORDER_COUNT },
    // 01:00-15:00 UTC is 08:00-22:00 in Vietnam, when people shop.
    () =>
      historyStart + orderRng.int(0, ORDER_HISTORY_DAYS - 1) * DAY + orderRng.int(60, 900) * MINUTE,
  ).sort((a, b) => a - b);

  const orders: DemoOrder[] = [];
  const orderLines: Prisma.OrderLineCreateManyInput[] = [];
  const deliveries: DemoDelivery[] = [];
  const trackingNumbers = new Set<string>();

  placedTimes.forEach((placedAt, index) => {
    const number = orderNumber(index + 1);
    const isFixture = number === FIXTURE_ORDER_NUMBER;
    const customer = isFixture ? FIXTURE_CUSTOMER : orderRng.pick(customers);
    const status = isFixture ? 'shipped' : statusFor(orderRng, (now - placedAt) / DAY);

    const lineCount = Math.max(
      status === 'partially_shipped' ? 2 : 1,
      orderRng.weighted([
        [1, 40],
        [2, 28],
        [3, 17],
        [4, 10],
        [5, 5],
      ]),
    );
    const chosen = new Set<Prisma.ProductCreateManyInput>();
    if (isFixture && fixtureProduct) chosen.add(fixtureProduct);
    while (chosen.size < lineCount) chosen.add(orderRng.weighted(popularity));
    const lineProducts = [...chosen];
    const quantities = lineProducts.map(
      () => 1 + Math.min(19, Math.floor(orderRng.next() ** 3 * 20)),
    );
    const shipped = shippedQuantities(orderRng, status, quantities);
    lineProducts.forEach((product, lineIndex) => {
      orderLines.push({
        orderNumber: number,
        lineNo: lineIndex + 1,
        sku: product.sku,
        name: product.name,
        quantity: quantities[lineIndex],
        shipped: shipped[lineIndex],
      });
    });

    const planned = planDeliveries(orderRng, status, placedAt, now);
    for (const delivery of planned) {
      const carrier = orderRng.pick(CARRIERS);
      deliveries.push({
        id: deliveryId(deliveries.length + 1),
        orderNumber: number,
        status: delivery.status,
        carrier,
        trackingNumber:
          delivery.status === 'scheduled'
            ? null
            : trackingNumber(orderRng, carrier, trackingNumbers),
        windowStart: delivery.window.start,
        windowEnd: delivery.window.end,
        region: customer.region,
      });
    }

    const lastChange = Math.max(
      placedAt + statusChangeDelay(orderRng, status),
      ...planned.map((delivery) => delivery.event ?? placedAt),
    );
    orders.push({
      orderNumber: number,
      status,
      placedAt: new Date(placedAt),
      updatedAt: new Date(Math.min(Math.max(lastChange, placedAt), now)),
      customerName: customer.name,
      customerEmail: customer.email,
      customerPhone: customer.phone,
      region: customer.region,
    });
  });

  return {
    warehouses: WAREHOUSES.map(({ code, name, region }) => ({ code, name, region })),
    products,
    stockLevels,
    salesReps: SALES_REPS.map((rep) => ({ ...rep })),
    orders,
    orderLines,
    deliveries,
  };
}
