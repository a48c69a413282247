/**
 * One line of `npm run bench`. Every measurement is reported against a floor measured in the
 * same run on the same machine, so the ratio means something on any hardware.
 */
export interface BenchRow {
  name: string;
  value: number;
  unit: string;
  /** What the floor is, e.g. `bare loopback HTTP round trip`. */
  floorName: string;
  floorValue: number;
  /** value / floorValue (or floorValue / value for rates, so higher is always the cost). */
  ratio: number;
  /** The aim, printed next to the ratio, e.g. `p50 within 2 ms of floor`. */
  aim?: string;
}
