import type { Provider } from '@nestjs/common';

/** Binds the read ports (inventory, orders, deliveries, sales reps) to the embedded store. */
export const EMBEDDED_READ_PROVIDERS: Provider[] = [];
