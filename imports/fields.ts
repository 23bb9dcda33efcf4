/**
 * Reading records from a platform that may send anything: each reader names the field and what
 * was wrong, and the connector reports that record as rejected with this message.
 */
export class MalformedRecord extends Error {}

export type JsonRecord = Record<string, unknown>;

export function asRecord(value: unknown, what = "record"): JsonRecord {
  if (typeof value !== "object" || value === null || Array.isArray(value))
    throw new MalformedRecord(`${what} is not an object`);
  return value as JsonRecord;
}

export function requiredString(record: JsonRecord, key: string): string {
  const value = record[key];
  if (typeof value !== "string" || value.trim() === "")
    throw new MalformedRecord(
      value === undefined || value === null || value === ""
        ? `${key} is missing`
        : `${key} is not a string`,
    );
  return value.trim();
}

export function optionalString(record: JsonRecord, key: string): string | null {
  const value = record[key];
  if (value === undefined || value === null) return null;
  if (typeof value !== "string") throw new MalformedRecord(`${key} is not a string`);
  return value.trim() || null;
}

/** An integer, or a numeric string (API Platform sends some numbers as strings). */
export function optionalInteger(
  record: JsonRecord,
  key: string,
  range?: [number, number],
): number | null {
  const value = record[key];
  if (value === undefined || value === null) return null;
  const number = typeof value === "string" && /^-?\d+$/.test(value.trim()) ? Number(value) : value;
  if (typeof number !== "number" || !Number.isInteger(number))
    throw new MalformedRecord(`${key} is not an integer`);
  if (range && (number < range[0] || number > range[1]))
    throw new MalformedRecord(`${key} ${number} is outside ${range[0]}..${range[1]}`);
  return number;
}

/** A decimal, given as a number or a string ("50.6311"), within a range. */
export function optionalDecimal(
  record: JsonRecord,
  key: string,
  range: [number, number],
): number | null {
  const value = record[key];
  if (value === undefined || value === null || value === "") return null;
  const number = typeof value === "string" ? Number(value.trim()) : value;
  if (typeof number !== "number" || !Number.isFinite(number))
    throw new MalformedRecord(`${key} is not a number`);
  if (number < range[0] || number > range[1])
    throw new MalformedRecord(`${key} ${number} is outside ${range[0]}..${range[1]}`);
  return number;
}

export function optionalBoolean(record: JsonRecord, key: string): boolean | null {
  const value = record[key];
  if (value === undefined || value === null) return null;
  if (typeof value !== "boolean") throw new MalformedRecord(`${key} is not a boolean`);
  return value;
}

export function optionalArray(record: JsonRecord, key: string): unknown[] {
  const value = record[key];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new MalformedRecord(`${key} is not a list`);
  return value;
}

/** The id of a JSON-LD reference: `3`, `"3"`, an IRI `"/repairer_types/3"` or `{ "@id": ..., "id": 3 }`. */
export function referenceId(value: unknown): string | null {
  if (typeof value === "number" && Number.isInteger(value)) return String(value);
  if (typeof value === "string") return value.split("/").filter(Boolean).pop() ?? null;
  if (typeof value === "object" && value !== null) {
    const record = value as JsonRecord;
    return referenceId(record.id ?? record["@id"]);
  }
  return null;
}
