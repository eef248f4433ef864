// The conversation list as the page knows it: a prefix of the service's order
// (sortOrder descending, ties by conversationId ascending), fetched page by
// page with the sortOrder cursor and then kept current by the service's
// events alone — a change, from this tab or another, never re-fetches the list.
//
// Invariant: `items` holds exactly the conversations that match `option` and
// sort at or before `bound`, in the service's order. Fetching the next page
// moves `bound` down; an event puts a conversation in (or takes it out) by its
// new position relative to `bound`.

// A key is anything with sortOrder and conversationId.
const START = Object.freeze({ sortOrder: Infinity, conversationId: '' }); // nothing is at or before it
const END = Object.freeze({ sortOrder: -Infinity, conversationId: '' }); // everything is

// cmp orders two keys as the service does: negative when a comes first.
export function cmp(a, b) {
  if (a.sortOrder !== b.sortOrder) return a.sortOrder > b.sortOrder ? -1 : 1;
  if (a.conversationId === b.conversationId) return 0;
  return a.conversationId < b.conversationId ? -1 : 1;
}

const keyOf = (c) => ({ sortOrder: c.sortOrder, conversationId: c.conversationId });

export class ConversationList {
  /**
   * @param service a LocalConversationService
   * @param onChange called (synchronously) after every change to `items`
   */
  constructor(service, { pageSize = 100, onChange = () => {} } = {}) {
    this.service = service;
    this.pageSize = pageSize;
    this.onChange = onChange;
    this.option = null; // null: getConversationList; else {conversationTypes?, onlyUnread?}
    this.items = [];
    this.byId = new Map();
    this.bound = START;
    this.cursor = 0; // the offset for the next page; null: resume by bound
    this.finished = false;
    this.error = null;
    this.pages = 0; // pages fetched since the last reset (shown in the footer)
    this.epoch = 0;
    this.loading = null;
    this.touched = null; // id → conversation | null, while a page is in flight
  }

  get size() {
    return this.items.length;
  }

  matches(c) {
    const o = this.option;
    if (!o) return true;
    if (o.conversationTypes?.length && !o.conversationTypes.includes(c.type)) return false;
    if (o.onlyUnread && !(c.unreadCount > 0)) return false;
    return true;
  }

  /** Forgets everything and fetches the first page for `option` (null: all). */
  reset(option = this.option) {
    this.epoch++;
    this.option = option;
    this.items = [];
    this.byId.clear();
    this.bound = START;
    this.cursor = 0;
    this.finished = false;
    this.error = null;
    this.pages = 0;
    this.loading = null;
    this.touched = null;
    this.onChange();
    return this.loadMore();
  }

  /** Fetches pages until at least `count` items are held or the list is finished. */
  async ensure(count) {
    while (!this.finished && !this.error && this.items.length < count) {
      const epoch = this.epoch;
      await this.loadMore();
      if (epoch !== this.epoch) return;
    }
  }

  /**
   * Fetches the next page of `limit` (one at a time; a second caller shares
   * the first's).
   */
  loadMore(limit = this.pageSize) {
    if (this.finished) return Promise.resolve();
    if (this.loading) return this.loading;
    const epoch = this.epoch;
    this.touched = new Map();
    const offset = this.cursor ?? this.bound.sortOrder + 0.5; // + 0.5: "sortOrder <= bound's", see trim()
    const request = this.option
      ? this.service.getConversationListByOption(offset, limit, this.option)
      : this.service.getConversationList(offset, limit);
    this.loading = request.then(
      (page) => {
        if (epoch !== this.epoch) return;
        this.#merge(page);
        this.pages++;
        this.error = null;
      },
      (e) => {
        if (epoch !== this.epoch) return;
        this.error = e;
      },
    ).finally(() => {
      if (epoch !== this.epoch) return;
      this.loading = null;
      this.touched = null;
      this.onChange();
    });
    return this.loading;
  }

  #merge(page) {
    const list = page.conversationList;
    const touched = this.touched;
    let next = page.finished ? END : list.length ? keyOf(list[list.length - 1]) : this.bound;
    if (cmp(next, this.bound) < 0) next = this.bound; // a resumed page may repeat what we hold
    for (const c of list) {
      // What an event said since the request left is newer than the page.
      if (touched.has(c.conversationId)) continue;
      if (cmp(c, this.bound) <= 0) continue;
      this.#remove(c.conversationId);
      this.#insert(c);
    }
    // Conversations that moved into the new stretch while the page was away.
    for (const [id, c] of touched) {
      if (c && this.matches(c) && cmp(c, this.bound) > 0 && cmp(c, next) <= 0) {
        this.#remove(id);
        this.#insert(c);
      }
    }
    this.bound = next;
    this.finished = page.finished;
    this.cursor = page.finished ? null : page.offset;
  }

  /** A conversation's new state, from conversationCreated or conversationChanged. */
  put(c) {
    this.touched?.set(c.conversationId, c);
    const had = this.#remove(c.conversationId);
    const inside = this.matches(c) && cmp(c, this.bound) <= 0;
    if (inside) this.#insert(c);
    return had || inside;
  }

  /** A conversation deleted. */
  drop(id) {
    this.touched?.set(id, null);
    return this.#remove(id);
  }

  get(id) {
    return this.byId.get(id);
  }

  indexOf(id) {
    const c = this.byId.get(id);
    if (!c) return -1;
    const i = this.#search(c);
    return this.items[i] === c ? i : this.items.indexOf(c);
  }

  /**
   * Lets go of the items beyond `keep` (a list that was complete and then grew
   * by 100,000 events would otherwise hold them all). It cuts between two
   * different sortOrders, so that "sortOrder <= bound's" resumes exactly there
   * whatever the service remembers about its cursors.
   */
  trim(keep) {
    if (this.loading || this.items.length <= keep * 1.5) return false;
    const items = this.items;
    for (let i = keep - 1; i < items.length - 1 && i < keep * 1.5; i++) {
      if (items[i].sortOrder !== items[i + 1].sortOrder) {
        for (let j = i + 1; j < items.length; j++) this.byId.delete(items[j].conversationId);
        items.length = i + 1;
        this.bound = keyOf(items[i]);
        this.cursor = null;
        this.finished = false;
        return true;
      }
    }
    return false;
  }

  // first index whose item sorts at or after c
  #search(c) {
    let lo = 0;
    let hi = this.items.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cmp(this.items[mid], c) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  #insert(c) {
    this.items.splice(this.#search(c), 0, c);
    this.byId.set(c.conversationId, c);
  }

  #remove(id) {
    const i = this.indexOf(id);
    if (i < 0) return false;
    this.items.splice(i, 1);
    this.byId.delete(id);
    return true;
  }
}
