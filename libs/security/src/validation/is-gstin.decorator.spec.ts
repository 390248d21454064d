import { IsOptional, validate } from 'class-validator';

import { IsGstin, gstinCheckCharacter, isGstin } from './is-gstin.decorator';

class Company {
  @IsOptional()
  @IsGstin()
  gst_number?: unknown;
}

function company(gstNumber: unknown): Company {
  return Object.assign(new Company(), { gst_number: gstNumber });
}

describe('isGstin', () => {
  it.each(['27AAPFU0939F1ZV', '29AAGCB7383J1Z4', '24AAACC1206D1ZM'])(
    'should accept %s',
    (value) => {
      expect(isGstin(value)).toBe(true);
    },
  );

  it.each([
    ['a wrong check character', '27AAPFU0939F1ZA'],
    ['lower case', '27aapfu0939f1zv'],
    ['14 characters', '27AAPFU0939F1Z'],
    ['16 characters', '27AAPFU0939F1ZVX'],
    ['a missing Z', '27AAPFU0939F1XV'],
    ['digits where the PAN has letters', '2712345U0939F1ZV'],
    ['a number', 27],
    ['null', null],
  ])('should refuse %s', (_case, value) => {
    expect(isGstin(value)).toBe(false);
  });

  it('should accept every GSTIN built with its computed check character', () => {
    const first14 = '33ABCDE1234F2Z';

    const value = `${first14}${gstinCheckCharacter(first14)}`;

    expect(isGstin(value)).toBe(true);
  });
});

describe('IsGstin', () => {
  it('should report no error for a valid GSTIN', async () => {
    const errors = await validate(company('27AAPFU0939F1ZV'));

    expect(errors).toEqual([]);
  });

  it('should report the property with a readable message for an invalid GSTIN', async () => {
    const errors = await validate(company('27AAPFU0939F1ZA'));

    expect(errors).toHaveLength(1);
    expect(errors[0].property).toBe('gst_number');
    expect(errors[0].constraints).toEqual({
      isGstin: 'gst_number must be a 15-character GSTIN with a valid check character',
    });
  });
});
