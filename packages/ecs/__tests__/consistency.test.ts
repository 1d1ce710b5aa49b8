import { isUnknownTaskDefinition } from '../src/consistency';
import { awsError } from '@shipyard/testkit/fake-client';

describe('isUnknownTaskDefinition', () => {
  test.each([
    [awsError('ClientException', 'Unable to describe task definition.'), true],
    [awsError('ClientException', 'TaskDefinition not found.'), true],
    [awsError('ClientException', 'TaskDefinition is inactive'), false],
    [awsError('InvalidParameterException', 'Unable to describe task definition.'), false],
    [new Error('Unable to describe task definition.'), false],
  ])('%s → %s', (error, expected) => expect(isUnknownTaskDefinition(error)).toBe(expected));
});
