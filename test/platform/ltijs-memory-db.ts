/**
 * An in-memory stand-in for ltijs's MongoDB layer (its `database.plugin` option), so the platform's
 * own tests can run real ltijs without a database. Values are stored unencrypted.
 */
type Doc = Record<string, unknown>;
interface Row { match: Doc; value: Doc }

const matches = (row: Row, query?: Doc) => !query || Object.entries(query).every(([k, v]) => row.match[k] === v);

export class LtijsMemoryDb {
  private readonly collections = new Map<string, Row[]>();

  private rows(collection: string): Row[] {
    if (!this.collections.has(collection)) this.collections.set(collection, []);
    return this.collections.get(collection) as Row[];
  }

  async setup(): Promise<boolean> { return true; }
  async Close(): Promise<boolean> { return true; }

  async Get(_key: unknown, collection: string, query?: Doc): Promise<Doc[] | false> {
    const found = this.rows(collection).filter((r) => matches(r, query)).map((r) => structuredClone(r.value));
    return found.length ? found : false;
  }

  async Insert(_key: unknown, collection: string, item: Doc, index?: Doc): Promise<boolean> {
    const value = { ...item, createdAt: Date.now() };
    this.rows(collection).push({ match: { ...value, ...index }, value });
    return true;
  }

  async Replace(_key: unknown, collection: string, query: Doc, item: Doc, index?: Doc): Promise<boolean> {
    const rows = this.rows(collection).filter((r) => !matches(r, query));
    const value = { ...item, createdAt: Date.now() };
    rows.push({ match: { ...query, ...value, ...index }, value });
    this.collections.set(collection, rows);
    return true;
  }

  async Modify(_key: unknown, collection: string, query: Doc, modification: Doc): Promise<boolean> {
    const row = this.rows(collection).find((r) => matches(r, query));
    if (row) { Object.assign(row.value, modification); Object.assign(row.match, modification); }
    return true;
  }

  async Delete(collection: string, query: Doc): Promise<boolean> {
    this.collections.set(collection, this.rows(collection).filter((r) => !matches(r, query)));
    return true;
  }
}
