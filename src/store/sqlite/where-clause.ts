/**
 * Builds a `WHERE` clause with positional parameters from equality filters; a filter whose
 * value is undefined is left out, and an empty filter list gives an empty clause.
 */
export function whereClause(filters: Array<[column: string, value: string | number | undefined]>, extra: string[] = []) {
  const conditions = [...extra];
  const parameters: Array<string | number> = [];
  for (const [column, value] of filters) {
    if (value === undefined) continue;
    conditions.push(`${column} = ?`);
    parameters.push(value);
  }
  return { where: conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '', parameters };
}
