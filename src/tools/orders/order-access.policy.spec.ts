import { describe, expect, it } from '@jest/globals';
import { GatehouseError } from '../../common/errors/gatehouse.error.js';
import { authorizeOrderAccess, orderNotFound } from './order-access.policy.js';

const order = {
  orderNumber: 'SO-2026-000123',
  customer: { name: 'Trần Thị Lan', email: 'lan.tran@example.vn', phone: '+84901234567' },
};

function denial(run: () => unknown): GatehouseError {
  try {
    run();
  } catch (error) {
    if (error instanceof GatehouseError) return error;
    throw error;
  }
  throw new Error('expected the call to be refused');
}

describe(authorizeOrderAccess.name, () => {
  const number = order.orderNumber;

  it('lets an open client read an order without contact details', () => {
    expect(authorizeOrderAccess(number, order, {}, {})).toBe(order);
    expect(authorizeOrderAccess(number, order, { orderLookup: 'open' }, {})).toBe(order);
  });

  it('lets a verified client read an order with the customer email or phone', () => {
    const verified = { orderLookup: 'verified' } as const;
    expect(
      authorizeOrderAccess(number, order, verified, { customerEmail: 'Lan.Tran@example.vn' }),
    ).toBe(order);
    expect(authorizeOrderAccess(number, order, verified, { customerPhone: '0901234567' })).toBe(
      order,
    );
  });

  it('refuses a verified client without contact details', () => {
    const error = denial(() =>
      authorizeOrderAccess(number, order, { orderLookup: 'verified' }, {}),
    );
    expect(error.code).toBe('order_not_found');
  });

  it('refuses a wrong email under either policy', () => {
    for (const orderLookup of ['open', 'verified'] as const) {
      const error = denial(() =>
        authorizeOrderAccess(number, order, { orderLookup }, { customerEmail: 'x@example.vn' }),
      );
      expect(error.code).toBe('order_not_found');
    }
  });

  it('answers a refused order exactly like a missing one', () => {
    const missing = denial(() => authorizeOrderAccess(number, null, {}, {}));
    const refused = denial(() =>
      authorizeOrderAccess(
        number,
        order,
        { orderLookup: 'verified' },
        { customerPhone: '+84900000000' },
      ),
    );
    expect(refused.code).toBe(missing.code);
    expect(refused.message).toBe(missing.message);
    expect(refused.options).toEqual(missing.options);
    expect(missing.options).toEqual(orderNotFound(number).options);
  });
});
