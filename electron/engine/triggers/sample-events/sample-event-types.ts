/** The values a sample event is rendered with, by parameter name (`account-id`, `body`, …). */
export type SampleValues = Readonly<Record<string, string>>;

export interface SampleParameter {
  /** As the CLI flag: `--account-id`. */
  name: string;
  default: string;
  /** The value is put into the event encoded, as SAM's generator does. */
  encoding?: 'base64' | 'url';
  /** `dict`: the value is JSON text that becomes an object in the event. */
  type?: 'string' | 'dict';
}

/** A value computed from a parameter's raw value, e.g. SQS's `md5OfBody` from `body`. */
export interface DerivedValue {
  name: string;
  from: string;
  hashing: 'md5';
}

/** One event of the library: what `lambdadesk events generate SERVICE EVENT` renders. */
export interface SampleEventDefinition {
  service: string;
  event: string;
  help: string;
  parameters: SampleParameter[];
  derived?: DerivedValue[];
  build(values: SampleValues): unknown;
}

/** Shorthand for the parameters most events share. */
export const P = {
  account: { name: 'account-id', default: '123456789012' },
  partition: { name: 'partition', default: 'aws' },
  region: { name: 'region', default: 'us-east-1' },
} as const satisfies Record<string, SampleParameter>;

export function param(name: string, value: string, extra: Partial<SampleParameter> = {}): SampleParameter {
  return { name, default: value, ...extra };
}
