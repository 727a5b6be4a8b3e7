import { describe, expect, it } from '@jest/globals';
import { IsInt, IsString, Min, validateSync } from 'class-validator';
import { cacheValidationMetadata } from './metadata-cache.js';

class Base {
  @IsString()
  name!: unknown;
}

class Child extends Base {
  @IsInt()
  @Min(1)
  count!: unknown;
}

class Grouped {
  @IsString({ groups: ['strict'] })
  code!: unknown;
}

const failed = (object: object, groups?: string[]) =>
  validateSync(object, { forbidUnknownValues: true, ...(groups ? { groups } : {}) })
    .map((e) => e.property)
    .sort();

const build = <T extends object>(type: new () => T, values: Record<string, unknown>): T =>
  Object.assign(new type(), values);

describe(cacheValidationMetadata.name, () => {
  it('gives the same answers as uncached validation, inherited constraints included, call after call', () => {
    const cases = [
      build(Child, { name: 'a', count: 2 }),
      build(Child, { name: 1, count: 0 }),
      build(Base, { name: 3 }),
      build(Child, { name: 'b', count: 'x' }),
    ];
    const uncached = cases.map((c) => failed(c));
    cacheValidationMetadata();
    for (let round = 0; round < 3; round += 1) {
      expect(cases.map((c) => failed(c))).toEqual(uncached);
    }
    expect(uncached).toEqual([[], ['count', 'name'], ['name'], ['count']]);
  });

  it('passes lookups with validation groups through uncached', () => {
    cacheValidationMetadata();
    const bad = build(Grouped, { code: 5 });
    expect(failed(bad, ['strict'])).toEqual(['code']);
    expect(failed(bad, ['other'])).toEqual([]);
    expect(failed(bad, ['strict'])).toEqual(['code']);
  });
});
