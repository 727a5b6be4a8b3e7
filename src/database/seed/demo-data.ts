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

/**
 * One block per product family: a header line
 *   <product line> | <unit> | <list price in VND> | <SKU prefix> | <name, {0} {1} = options>
 * then one indented line per option axis, every combination becoming a product. An option is
 * "label=CODE*factor": CODE (for the SKU) defaults to the label, the price factor to 1, and
 * "(none)" adds nothing. "~e 120 140 160" lists sizes whose price grows with elasticity e.
 */
const CATALOGUE = `
furniture | cái | 2490000 | BAN-GO | Bàn gỗ {0} {1}cm
  sồi=SOI | óc chó=OC-CHO*1.6 | cao su=CAO-SU*0.7 | tràm=TRAM*0.75
  100*0.85 | 120 | 140*1.15 | 160*1.3
furniture | cái | 1590000 | GHE-XOAY | Ghế xoay văn phòng {0} {1}
  lưng lưới=LUOI | lưng da=DA*1.4 | lưng cao=CAO*1.25
  đen=DEN | xám=XAM | xanh navy=NAVY*1.05
furniture | cái | 3290000 | TU-HO-SO | Tủ hồ sơ {0} {1}
  2 cánh=2C*0.8 | 3 ngăn kéo=3N | 4 ngăn kéo=4N*1.2
  gỗ MDF=MDF | sắt sơn tĩnh điện=SAT*1.1
furniture | cái | 890000 | KE-SACH | Kệ sách {0} tầng {1}
  3=3T | 4=4T*1.2 | 5=5T*1.4
  trắng=TRANG | vân gỗ=VAN-GO*1.1
furniture | bộ | 6990000 | SOFA | Sofa băng {0} {1}
  2 chỗ=2C*0.75 | 3 chỗ=3C | góc L=GOC-L*1.5
  nỉ=NI | da PU=DA-PU*1.3 | vải lanh=LANH*1.1
furniture | cái | 1490000 | BAN-TRA | Bàn trà {0} {1}
  mặt kính=KINH | gỗ sồi=SOI*1.3 | mặt đá=DA*1.7
  tròn 60cm=TRON-60 | chữ nhật 100cm=CN-100*1.25
furniture | bộ | 7490000 | GIUONG | Giường ngủ gỗ {0} {1}
  sồi=SOI | óc chó=OC-CHO*1.7 | cao su=CAO-SU*0.65
  1m6=160 | 1m8=180*1.15
furniture | cái | 5990000 | BAN-HOP | Bàn họp {0} {1}
  6 chỗ=6C | 8 chỗ=8C*1.3 | 10 chỗ=10C*1.6 | 12 chỗ=12C*1.9
  gỗ MDF=MDF | gỗ sồi=SOI*1.5
furniture | piece | 2690000 | DESK | {0} Desk {1}cm
  Oak=OAK | Walnut=WALNUT*1.6 | Ash=ASH*0.95 | White=WHITE*0.8
  ~0.7 120 140 160 180
furniture | piece | 6490000 | STANDING-DESK | Standing Desk {0} {1}
  Single Motor=SM | Dual Motor=DM*1.35
  120x60cm=12060 | 140x70cm=14070*1.08 | 160x80cm=16080*1.16
furniture | piece | 3990000 | CHAIR-ERGO | Ergonomic Chair {0} {1}
  Mesh=MESH | Leather=LEATHER*1.5
  Black=BLK | Grey=GRY | White=WHT*1.05
furniture | piece | 1190000 | BOOKSHELF | Bookshelf {0} Tiers {1}
  ~0.3 3 4 5 6
  Oak=OAK*1.2 | White=WHITE
office | ram | 75000 | GIAY-A4 | Giấy in A4 {0} {1}
  70gsm=70 | 80gsm=80*1.15
  Double A=DOUBLEA*1.1 | IK Plus=IKPLUS | Paper One=PAPERONE*1.05
office | hộp | 65000 | BUT-BI | Bút bi {0} hộp {1} cây
  Thiên Long TL-027=TL027 | Bến Nghé=BN*0.9 | Pentel BK77=PENTEL*1.8
  20 | 50*2.3
office | cái | 45000 | BIA-CONG | Bìa còng {0} {1}
  5cm=5CM | 7cm=7CM*1.15
  xanh=XANH | đỏ=DO | đen=DEN
office | cái | 590000 | BANG-TRANG | Bảng trắng {1} {0}
  60x80cm=6080 | 80x120cm=80120*1.5 | 120x200cm=120200*2.8
  từ tính=TU-TINH*1.3 | thường=THUONG
office | cái | 2990000 | MAY-HUY | Máy hủy tài liệu {0}
  cắt sợi 8 tờ=SOI-8 | cắt vụn 10 tờ=VUN-10*1.4 | cắt vụn 15 tờ=VUN-15*2.1
office | box | 380000 | PAPER-A4 | Office Paper A4 {0} {1}
  70gsm=70 | 80gsm=80*1.15
  5 reams=5R | 10 reams=10R*1.95
office | piece | 890000 | MONITOR-ARM | Monitor Arm {0} {1}
  Single=SINGLE | Dual=DUAL*1.6
  Black=BLK | Silver=SLV
office | piece | 690000 | WHITEBOARD | Whiteboard {0}
  60x90cm=6090 | 90x120cm=90120*1.5 | 120x180cm=120180*2.4
office | piece | 2790000 | FILING-CAB | Filing Cabinet {0} Drawers {1}
  ~0.3 2 3 4
  Grey=GRY | Black=BLK
office | cái | 690000 | CASIO | Máy tính cầm tay Casio {0}
  FX-580VN X=FX580 | FX-880BTG=FX880*1.2 | MX-120B=MX120*0.35
office | cuốn | 129000 | SO-TAY | Sổ tay bìa da {0} {1}
  A5 | B5*1.2
  đen=DEN | nâu=NAU | xanh rêu=XANH-REU
office | bộ | 1890000 | GHE-CHO | Ghế chờ inox {0} chỗ
  ~0.8 3 4 5
lighting | cái | 159000 | DEN-LED-AT | Đèn LED âm trần {0}W {1}
  6=6W*0.6 | 9=9W*0.8 | 12=12W | 18=18W*1.3 | 24=24W*1.6
  (none) | ánh sáng vàng=V | trung tính=TT*1.05
lighting | cái | 390000 | DEN-OP-TRAN | Đèn LED ốp trần {0} {1}W
  tròn=TRON | vuông=VUONG*1.05
  ~0.6 18 24 36
lighting | cái | 39000 | BONG-LED | Bóng đèn LED bulb {0}W {1}
  ~0.25 5 9 12 15 20 30
  trắng=T | vàng=V
lighting | cái | 89000 | DEN-TUYP-T8 | Đèn tuýp LED T8 {0} {1}
  0,6m 10W=06M-10W*0.7 | 1,2m 18W=12M-18W | 1,2m 22W=12M-22W*1.2
  ánh sáng trắng=T | trung tính=TT
lighting | cái | 349000 | DEN-BAN | Đèn bàn học LED {0} {1}
  chống cận=CHONG-CAN*1.2 | kẹp bàn=KEP-BAN | sạc USB=USB*0.85
  trắng=TRANG | đen=DEN
lighting | cái | 290000 | DEN-PHA | Đèn pha LED {0}W {1}
  30=30W | 50=50W*1.4 | 100=100W*2.3 | 150=150W*3.1 | 200=200W*3.9
  IP65 | năng lượng mặt trời=SOLAR*1.8
lighting | piece | 490000 | LED-PANEL-6060 | LED Panel 600x600 {0}W {1}
  ~0.5 36 40 48
  Cool White=CW | Neutral White=NW
lighting | set | 249000 | LED-STRIP-5M | LED Strip 5m {0}
  Warm White=WW | Cool White=CW | RGB*1.6 | RGBW Wi-Fi=RGBW-WIFI*2.2
lighting | piece | 890000 | PENDANT | Pendant Light {0} {1}
  Rattan=RATTAN | Glass Globe=GLASS*1.2 | Black Metal=METAL*0.8
  30cm=30 | 45cm=45*1.4
lighting | cái | 450000 | DEN-RAY | Đèn ray nam châm {0}W {1}
  ~0.4 10 20 30
  đen=DEN | trắng=TRANG
kitchen | cái | 349000 | NOI-INOX | Nồi inox 3 đáy {0}cm
  ~1 16 18 20 22 24 26 28 30
kitchen | cái | 259000 | CHAO | Chảo chống dính {0} {1}cm
  đáy từ=TU | vân đá=VAN-DA*1.3 | sâu lòng=SAU-LONG*1.15
  ~0.8 20 24 28
kitchen | bộ | 490000 | BO-DAO | Bộ dao nhà bếp {0} món
  3=3M*0.7 | 5=5M | 7=7M*1.5
kitchen | cái | 5990000 | BEP-TU | Bếp từ đôi {0}
  âm Kangaroo=KG | dương Sunhouse=SH*0.55 | từ hồng ngoại=HN*1.2
kitchen | cái | 329000 | AM-SIEU-TOC | Ấm siêu tốc {1} {0}
  1,5L=15L | 1,8L=18L*1.1 | 2,0L=20L*1.2
  inox=INOX | thủy tinh=THUY-TINH*1.3
kitchen | cái | 890000 | MAY-XAY | Máy xay sinh tố {0}
  1,5L 600W=15L | 2L 800W=20L*1.4 | cầm tay=CAM-TAY*0.6
kitchen | piece | 399000 | POT-SS | Stainless Steel Pot {0}cm
  ~0.9 18 20 24 28
kitchen | piece | 299000 | PAN-NS | Non-stick Frying Pan {0}cm
  ~0.8 20 24 26 28 30
kitchen | set | 690000 | KNIFE-SET | Knife Set {0} pcs
  ~0.4 5 8 12
kitchen | piece | 449000 | KETTLE | Electric Kettle {0}
  1.5L=15L | 1.7L=17L*1.1 | 1.7L Glass=17L-GLASS*1.4
kitchen | bộ | 199000 | HOP-TP | Bộ hộp thủy tinh đựng thực phẩm {0} hộp
  3=3H | 5=5H*1.5 | 10=10H*2.6
kitchen | cái | 590000 | KE-CHEN | Kệ chén đĩa inox {0} tầng {1}
  2=2T | 3=3T*1.3
  để bàn=DE-BAN | treo tường=TREO*1.1
kitchen | piece | 1290000 | RICE-COOKER | Rice Cooker {0}
  1.0L=10L*0.8 | 1.8L=18L | 1.8L Induction=18L-IH*2.1
electrical | cái | 119000 | O-CAM | Ổ cắm điện {0} lỗ dây {1}m
  3=3L | 4=4L*1.15 | 6=6L*1.4
  3=3M | 5=5M*1.25
electrical | cái | 39000 | CONG-TAC | Công tắc {0} {1}
  1 chiều=1C | 2 chiều=2C*1.3
  đơn=DON | đôi=DOI*1.6 | ba=BA*2.1
electrical | cuộn | 690000 | DAY-CADIVI-CV | Dây điện Cadivi CV {0} cuộn 100m
  1.5=15 | 2.5=25*1.6 | 4.0=40*2.5 | 6.0=60*3.7
electrical | cái | 129000 | APTOMAT | Aptomat {0} {1}A
  1 pha=1P | 2 pha=2P*1.9
  ~0.05 10 16 20 32 40 63
electrical | cái | 79000 | O-CAM-AT | Ổ cắm âm tường {0} {1}
  đôi 3 chấu=DOI-3C | đơn có USB=USB*2.4 | đôi có công tắc=DOI-CT*1.3
  trắng=TRANG | đen=DEN*1.1
electrical | piece | 159000 | EXT-CORD | Extension Cord {0} Outlets {1}m
  ~0.5 4 6
  ~0.2 2 3 5
electrical | piece | 149000 | MCB | Circuit Breaker {0} {1}A
  1P | 2P*1.9
  ~0.05 16 32 63
electrical | piece | 249000 | SMART-PLUG | Smart Plug Wi-Fi {0}
  10A | 16A*1.1 | 16A Energy Monitor=16A-EM*1.5
electrical | cái | 2490000 | QUAT-TRAN | Quạt trần {0} {1} cánh
  có đèn=DEN*1.3 | không đèn=KHONG-DEN
  3=3C | 5=5C*1.2
electrical | cái | 1990000 | ON-AP | Ổn áp {0} {1}kVA
  Lioa=LIOA | Robot=ROBOT*0.9
  ~0.45 1 2 3 5
`;

interface Option {
  label: string;
  code: string;
  factor: number;
}

interface ProductFamily {
  line: ProductLine;
  unit: string;
  price: number;
  sku: string;
  name: string;
  axes: Option[][];
}

const PRODUCT_LINES: readonly ProductLine[] = [
  'furniture',
  'office',
  'lighting',
  'kitchen',
  'electrical',
];

function parseAxis(text: string): Option[] {
  const sizes = /^~([\d.]+) (.+)$/.exec(text);
  if (sizes) {
    const elasticity = Number(sizes[1]);
    const values = sizes[2].split(' ').map(Number);
    return values.map((value) => ({
      label: String(value),
      code: String(value),
      factor: 1 + (value / values[0] - 1) * elasticity,
    }));
  }
  return text.split(' | ').map((option) => {
    if (option === '(none)') return { label: '', code: '', factor: 1 };
    const [labelAndCode, factor = '1'] = option.split('*');
    const [label, code = label] = labelAndCode.split('=');
    return { label, code, factor: Number(factor) };
  });
}

function parseCatalogue(text: string): ProductFamily[] {
  const families: ProductFamily[] = [];
  for (const row of text.split('\n').filter((line) => line.trim() !== '')) {
    if (row.startsWith('  ')) {
      families[families.length - 1].axes.push(parseAxis(row.trim()));
      continue;
    }
    const [line, unit, price, sku, name] = row.split(' | ');
    const productLine = PRODUCT_LINES.find((known) => known === line);
    if (!productLine || name === undefined) throw new Error(`Bad catalogue row: ${row}`);
    families.push({ line: productLine, unit, price: Number(price), sku, name, axes: [] });
  }
  return families;
}

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
  return parseCatalogue(CATALOGUE).flatMap((family) =>
    cartesian(family.axes).map((options) => {
      const name = family.name
        .replace(/\{(\d)\}/g, (_, index: string) => options[Number(index)].label)
        .replace(/\s+/g, ' ')
        .trim();
      return {
        sku: [family.sku, ...options.map((option) => option.code)].filter(Boolean).join('-'),
        name,
        nameNormalized: normalizeSearchText(name),
        unit: family.unit,
        productLine: family.line,
        listPrice: retailPrice(family.price * options.reduce((f, option) => f * option.factor, 1)),
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

interface DeliveryWindow {
  start: Date;
  end: Date;
}

function pickWindow(rng: Random, earliest: number, latest: number): DeliveryWindow {
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
  window: DeliveryWindow;
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
    return { status: 'in_transit', window, event: anchor - rng.int(1, 36) * HOUR };
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

    // Nothing changes at the very instant of the anchor; the latest update is a little before it.
    const latestUpdateGap = orderRng.int(1, 120) * MINUTE;
    const lastChange = Math.max(
      placedAt + statusChangeDelay(orderRng, status),
      ...planned.map((delivery) => delivery.event ?? placedAt),
    );
    orders.push({
      orderNumber: number,
      status,
      placedAt: new Date(placedAt),
      updatedAt: new Date(Math.max(placedAt, Math.min(lastChange, now - latestUpdateGap))),
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
