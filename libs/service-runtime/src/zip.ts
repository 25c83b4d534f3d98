/** Pair requests with their results (e.g. from `RestatePromise.all`), refusing lists of different lengths. */
export function zip<A, B>(as: readonly A[], bs: readonly B[]): [A, B][] {
  if (as.length !== bs.length) throw new Error(`zip: ${as.length} items but ${bs.length} results`);
  return as.map((a, index) => [a, bs[index] as B]);
}
