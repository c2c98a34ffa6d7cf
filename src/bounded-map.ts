// A Map that forgets its oldest entry when a new one would pass its limit: memory bounded, and
// nothing else to tune. The caches of token records and of compiled ACLs are such maps.

export class BoundedMap<K, V> extends Map<K, V> {
  constructor(readonly limit: number) {
    super();
  }

  override set(key: K, value: V): this {
    if (this.size >= this.limit && !this.has(key)) this.delete(this.keys().next().value as K);
    return super.set(key, value);
  }
}
