/**
 * Appends to the list under `key`, creating it on first use. In place on purpose: rebuilding the
 * list on every add (`map.set(k, [...(map.get(k) ?? []), v])`) is quadratic, which a file with
 * 100,000 routes turns into minutes.
 */
export function addTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
