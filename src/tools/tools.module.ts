import { Module } from '@nestjs/common';
import { DeliveriesModule } from './deliveries/deliveries.module.js';
import { HandoffsModule } from './handoffs/handoffs.module.js';
import { InventoryModule } from './inventory/inventory.module.js';
import { LeadsModule } from './leads/leads.module.js';
import { OrdersModule } from './orders/orders.module.js';
import { InternalRequestsModule } from './requests/requests.module.js';

/** The nine agent tools, one feature module per capability. */
@Module({
  imports: [
    InventoryModule,
    OrdersModule,
    DeliveriesModule,
    InternalRequestsModule,
    LeadsModule,
    HandoffsModule,
  ],
})
export class ToolsModule {}
