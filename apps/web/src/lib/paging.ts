/** The list procedures page by cursor: the next page starts at the cursor the last one returned. */
export const byCursor = {
  getNextPageParam: (page: { nextCursor?: string | null }) => page.nextCursor ?? undefined,
};

/** The part of an infinite query's result the helpers read. */
interface Paged<T> {
  data?: { pages: { items: T[] }[] };
  hasNextPage: boolean;
  isFetchingNextPage: boolean;
  fetchNextPage: () => unknown;
}

/** The rows of every page loaded so far, in order. */
export function rowsOf<T>(list: Pick<Paged<T>, "data">): T[] {
  return list.data?.pages.flatMap((page) => page.items) ?? [];
}

/** What a table's "Load more" button needs from a paged list. */
export function moreOf<T>(list: Paged<T>) {
  return { hasMore: list.hasNextPage, loading: list.isFetchingNextPage, load: () => void list.fetchNextPage() };
}
