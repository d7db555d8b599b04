/**
 * Queries on every page, built and compiled by Kysely once per shape, then run with new values.
 * A CPU profile of the personalized pages put Kysely's building and compiling at a quarter of their
 * time (BENCHMARKS.md): the same dozen queries rebuilt, node by node, on every request. Here the
 * builder runs once with placeholders in place of the values; later calls put the values in the
 * placeholders' parameter slots and run the same SQL text (which the driver keeps prepared).
 *
 * The builder gets the query's `shape` (plain values its code may branch on) and its `values`
 * (only ever placed into the query: placeholders while it builds). A list value becomes one
 * parameter per element, so its length is part of the shape. To catch a builder that reads a value
 * it was not given (the clock, say), each shape is built twice and the two must agree.
 */
import type { Compilable, CompiledQuery, Kysely } from "kysely";

/** Stands for one value (or one element of a list value) while the query is built. */
class Placeholder {
  constructor(
    readonly name: string,
    readonly index: number | null,
  ) {}
}

type Values = Record<string, unknown>;
/** Shapes kept per query: list lengths make a few dozen at most; past this, start again. */
const MAX_SHAPES = 500;

function placeholders<V extends Values>(values: V): V {
  return Object.fromEntries(Object.entries(values).map(([name, value]) =>
    [name, Array.isArray(value) ? value.map((_, i) => new Placeholder(name, i)) : new Placeholder(name, null)])) as V;
}

function sameQuery(a: CompiledQuery, b: CompiledQuery): boolean {
  return a.sql === b.sql && a.parameters.length === b.parameters.length &&
    a.parameters.every((p, i) => (p instanceof Placeholder ? p.name === (b.parameters[i] as Placeholder).name : p === b.parameters[i]));
}

/** The function that runs the query built by `build` for a shape and values, returning its rows. */
export function compiledOnce<DB, S, V extends Values, R>(build: (db: Kysely<DB>, shape: S, values: V) => Compilable<R>) {
  const compiled = new Map<string, CompiledQuery>();
  return async (db: Kysely<DB>, shape: S, values: V): Promise<R[]> => {
    const key = JSON.stringify(shape) + Object.entries(values).map(([name, v]) => (Array.isArray(v) ? `${name}[${v.length}]` : name)).join(",");
    let query = compiled.get(key);
    if (!query) {
      query = build(db, shape, placeholders(values)).compile();
      if (!sameQuery(query, build(db, shape, placeholders(values)).compile())) {
        throw new Error(`compiledOnce: the query built for ${key} depends on something besides its shape and values`);
      }
      if (compiled.size >= MAX_SHAPES) compiled.clear();
      compiled.set(key, query);
    }
    const parameters = query.parameters.map((p) =>
      p instanceof Placeholder ? (p.index === null ? values[p.name] : (values[p.name] as unknown[])[p.index]) : p);
    return (await db.executeQuery<R>({ ...query, parameters } as CompiledQuery<R>)).rows;
  };
}
