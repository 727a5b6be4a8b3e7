export type FieldDef =
  | { type: 'int' | 'char' | 'float' | 'bool' | 'datetime' | 'html' | 'selection' }
  | { type: 'm2o'; comodel: string };

export type OdooRecord = { id: number } & Record<string, unknown>;

const char = { type: 'char' } as const;
const float = { type: 'float' } as const;
const bool = { type: 'bool' } as const;
const int = { type: 'int' } as const;
const datetime = { type: 'datetime' } as const;
const html = { type: 'html' } as const;
const selection = { type: 'selection' } as const;
const m2o = (comodel: string): FieldDef => ({ type: 'm2o', comodel });

/** The models and fields (a subset of Odoo 17's) the fake knows; any other name is an error. */
export const ODOO_SCHEMA: Record<string, Record<string, FieldDef>> = {
  'res.country': { name: char, code: char },
  'res.country.state': { name: char, code: char, country_id: m2o('res.country') },
  'res.partner': {
    name: char,
    email: char,
    phone: char,
    mobile: char,
    state_id: m2o('res.country.state'),
    active: bool,
  },
  'res.users': { login: char, name: char, active: bool },
  'res.currency': { name: char },
  'uom.uom': { name: char },
  'product.category': { name: char, complete_name: char },
  'product.product': {
    default_code: char,
    name: char,
    uom_id: m2o('uom.uom'),
    categ_id: m2o('product.category'),
    list_price: float,
    currency_id: m2o('res.currency'),
    active: bool,
  },
  'stock.warehouse': {
    name: char,
    code: char,
    partner_id: m2o('res.partner'),
    active: bool,
  },
  'stock.location': {
    name: char,
    usage: selection,
    warehouse_id: m2o('stock.warehouse'),
    active: bool,
  },
  'stock.quant': {
    product_id: m2o('product.product'),
    location_id: m2o('stock.location'),
    warehouse_id: m2o('stock.warehouse'),
    quantity: float,
    reserved_quantity: float,
    write_date: datetime,
  },
  'sale.order': {
    name: char,
    state: selection,
    date_order: datetime,
    write_date: datetime,
    partner_id: m2o('res.partner'),
    partner_shipping_id: m2o('res.partner'),
  },
  'sale.order.line': {
    order_id: m2o('sale.order'),
    sequence: int,
    display_type: selection,
    product_id: m2o('product.product'),
    name: char,
    product_uom_qty: float,
    qty_delivered: float,
  },
  'delivery.carrier': { name: char },
  'stock.picking': {
    name: char,
    origin: char,
    state: selection,
    picking_type_code: selection,
    scheduled_date: datetime,
    date_deadline: datetime,
    carrier_id: m2o('delivery.carrier'),
    carrier_tracking_ref: char,
    partner_id: m2o('res.partner'),
  },
  'crm.lead': {
    name: char,
    type: selection,
    contact_name: char,
    partner_name: char,
    email_from: char,
    phone: char,
    description: html,
    active: bool,
  },
  'helpdesk.team': { name: char, active: bool },
  'helpdesk.ticket': {
    name: char,
    description: html,
    priority: selection,
    partner_email: char,
    partner_name: char,
    team_id: m2o('helpdesk.team'),
    active: bool,
  },
  'project.project': { name: char, active: bool },
  'project.task': {
    name: char,
    description: html,
    priority: selection,
    project_id: m2o('project.project'),
    active: bool,
  },
};

/** Warehouse and customer ids the specs refer to. */
export const IDS = {
  warehouse: { hanoi: 1, danang: 2, saigon: 3, closed: 4 },
  product: { table: 11, desk: 12, lamp: 13, chair: 14, oldStool: 15 },
} as const;

/**
 * A small, realistic Odoo 17 company: three warehouses across Vietnam (plus a
 * closed one), Vietnamese products with UoM and categories, quants spread
 * over several locations, orders in every state and their delivery orders.
 */
export function seedOdooData(): Map<string, OdooRecord[]> {
  const t = new Map<string, OdooRecord[]>();
  t.set('res.country', [{ id: 241, name: 'Vietnam', code: 'VN' }]);
  t.set('res.country.state', [
    { id: 101, name: 'Hà Nội', code: 'HN', country_id: 241 },
    { id: 102, name: 'Đà Nẵng', code: 'DN', country_id: 241 },
    { id: 103, name: 'Hồ Chí Minh', code: 'SG', country_id: 241 },
    { id: 104, name: 'Cần Thơ', code: 'CT', country_id: 241 },
    { id: 105, name: 'Thừa Thiên Huế', code: '46', country_id: 241 },
    { id: 106, name: 'Quảng Ninh', code: '13', country_id: 241 },
  ]);
  // prettier-ignore
  t.set('res.partner', [
    { id: 1, name: 'Nội Thất Gia Bảo', email: 'info@giabao.vn', state_id: 103 },
    { id: 2, name: 'Kho Long Biên', state_id: 101 },
    { id: 3, name: 'Kho Liên Chiểu', state_id: 102 },
    { id: 4, name: 'Kho Thủ Đức', state_id: 103 },
    {
      id: 40,
      name: 'Trần Thị Lan',
      email: 'lan.tran@example.vn',
      phone: '+84901234567',
      state_id: 103,
    },
    { id: 41, name: 'Trần Thị Lan, Cần Thơ', state_id: 104 },
    {
      id: 42,
      name: 'Nguyễn Văn Minh',
      email: 'minh.nguyen@example.vn',
      mobile: '+84912000111',
      state_id: 101,
    },
    {
      id: 43,
      name: 'Lê Hoàng Huế',
      email: 'hue.le@example.vn',
      phone: '+84234000222',
      state_id: 105,
    },
    { id: 44, name: 'Phạm Quang Hạ Long', state_id: 106 },
  ]);
  t.set('res.users', [
    { id: 2, login: 'admin', name: 'Administrator', active: true },
    { id: 7, login: 'gatehouse-api@example.vn', name: 'Gatehouse API', active: true },
  ]);
  t.set('res.currency', [{ id: 23, name: 'VND' }]);
  t.set('uom.uom', [
    { id: 1, name: 'cái' },
    { id: 2, name: 'bộ' },
  ]);
  t.set('product.category', [
    { id: 5, name: 'Furniture', complete_name: 'All / Saleable / Furniture' },
    { id: 6, name: 'Lighting', complete_name: 'All / Saleable / Lighting' },
    { id: 7, name: 'Office', complete_name: 'All / Office' },
  ]);
  const { table, desk, lamp, chair, oldStool } = IDS.product;
  // prettier-ignore
  t.set('product.product', [
    {
      id: table,
      default_code: 'BAN-GO-SOI-120',
      name: 'Bàn gỗ sồi 120cm',
      uom_id: 1,
      categ_id: 5,
      list_price: 3450000,
      currency_id: 23,
      active: true,
    },
    {
      id: desk,
      default_code: 'DESK-OAK-140',
      name: 'Oak desk 140cm',
      uom_id: 1,
      categ_id: 5,
      list_price: 4200000,
      currency_id: 23,
      active: true,
    },
    {
      id: lamp,
      default_code: 'DEN-LED-12W',
      name: 'Đèn LED âm trần 12W',
      uom_id: 1,
      categ_id: 6,
      list_price: 185000,
      currency_id: 23,
      active: true,
    },
    {
      id: chair,
      default_code: 'GHE-XOAY-01',
      name: 'Ghế xoay văn phòng',
      uom_id: 2,
      categ_id: 7,
      list_price: 1290000,
      currency_id: 23,
      active: true,
    },
    {
      id: oldStool,
      default_code: 'GHE-DAU-OLD',
      name: 'Ghế đẩu cũ',
      uom_id: 1,
      categ_id: 5,
      list_price: 90000,
      currency_id: 23,
      active: false,
    },
    {
      id: 16,
      default_code: false,
      name: 'Phí vận chuyển',
      uom_id: 1,
      categ_id: 7,
      list_price: 50000,
      currency_id: 23,
      active: true,
    },
  ]);
  const { hanoi, danang, saigon, closed } = IDS.warehouse;
  t.set('stock.warehouse', [
    { id: hanoi, name: 'Kho Long Biên', code: 'HN-01', partner_id: 2, active: true },
    { id: danang, name: 'Kho Liên Chiểu', code: 'DN-01', partner_id: 3, active: true },
    { id: saigon, name: 'Kho Thủ Đức', code: 'SG-01', partner_id: 4, active: true },
    { id: closed, name: 'Kho Hải An (đã đóng)', code: 'HP-01', partner_id: 1, active: false },
  ]);
  t.set('stock.location', [
    { id: 8, name: 'HN-01/Stock', usage: 'internal', warehouse_id: hanoi, active: true },
    { id: 9, name: 'HN-01/Stock/Kệ B2', usage: 'internal', warehouse_id: hanoi, active: true },
    { id: 18, name: 'DN-01/Stock', usage: 'internal', warehouse_id: danang, active: true },
    { id: 28, name: 'SG-01/Stock', usage: 'internal', warehouse_id: saigon, active: true },
    { id: 29, name: 'SG-01/Output', usage: 'transit', warehouse_id: saigon, active: true },
    { id: 5, name: 'Partners/Customers', usage: 'customer', active: true },
    { id: 14, name: 'Virtual Locations/Inventory adjustment', usage: 'inventory', active: true },
  ]);
  // prettier-ignore
  t.set('stock.quant', [
    {
      id: 1,
      product_id: table,
      location_id: 8,
      warehouse_id: hanoi,
      quantity: 40,
      reserved_quantity: 5,
      write_date: '2026-11-01 02:15:00',
    },
    {
      id: 2,
      product_id: table,
      location_id: 9,
      warehouse_id: hanoi,
      quantity: 10,
      reserved_quantity: 0,
      write_date: '2026-11-02 03:00:00',
    },
    {
      id: 3,
      product_id: table,
      location_id: 28,
      warehouse_id: saigon,
      quantity: 25,
      reserved_quantity: 30,
      write_date: '2026-10-30 09:45:00',
    },
    {
      id: 4,
      product_id: table,
      location_id: 5,
      quantity: 7,
      reserved_quantity: 0,
      write_date: '2026-11-02 05:00:00',
    },
    {
      id: 5,
      product_id: table,
      location_id: 29,
      warehouse_id: saigon,
      quantity: 3,
      reserved_quantity: 3,
      write_date: '2026-11-02 06:00:00',
    },
    {
      id: 6,
      product_id: desk,
      location_id: 18,
      warehouse_id: danang,
      quantity: 12,
      reserved_quantity: 2,
      write_date: '2026-10-28 01:00:00',
    },
    {
      id: 7,
      product_id: chair,
      location_id: 28,
      warehouse_id: saigon,
      quantity: 60.5,
      reserved_quantity: 0.5,
      write_date: '2026-10-29 07:30:00',
    },
  ]);
  // prettier-ignore
  t.set('sale.order', [
    {
      id: 123,
      name: 'SO-2026-000123',
      state: 'sale',
      date_order: '2026-10-28 03:12:45',
      write_date: '2026-11-02 04:00:00',
      partner_id: 40,
      partner_shipping_id: 41,
    },
    {
      id: 124,
      name: 'SO-2026-000124',
      state: 'sent',
      date_order: '2026-11-01 08:00:00',
      write_date: '2026-11-01 08:30:00',
      partner_id: 42,
      partner_shipping_id: 42,
    },
    {
      id: 125,
      name: 'SO-2026-000125',
      state: 'sale',
      date_order: '2026-10-31 02:00:00',
      write_date: '2026-11-01 01:00:00',
      partner_id: 43,
      partner_shipping_id: 43,
    },
    {
      id: 126,
      name: 'SO-2026-000126',
      state: 'sale',
      date_order: '2026-10-31 02:30:00',
      write_date: '2026-10-31 02:31:00',
      partner_id: 42,
      partner_shipping_id: 42,
    },
    {
      id: 127,
      name: 'SO-2026-000127',
      state: 'done',
      date_order: '2026-10-20 02:30:00',
      write_date: '2026-10-25 02:31:00',
      partner_id: 44,
      partner_shipping_id: false,
    },
    {
      id: 128,
      name: 'SO-2026-000128',
      state: 'cancel',
      date_order: '2026-10-21 02:30:00',
      write_date: '2026-10-22 02:31:00',
      partner_id: 42,
      partner_shipping_id: 42,
    },
  ]);
  // prettier-ignore
  t.set('sale.order.line', [
    {
      id: 1001,
      order_id: 123,
      sequence: 10,
      display_type: false,
      product_id: table,
      name: '[BAN-GO-SOI-120] Bàn gỗ sồi 120cm',
      product_uom_qty: 2,
      qty_delivered: 2,
    },
    {
      id: 1000,
      order_id: 123,
      sequence: 5,
      display_type: 'line_section',
      product_id: false,
      name: 'Phòng họp',
      product_uom_qty: 0,
      qty_delivered: 0,
    },
    {
      id: 1002,
      order_id: 123,
      sequence: 20,
      display_type: false,
      product_id: lamp,
      name: 'Đèn LED âm trần 12W',
      product_uom_qty: 4,
      qty_delivered: 1,
    },
    {
      id: 1003,
      order_id: 124,
      sequence: 10,
      display_type: false,
      product_id: chair,
      name: 'Ghế xoay',
      product_uom_qty: 6,
      qty_delivered: 0,
    },
    {
      id: 1004,
      order_id: 125,
      sequence: 10,
      display_type: false,
      product_id: desk,
      name: 'Oak desk',
      product_uom_qty: 1,
      qty_delivered: 0,
    },
    {
      id: 1005,
      order_id: 126,
      sequence: 10,
      display_type: false,
      product_id: desk,
      name: 'Oak desk',
      product_uom_qty: 2,
      qty_delivered: 0,
    },
    {
      id: 1006,
      order_id: 127,
      sequence: 10,
      display_type: false,
      product_id: oldStool,
      name: 'Ghế đẩu cũ',
      product_uom_qty: 3,
      qty_delivered: 3,
    },
    {
      id: 1007,
      order_id: 128,
      sequence: 10,
      display_type: false,
      product_id: lamp,
      name: 'Đèn LED',
      product_uom_qty: 1,
      qty_delivered: 0,
    },
  ]);
  t.set('delivery.carrier', [
    { id: 1, name: 'GHN' },
    { id: 2, name: 'Viettel Post' },
  ]);
  // prettier-ignore
  t.set('stock.picking', [
    {
      id: 501,
      name: 'WH/OUT/00011',
      origin: 'SO-2026-000123',
      state: 'done',
      picking_type_code: 'outgoing',
      scheduled_date: '2026-11-02 01:00:00',
      date_deadline: '2026-11-02 05:00:00',
      carrier_id: 1,
      carrier_tracking_ref: 'GHN5839201746',
      partner_id: 41,
    },
    {
      id: 502,
      name: 'WH/OUT/00012',
      origin: 'SO-2026-000123',
      state: 'cancel',
      picking_type_code: 'outgoing',
      scheduled_date: '2026-11-02 01:00:00',
      partner_id: 41,
    },
    {
      id: 503,
      name: 'WH/PICK/00003',
      origin: 'SO-2026-000123',
      state: 'done',
      picking_type_code: 'internal',
      scheduled_date: '2026-11-01 08:00:00',
      partner_id: 41,
    },
    {
      id: 504,
      name: 'WH/OUT/00014',
      origin: 'SO-2026-000123',
      state: 'assigned',
      picking_type_code: 'outgoing',
      scheduled_date: '2026-11-04 06:00:00',
      date_deadline: false,
      carrier_id: false,
      carrier_tracking_ref: false,
      partner_id: 41,
    },
    {
      id: 505,
      name: 'WH/OUT/00015',
      origin: 'SO-2026-000125',
      state: 'assigned',
      picking_type_code: 'outgoing',
      scheduled_date: '2026-11-04 06:00:00',
      carrier_id: 2,
      partner_id: 43,
    },
    {
      id: 506,
      name: 'WH/OUT/00016',
      origin: 'SO-2026-000126',
      state: 'confirmed',
      picking_type_code: 'outgoing',
      scheduled_date: '2026-11-04 06:00:00',
      partner_id: 42,
    },
    {
      id: 507,
      name: 'WH/OUT/00009',
      origin: 'SO-2026-000127',
      state: 'done',
      picking_type_code: 'outgoing',
      scheduled_date: '2026-10-22 01:00:00',
      carrier_id: 2,
      carrier_tracking_ref: 'VTP000111222',
      partner_id: 44,
    },
    {
      id: 508,
      name: 'WH/IN/00004',
      origin: 'P00021',
      state: 'assigned',
      picking_type_code: 'incoming',
      scheduled_date: '2026-11-03 02:00:00',
      partner_id: 1,
    },
  ]);
  t.set('crm.lead', []);
  t.set('helpdesk.team', [
    { id: 1, name: 'Chăm sóc khách hàng', active: true },
    { id: 3, name: 'Kho vận', active: true },
  ]);
  t.set('helpdesk.ticket', []);
  t.set('project.project', [{ id: 5, name: 'Yêu cầu nội bộ', active: true }]);
  t.set('project.task', []);
  return t;
}
