/**
 * DynamoDB numbers: up to 38 significant digits, exponent from -130 to +125, exact. JavaScript
 * numbers would round `0.1 + 0.2` and 2^53 + 1, so numbers are kept as a BigInt mantissa and a
 * power of ten, and handed back in DynamoDB's normalized text ("1.50" → "1.5", "1E+2" → "100").
 */
export interface Decimal {
  mantissa: bigint;
  exponent: number;
}

export class NumberError extends Error {}

const NUMBER_TEXT = /^\s*([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?\s*$/;

export function parseDecimal(text: string): Decimal {
  const m = NUMBER_TEXT.exec(text);
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) throw new NumberError(`The parameter cannot be converted to a numeric value: ${text}`);
  const digits = `${m[2]}${m[3] ?? ''}`.replace(/^0+/, '');
  let exponent = Number(m[4] ?? 0) - (m[3] ?? '').length;
  if (digits === '') return { mantissa: 0n, exponent: 0 };
  let trimmed = digits;
  while (trimmed.endsWith('0')) {
    trimmed = trimmed.slice(0, -1);
    exponent += 1;
  }
  if (trimmed.length > 38) throw new NumberError(`Attempting to store more than 38 significant digits in a Number: ${text}`);
  const magnitude = trimmed.length + exponent; // position of the decimal point
  if (magnitude > 126) throw new NumberError(`Number overflow. Attempting to store a number with magnitude larger than supported range: ${text}`);
  if (magnitude < -129) throw new NumberError(`Number underflow. Attempting to store a number with magnitude smaller than supported range: ${text}`);
  const mantissa = BigInt(trimmed);
  return { mantissa: m[1] === '-' ? -mantissa : mantissa, exponent };
}

export function formatDecimal(d: Decimal): string {
  if (d.mantissa === 0n) return '0';
  const negative = d.mantissa < 0n;
  const digits = (negative ? -d.mantissa : d.mantissa).toString();
  let text: string;
  if (d.exponent >= 0) text = digits + '0'.repeat(d.exponent);
  else {
    const point = digits.length + d.exponent;
    text = point > 0 ? `${digits.slice(0, point)}.${digits.slice(point)}` : `0.${'0'.repeat(-point)}${digits}`;
  }
  return negative ? `-${text}` : text;
}

/** The normalized text DynamoDB stores and returns; throws NumberError for what it rejects. */
export function normalizeNumber(text: string): string {
  return formatDecimal(parseDecimal(text));
}

function align(a: Decimal, b: Decimal): [bigint, bigint, number] {
  const exponent = Math.min(a.exponent, b.exponent);
  return [a.mantissa * 10n ** BigInt(a.exponent - exponent), b.mantissa * 10n ** BigInt(b.exponent - exponent), exponent];
}

export function compareNumbers(a: string, b: string): number {
  const [x, y] = align(parseDecimal(a), parseDecimal(b));
  return x < y ? -1 : x > y ? 1 : 0;
}

export function addNumbers(a: string, b: string, sign: 1 | -1 = 1): string {
  const [x, y, exponent] = align(parseDecimal(a), parseDecimal(b));
  const sum = x + (sign === 1 ? y : -y);
  return normalizeNumber(formatDecimal({ mantissa: sum, exponent }));
}
