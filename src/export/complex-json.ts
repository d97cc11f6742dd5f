import type { ComplexValue } from '../api';
import { jsonNumber, jsonNumberArray } from './json-number';

/**
 * The extra fields of a histogram or summary point, each preceded by a comma, to append to a
 * metric line. Field names are part of the documented file format (docs/file-format.md).
 */
export function complexFieldsJson(value: ComplexValue): string {
  switch (value.type) {
    case 'histogram':
      return (
        `,"bucket_bounds":${jsonNumberArray(value.bounds)},"bucket_counts":${jsonNumberArray(value.counts)}` +
        `,"count":${jsonNumber(value.count)},"sum":${jsonNumber(value.sum)}` +
        minMaxJson(value.min, value.max)
      );
    case 'exp_histogram':
      return (
        `,"scale":${value.scale},"zero_count":${jsonNumber(value.zeroCount)}` +
        `,"positive_offset":${value.positiveOffset},"positive_bucket_counts":${jsonNumberArray(value.positive)}` +
        `,"negative_offset":${value.negativeOffset},"negative_bucket_counts":${jsonNumberArray(value.negative)}` +
        `,"count":${jsonNumber(value.count)},"sum":${jsonNumber(value.sum)}` +
        minMaxJson(value.min, value.max)
      );
    case 'summary':
      return `,"quantiles":${quantilesJson(value.quantiles, value.values)},"count":${jsonNumber(value.count)},"sum":${jsonNumber(value.sum)}`;
  }
}

function minMaxJson(min: number | undefined, max: number | undefined): string {
  return (min === undefined ? '' : `,"min":${jsonNumber(min)}`) + (max === undefined ? '' : `,"max":${jsonNumber(max)}`);
}

function quantilesJson(quantiles: Float64Array, values: Float64Array): string {
  let out = '[';
  for (let i = 0; i < quantiles.length; i++) {
    out += `${i === 0 ? '' : ','}{"quantile":${jsonNumber(quantiles[i]!)},"value":${jsonNumber(values[i]!)}}`;
  }
  return out + ']';
}
