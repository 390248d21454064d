/**
 * The valuation method of the platform, `multiples-v1`: an indicative enterprise value from
 * sector multiples, adjusted for growth, with a range around it.
 *
 * 1. The MSME's free-text industry is mapped to a sector (first keyword that matches,
 *    else `other`).
 * 2. With a positive EBITDA the base is EBITDA × the sector's EBITDA multiple
 *    (`ebitda_multiple`); otherwise annual revenue × the sector's revenue multiple
 *    (`revenue_multiple`).
 * 3. Growth adjusts the base by half the growth rate, the rate clamped to ±50 %: a business
 *    growing 20 % a year is valued 10 % above the base, one shrinking 20 % a year 10 % below.
 * 4. The range is ±15 % around the value for the EBITDA method and ±25 % for the revenue
 *    method, which says less about profitability.
 *
 * All arithmetic is on integers (multiples in hundredths, factors in basis points) and
 * rounds half up to whole rupees, so the same inputs give the same result everywhere.
 */
export const VALUATION_METHOD_VERSION = 'multiples-v1';

/** A sector and its multiples, in hundredths (`80` is 0.80×). */
export interface SectorMultiples {
  sector: string;
  keywords: readonly string[];
  revenueMultipleHundredths: number;
  ebitdaMultipleHundredths: number;
}

/** Indicative multiples for Indian MSMEs by sector; `other` is the fallback. */
export const SECTOR_MULTIPLES: readonly SectorMultiples[] = [
  sector('technology', ['software', 'technology', 'it ', 'saas', 'digital'], 250, 1200),
  sector('healthcare', ['health', 'pharma', 'medical', 'clinic'], 150, 1000),
  sector('manufacturing', ['manufactur', 'engineering', 'industrial', 'auto'], 80, 600),
  sector('food_processing', ['food', 'dairy', 'beverage', 'bakery'], 70, 600),
  sector('textiles', ['textile', 'garment', 'apparel', 'handloom'], 60, 500),
  sector('retail', ['retail', 'trading', 'wholesale', 'shop'], 50, 500),
  sector('logistics', ['logistic', 'transport', 'courier', 'warehous'], 70, 600),
  sector('construction', ['construction', 'real estate', 'infrastructure'], 60, 500),
  sector('agriculture', ['agri', 'farm', 'fisher', 'horticulture'], 60, 500),
  sector('services', ['service', 'consult', 'education', 'hospitality'], 100, 700),
];

const OTHER: SectorMultiples = sector('other', [], 80, 600);

const MAX_GROWTH_PERCENT = 50;
const BASIS_POINTS = 10_000n;
const HUNDREDTHS = 100n;
const EBITDA_SPREAD_BASIS_POINTS = 1_500n;
const REVENUE_SPREAD_BASIS_POINTS = 2_500n;

/** What the method needs to know about the business. */
export interface ValuationInputs {
  industry: string;
  /** Rupees, whole. */
  annualRevenueInr: number;
  /** Rupees, whole; may be negative. */
  ebitdaInr?: number;
  /** Yearly revenue growth in percent, e.g. `12.5`. */
  growthRatePercent?: number;
}

/** The result, with every figure that went into it, as stored and returned. */
export interface ValuationResult {
  method: 'ebitda_multiple' | 'revenue_multiple';
  valueInr: number;
  lowInr: number;
  highInr: number;
  inputs: {
    method_version: string;
    industry: string;
    sector: string;
    annual_revenue: number;
    ebitda: number | null;
    growth_rate: number | null;
    multiple: number;
    growth_factor: number;
    range_percent: number;
  };
}

/** The sector an industry falls into, by the first keyword found in it. */
export function sectorOf(industry: string): SectorMultiples {
  const text = ` ${industry.toLowerCase().replace(/[^a-z]+/g, ' ')} `;
  return SECTOR_MULTIPLES.find((s) => s.keywords.some((word) => text.includes(word))) ?? OTHER;
}

/** Values a business by the `multiples-v1` method. */
export function valueBusiness(inputs: ValuationInputs): ValuationResult {
  const multiples = sectorOf(inputs.industry);
  const ebitda = inputs.ebitdaInr ?? 0;
  const useEbitda = ebitda > 0;
  const multipleHundredths = BigInt(
    useEbitda ? multiples.ebitdaMultipleHundredths : multiples.revenueMultipleHundredths,
  );
  const baseAmount = BigInt(useEbitda ? ebitda : inputs.annualRevenueInr);
  const growthBasisPoints = growthFactorBasisPoints(inputs.growthRatePercent);
  const spreadBasisPoints = useEbitda ? EBITDA_SPREAD_BASIS_POINTS : REVENUE_SPREAD_BASIS_POINTS;

  const value = divideRounded(
    baseAmount * multipleHundredths * growthBasisPoints,
    HUNDREDTHS * BASIS_POINTS,
  );
  const low = divideRounded(value * (BASIS_POINTS - spreadBasisPoints), BASIS_POINTS);
  const high = divideRounded(value * (BASIS_POINTS + spreadBasisPoints), BASIS_POINTS);

  return {
    method: useEbitda ? 'ebitda_multiple' : 'revenue_multiple',
    valueInr: Number(value),
    lowInr: Number(low),
    highInr: Number(high),
    inputs: {
      method_version: VALUATION_METHOD_VERSION,
      industry: inputs.industry,
      sector: multiples.sector,
      annual_revenue: inputs.annualRevenueInr,
      ebitda: inputs.ebitdaInr ?? null,
      growth_rate: inputs.growthRatePercent ?? null,
      multiple: Number(multipleHundredths) / 100,
      growth_factor: Number(growthBasisPoints) / 10_000,
      range_percent: Number(spreadBasisPoints) / 100,
    },
  };
}

/** 1 + half the growth rate (clamped), in basis points, rounded half up. */
function growthFactorBasisPoints(growthRatePercent: number | undefined): bigint {
  if (growthRatePercent === undefined) return BASIS_POINTS;
  const clamped = Math.max(-MAX_GROWTH_PERCENT, Math.min(MAX_GROWTH_PERCENT, growthRatePercent));
  // Half of `clamped` percent is `clamped * 50` basis points.
  return BASIS_POINTS + BigInt(Math.round(clamped * 50));
}

/** `numerator / denominator` rounded half up, for non-negative operands. */
function divideRounded(numerator: bigint, denominator: bigint): bigint {
  return (numerator * 2n + denominator) / (denominator * 2n);
}

function sector(
  name: string,
  keywords: readonly string[],
  revenueMultipleHundredths: number,
  ebitdaMultipleHundredths: number,
): SectorMultiples {
  return { sector: name, keywords, revenueMultipleHundredths, ebitdaMultipleHundredths };
}
