/** One page of a paginated AWS list: its items, and the token of the next page (undefined after the last). */
export interface Page<T> {
  items?: T[];
  next?: string;
}

/**
 * The items of a paginated AWS list, page after page: `readPage(token)` asks for one page (no token for the first).
 * AWS lists in no documented order, so a caller that wants the newest or a particular item must read them all. With
 * `limit`, stops once that many are read; `unread` then tells whether pages were left.
 */
export async function readPages<T>(
  readPage: (token: string | undefined) => Promise<Page<T>>,
  limit = Infinity,
): Promise<{ items: T[]; unread: boolean }> {
  const items: T[] = [];
  let token: string | undefined;
  do {
    const page = await readPage(token);
    items.push(...(page.items ?? []));
    token = page.next;
  } while (token && items.length < limit);
  return { items, unread: token !== undefined };
}
