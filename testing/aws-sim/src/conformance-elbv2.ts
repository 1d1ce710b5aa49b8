import type { TrimmedModel } from '@shipyard/platform/model-shapes';

// Elastic Load Balancing v2 has no model in aws-models/ (its official model is not among the snapshots Shipyard
// trims), so aws-sim's answers are checked against this small hand-written model of the operations it answers,
// taken from the API reference (DescribeTargetGroupAttributes, ModifyTargetGroupAttributes, TargetGroupAttribute):
// a list of Key/Value members in `<Attributes>`, errors TargetGroupNotFound and InvalidConfigurationRequest.

const ATTRIBUTES_OUTPUT = { type: 'structure' as const, members: { Attributes: 'TargetGroupAttributes' } };

export const ELBV2_MODEL: TrimmedModel = {
  source: 'hand-written from the Elastic Load Balancing API Reference (version 2015-12-01)',
  commit: '',
  sha256: '',
  protocol: 'query',
  apiVersion: '2015-12-01',
  operations: {
    DescribeTargetGroupAttributes: {
      output: 'DescribeTargetGroupAttributesOutput',
      errors: ['TargetGroupNotFound'],
      resultWrapper: 'DescribeTargetGroupAttributesResult',
    },
    ModifyTargetGroupAttributes: {
      output: 'ModifyTargetGroupAttributesOutput',
      errors: ['TargetGroupNotFound', 'InvalidConfigurationRequest'],
      resultWrapper: 'ModifyTargetGroupAttributesResult',
    },
  },
  shapes: {
    DescribeTargetGroupAttributesOutput: ATTRIBUTES_OUTPUT,
    ModifyTargetGroupAttributesOutput: ATTRIBUTES_OUTPUT,
    TargetGroupAttributes: { type: 'list', member: 'TargetGroupAttribute' },
    TargetGroupAttribute: {
      type: 'structure',
      members: { Key: 'TargetGroupAttributeKey', Value: 'TargetGroupAttributeValue' },
    },
    TargetGroupAttributeKey: { type: 'string', max: 256, pattern: '^[a-zA-Z0-9._]+$' },
    TargetGroupAttributeValue: { type: 'string' },
  },
};
