import { getMetadataStorage } from 'class-validator';

type Storage = ReturnType<typeof getMetadataStorage>;
type Lookup = Storage['getTargetValidationMetadatas'];
type Metadata = ReturnType<Lookup>;
type Grouped = ReturnType<Storage['groupByPropertyName']>;

let installed = false;

/**
 * class-validator looks a class's constraints up again on every validation:
 * it filters the class's metadata and tests the class against every other
 * decorated class for inheritance (1.2 % of check_inventory's CPU, for its
 * two DTOs), then regroups the result by property. Both answers depend only
 * on the class and the options, and every decorator has run by the time a
 * request is validated, so they are kept per class. Gatehouse uses no validation groups;
 * a lookup with groups, or for a schema name, is passed through uncached.
 * Callers only read the results (class-validator's own executor included).
 */
export function cacheValidationMetadata(storage: Storage = getMetadataStorage()): void {
  if (installed) return;
  installed = true;
  const lookup = storage.getTargetValidationMetadatas.bind(storage);
  const group = storage.groupByPropertyName.bind(storage);
  const byClass = new Map<string, WeakMap<object, Metadata>>();
  const grouped = new WeakMap<Metadata, Grouped>();

  storage.getTargetValidationMetadatas = (target, schema, always, strictGroups, groups) => {
    if (groups?.length || schema) return lookup(target, schema, always, strictGroups, groups);
    const options = `${always}:${strictGroups}`;
    let cache = byClass.get(options);
    if (!cache) byClass.set(options, (cache = new WeakMap()));
    let found = cache.get(target);
    if (!found) cache.set(target, (found = lookup(target, schema, always, strictGroups, groups)));
    return found;
  };
  storage.groupByPropertyName = (metadata) => {
    let found = grouped.get(metadata);
    if (!found) grouped.set(metadata, (found = group(metadata)));
    return found;
  };
}
