import fc from 'fast-check';
import { readPages } from '../src/pages';

/** A list of `pages` answered by token: page i's next token is String(i + 1), none after the last. */
function lister(pages: number[][]) {
  const asked: (string | undefined)[] = [];
  const readPage = async (token: string | undefined) => {
    asked.push(token);
    const at = Number(token ?? 0);
    return { items: pages[at], next: at + 1 < pages.length ? String(at + 1) : undefined };
  };
  return { asked, readPage };
}

test('reads page after page, in order, until the last or until the limit is reached', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(fc.array(fc.integer(), { maxLength: 5 }), { minLength: 1, maxLength: 8 }),
      fc.option(fc.integer({ min: 1, max: 30 }), { nil: undefined }),
      async (pages, limit) => {
        const { asked, readPage } = lister(pages);
        const { items, unread } = await readPages(readPage, limit);
        // The pages a reader must take: up to the last, or up to the one that reaches the limit.
        let taken = 0;
        let count = 0;
        do count += pages[taken++].length;
        while (taken < pages.length && (limit === undefined || count < limit));
        expect(asked).toEqual([undefined, ...Array.from({ length: taken - 1 }, (_, i) => String(i + 1))]);
        expect(items).toEqual(pages.slice(0, taken).flat());
        expect(unread).toBe(taken < pages.length);
      },
    ),
  );
});

test('a page without items counts as empty, and its token is still followed', async () => {
  const readPage = async (token: string | undefined) =>
    token === undefined ? { next: 'more' } : { items: ['a'], next: undefined };
  expect(await readPages(readPage)).toEqual({ items: ['a'], unread: false });
});
