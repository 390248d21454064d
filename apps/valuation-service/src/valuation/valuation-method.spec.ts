import { sectorOf, valueBusiness, VALUATION_METHOD_VERSION } from './valuation-method';

describe('sectorOf', () => {
  it.each([
    ['Software development', 'technology'],
    ['IT services', 'technology'],
    ['Pharmaceuticals', 'healthcare'],
    ['Auto components manufacturing', 'manufacturing'],
    ['Dairy', 'food_processing'],
    ['Handloom textiles', 'textiles'],
    ['Wholesale trading', 'retail'],
    ['Courier and logistics', 'logistics'],
    ['Management consulting', 'services'],
    ['Pottery', 'other'],
  ])('should map "%s" to %s', (industry, expected) => {
    expect(sectorOf(industry).sector).toBe(expected);
  });
});

describe('valueBusiness', () => {
  it('should value by the revenue multiple without EBITDA', () => {
    const result = valueBusiness({ industry: 'Textiles', annualRevenueInr: 50_000_000 });

    expect(result).toEqual({
      method: 'revenue_multiple',
      valueInr: 30_000_000,
      lowInr: 22_500_000,
      highInr: 37_500_000,
      inputs: {
        method_version: VALUATION_METHOD_VERSION,
        industry: 'Textiles',
        sector: 'textiles',
        annual_revenue: 50_000_000,
        ebitda: null,
        growth_rate: null,
        multiple: 0.6,
        growth_factor: 1,
        range_percent: 25,
      },
    });
  });

  it('should value by the EBITDA multiple adjusted by half the growth rate', () => {
    const result = valueBusiness({
      industry: 'Food processing',
      annualRevenueInr: 80_000_000,
      ebitdaInr: 10_000_000,
      growthRatePercent: 20,
    });

    expect(result.method).toBe('ebitda_multiple');
    expect(result.valueInr).toBe(66_000_000);
    expect(result.lowInr).toBe(56_100_000);
    expect(result.highInr).toBe(75_900_000);
    expect(result.inputs.growth_factor).toBe(1.1);
  });

  it('should fall back to revenue when EBITDA is not positive', () => {
    const result = valueBusiness({
      industry: 'Retail',
      annualRevenueInr: 10_000_000,
      ebitdaInr: -2_000_000,
    });

    expect(result.method).toBe('revenue_multiple');
    expect(result.valueInr).toBe(5_000_000);
    expect(result.inputs.ebitda).toBe(-2_000_000);
  });

  it.each([
    [80, 1.25],
    [-90, 0.75],
    [-10, 0.95],
    [0.01, 1.0001],
  ])('should clamp and halve a growth rate of %p %% to a factor of %p', (growth, factor) => {
    const result = valueBusiness({
      industry: 'Other',
      annualRevenueInr: 1_000_000,
      growthRatePercent: growth,
    });

    expect(result.inputs.growth_factor).toBe(factor);
  });

  it('should give whole rupees with low <= value <= high over a spread of inputs', () => {
    for (let step = 0; step < 200; step += 1) {
      const result = valueBusiness({
        industry: ['Software', 'Retail', 'Dairy', 'Unknown'][step % 4],
        annualRevenueInr: step * 7_919_333 + 1,
        ebitdaInr: step % 3 === 0 ? step * 1_234_567 - 50_000_000 : undefined,
        growthRatePercent: step % 5 === 0 ? undefined : (step % 97) - 48.37,
      });

      expect(Number.isSafeInteger(result.valueInr)).toBe(true);
      expect(result.lowInr).toBeLessThanOrEqual(result.valueInr);
      expect(result.valueInr).toBeLessThanOrEqual(result.highInr);
      expect(result.lowInr).toBeGreaterThanOrEqual(0);
    }
  });

  it('should give the same result for the same inputs', () => {
    const inputs = {
      industry: 'Precision engineering',
      annualRevenueInr: 123_456_789,
      ebitdaInr: 9_876_543,
      growthRatePercent: 13.37,
    };

    expect(valueBusiness({ ...inputs })).toEqual(valueBusiness({ ...inputs }));
  });

  it('should value a business with no revenue at zero', () => {
    const result = valueBusiness({ industry: 'Services', annualRevenueInr: 0 });

    expect([result.lowInr, result.valueInr, result.highInr]).toEqual([0, 0, 0]);
  });
});
