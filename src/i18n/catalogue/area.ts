/** A catalogue's tree: keys name the message, leaves are the text with `{{name}}` placeholders. */
export type Tree = { [key: string]: string | Tree };

/** The same keys as `T`, with any text: what the German half of an area must have. */
export type Shape<T> = { [K in keyof T]: T[K] extends string ? string : Shape<T[K]> };

/**
 * One area of the catalogue (one feature's pages, the emails…) in both languages side by side, so
 * that a key added in English without its German fails the type check in the same file, and
 * people adding keys to different areas never touch the same lines.
 */
export function defineArea<E extends Tree>(area: { en: E; de: Shape<E> }): { en: E; de: Shape<E> } {
  return area;
}
