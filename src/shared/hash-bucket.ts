/**
 * Which of `count` buckets `text` falls in: FNV-1a, the same in every process and release, so a
 * document split into buckets by a key is found again by the key alone.
 */
export function bucketOf(text: string, count: number): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) hash = Math.imul(hash ^ text.charCodeAt(index), 0x01000193);
  return (hash >>> 0) % count;
}
