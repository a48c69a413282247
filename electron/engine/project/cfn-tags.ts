import type { CollectionTag, ScalarTag } from 'yaml';

/**
 * CloudFormation's short-form intrinsic tags and the long names they stand for. `!GetAtt A.B`
 * and `Fn::GetAtt: [A, B]` mean the same; the loader works with the long names only.
 */
export const SHORT_TAGS: Readonly<Record<string, string>> = {
  '!Ref': 'Ref',
  '!Condition': 'Condition',
  '!Sub': 'Fn::Sub',
  '!GetAtt': 'Fn::GetAtt',
  '!If': 'Fn::If',
  '!Join': 'Fn::Join',
  '!Select': 'Fn::Select',
  '!Split': 'Fn::Split',
  '!FindInMap': 'Fn::FindInMap',
  '!Equals': 'Fn::Equals',
  '!Not': 'Fn::Not',
  '!And': 'Fn::And',
  '!Or': 'Fn::Or',
  '!ImportValue': 'Fn::ImportValue',
  '!Base64': 'Fn::Base64',
  '!Cidr': 'Fn::Cidr',
  '!GetAZs': 'Fn::GetAZs',
  '!Transform': 'Fn::Transform',
  '!Length': 'Fn::Length',
  '!ToJsonString': 'Fn::ToJsonString',
};

/**
 * The tags handed to the `yaml` parser. Each tag may carry a scalar, a sequence or a mapping,
 * so each is declared three times; resolving is the identity, because the parsed Document must
 * keep the nodes (and their tags) exactly as written for the comment-preserving writer.
 */
export const CFN_CUSTOM_TAGS: Array<ScalarTag | CollectionTag> = Object.keys(SHORT_TAGS).flatMap((tag) => [
  { tag, resolve: (source: string) => source } satisfies ScalarTag,
  { tag, collection: 'seq', resolve: (node) => node } satisfies CollectionTag,
  { tag, collection: 'map', resolve: (node) => node } satisfies CollectionTag,
]);

/** Keys that make a one-entry mapping an intrinsic function call in the long form. */
export function isIntrinsicKey(key: string): boolean {
  return key === 'Ref' || key.startsWith('Fn::');
}
