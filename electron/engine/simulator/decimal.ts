/**
 * Exact decimal numbers for money: a bigint count of units of 10^-scale. Binary floats cannot
 * hold $0.0000166667 exactly, and a month of GB-seconds times such a price drifts by cents, so
 * prices and usage are multiplied here and only rounded (half-up, to cents) for display.
 */
export class Decimal {
  private constructor(
    /** The value times 10^scale. */
    readonly units: bigint,
    readonly scale: number,
  ) {}

  static readonly ZERO = new Decimal(0n, 0);

  /** Parses a plain decimal literal such as `0.0000166667`, `-3` or `1e-7` (no float on the way). */
  static of(value: string | number | bigint): Decimal {
    if (typeof value === 'bigint') return new Decimal(value, 0);
    if (typeof value === 'number') {
      if (Number.isInteger(value) && Number.isSafeInteger(value)) return new Decimal(BigInt(value), 0);
      if (!Number.isFinite(value)) throw new RangeError(`${value} is not a finite number`);
      // The shortest string that round-trips is what the caller wrote, e.g. 46.12.
      return Decimal.of(String(value));
    }
    const match = /^([+-])?(\d*)(?:\.(\d*))?(?:e([+-]?\d+))?$/i.exec(value.trim());
    if (!match || (match[2] === '' && (match[3] ?? '') === '')) throw new RangeError(`'${value}' is not a decimal number`);
    const [, sign, whole = '', fraction = '', exponent = '0'] = match;
    let units = BigInt(`${whole}${fraction}` || '0');
    let scale = fraction.length - Number(exponent);
    if (scale < 0) {
      units *= 10n ** BigInt(-scale);
      scale = 0;
    }
    return new Decimal(sign === '-' ? -units : units, scale).normalized();
  }

  add(other: Decimal): Decimal {
    const [a, b, scale] = Decimal.aligned(this, other);
    return new Decimal(a + b, scale).normalized();
  }

  sub(other: Decimal): Decimal {
    const [a, b, scale] = Decimal.aligned(this, other);
    return new Decimal(a - b, scale).normalized();
  }

  mul(other: Decimal | number | bigint): Decimal {
    const o = other instanceof Decimal ? other : Decimal.of(other);
    return new Decimal(this.units * o.units, this.scale + o.scale).normalized();
  }

  /**
   * Exact division by a whole number whose only prime factors are 2 and 5 (1024, 1000, 60…),
   * which always has a finite decimal expansion; anything else would need rounding, so it throws.
   */
  divExact(divisor: number | bigint): Decimal {
    let d = BigInt(divisor);
    if (d <= 0n) throw new RangeError(`divisor ${divisor} must be positive`);
    let twos = 0;
    let fives = 0;
    while (d % 2n === 0n) {
      d /= 2n;
      twos++;
    }
    while (d % 5n === 0n) {
      d /= 5n;
      fives++;
    }
    if (d !== 1n) throw new RangeError(`dividing by ${divisor} has no exact decimal result`);
    // x / (2^a 5^b) = x * 5^(n-b) * 2^(n-a) / 10^n with n = max(a, b).
    const n = Math.max(twos, fives);
    const factor = 5n ** BigInt(n - fives) * 2n ** BigInt(n - twos);
    return new Decimal(this.units * factor, this.scale + n).normalized();
  }

  compare(other: Decimal): number {
    const [a, b] = Decimal.aligned(this, other);
    return a < b ? -1 : a > b ? 1 : 0;
  }

  min(other: Decimal): Decimal {
    return this.compare(other) <= 0 ? this : other;
  }

  max(other: Decimal): Decimal {
    return this.compare(other) >= 0 ? this : other;
  }

  isZero(): boolean {
    return this.units === 0n;
  }

  /** Rounds half away from zero ("half-up" as accountants mean it) to `places` decimals. */
  roundHalfUp(places: number): Decimal {
    if (this.scale <= places) return this;
    const divisor = 10n ** BigInt(this.scale - places);
    const magnitude = this.units < 0n ? -this.units : this.units;
    let rounded = magnitude / divisor;
    if ((magnitude % divisor) * 2n >= divisor) rounded += 1n;
    return new Decimal(this.units < 0n ? -rounded : rounded, places).normalized();
  }

  /** Exact text, e.g. `2.333338`; never exponent notation. */
  toString(): string {
    return this.toFixed(this.scale);
  }

  /** Text with exactly `places` decimals, rounding half-up when that drops digits. */
  toFixed(places: number): string {
    const r = this.roundHalfUp(places);
    const units = r.units * 10n ** BigInt(places - r.scale);
    const negative = units < 0n;
    const digits = (negative ? -units : units).toString().padStart(places + 1, '0');
    const whole = digits.slice(0, digits.length - places);
    const fraction = places > 0 ? `.${digits.slice(digits.length - places)}` : '';
    return `${negative ? '-' : ''}${whole}${fraction}`;
  }

  /** The nearest binary float: for JSON and charts, never for further money arithmetic. */
  toNumber(): number {
    return Number(this.toString());
  }

  toJSON(): string {
    return this.toString();
  }

  private normalized(): Decimal {
    let { units, scale } = this;
    if (units === 0n) return scale === 0 ? this : new Decimal(0n, 0);
    while (scale > 0 && units % 10n === 0n) {
      units /= 10n;
      scale--;
    }
    return scale === this.scale ? this : new Decimal(units, scale);
  }

  private static aligned(a: Decimal, b: Decimal): [bigint, bigint, number] {
    const scale = Math.max(a.scale, b.scale);
    return [a.units * 10n ** BigInt(scale - a.scale), b.units * 10n ** BigInt(scale - b.scale), scale];
  }
}

/** Dollars rounded half-up to cents, e.g. `$2.73`: the only rounding money ever gets. */
export function formatUsd(amount: Decimal): string {
  return `$${amount.toFixed(2)}`;
}
