/**
 * The simulator's bills arrive as exact decimal strings (`exact`), computed without floats; the
 * panel keeps them exact and rounds half-up to cents only when it shows them.
 */

interface Fixed {
  units: bigint;
  scale: number;
}

function parse(text: string): Fixed {
  const match = /^(-)?(\d+)(?:\.(\d+))?$/.exec(text.trim());
  if (!match) throw new RangeError(`'${text}' is not a plain decimal`);
  const [, sign, whole = '0', fraction = ''] = match;
  const units = BigInt(`${whole}${fraction}`);
  return { units: sign ? -units : units, scale: fraction.length };
}

function aligned(a: Fixed, b: Fixed): [bigint, bigint, number] {
  const scale = Math.max(a.scale, b.scale);
  return [a.units * 10n ** BigInt(scale - a.scale), b.units * 10n ** BigInt(scale - b.scale), scale];
}

function render({ units, scale }: Fixed): string {
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString().padStart(scale + 1, '0');
  const whole = digits.slice(0, digits.length - scale);
  let fraction = scale > 0 ? digits.slice(digits.length - scale).replace(/0+$/, '') : '';
  if (fraction) fraction = `.${fraction}`;
  return `${negative && (whole !== '0' || fraction) ? '-' : ''}${whole}${fraction}`;
}

/** a − b, exactly. */
export function subtractExact(a: string, b: string): string {
  const [x, y, scale] = aligned(parse(a), parse(b));
  return render({ units: x - y, scale });
}

/** Rounded half away from zero to two places, as the bill prints it (`12.35`, `-0.13`). */
export function toCents(exact: string): string {
  const { units, scale } = parse(exact);
  let cents: bigint;
  if (scale <= 2) cents = units * 10n ** BigInt(2 - scale);
  else {
    const divisor = 10n ** BigInt(scale - 2);
    const magnitude = units < 0n ? -units : units;
    let whole = magnitude / divisor;
    if ((magnitude % divisor) * 2n >= divisor) whole += 1n;
    cents = units < 0n ? -whole : whole;
  }
  const negative = cents < 0n;
  const digits = (negative ? -cents : cents).toString().padStart(3, '0');
  const dollars = BigInt(digits.slice(0, -2)).toLocaleString('en-US');
  return `${negative ? '-' : ''}${dollars}.${digits.slice(-2)}`;
}

const isZero = (exact: string): boolean => parse(exact).units === 0n;

/** `$1,234.57`; an amount that rounds to nothing but is not zero says so rather than `$0.00`. */
export function formatUsd(exact: string): string {
  const cents = toCents(exact);
  if (/^-?0\.00$/.test(cents) && !isZero(exact)) return '< $0.01';
  return cents.startsWith('-') ? `−$${cents.slice(1)}` : `$${cents}`;
}

/** A difference: `+$1.20`, `−$0.50`, or `±$0.00` when nothing changed. */
export function formatUsdDelta(exact: string): string {
  if (isZero(exact)) return '±$0.00';
  const cents = toCents(exact);
  if (/^-?0\.00$/.test(cents)) return exact.startsWith('-') ? '−< $0.01' : '+< $0.01';
  return cents.startsWith('-') ? `−$${cents.slice(1)}` : `+$${cents}`;
}

/** Sign of an exact amount: −1, 0 or 1. */
export function signOf(exact: string): -1 | 0 | 1 {
  const { units } = parse(exact);
  return units < 0n ? -1 : units > 0n ? 1 : 0;
}

/** A small price per invocation, readable: per million invocations. */
export function formatPerMillion(usdPerInvocation: number): string {
  const perMillion = usdPerInvocation * 1e6;
  return perMillion >= 0.01 ? `$${perMillion.toFixed(2)}` : perMillion > 0 ? `$${perMillion.toPrecision(2)}` : '$0.00';
}
