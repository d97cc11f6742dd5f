import type { JsonSchema } from '../api';

/**
 * Config schema of labels an exporter adds to every series (`const_labels`, `external_labels`).
 * Names are sanitised as series labels are (`deployment.environment` becomes
 * `deployment_environment`, as in the OpenTelemetry Collector), but names Prometheus reserves
 * are refused: the `__` prefix (`__name__` among them), and `le` and `quantile`, which the
 * exporters write on histogram buckets and summary quantiles. Empty values are refused too:
 * Prometheus reads an empty label as an absent one.
 */
export function labelMapSchema(description: string): JsonSchema {
  return {
    type: 'object',
    default: {},
    propertyNames: {
      // Checked on the name as written, for what sanitising makes of it: a leading `_` followed by
      // `_` or an invalid character, or a run of invalid characters followed by `_`, both become
      // `__` (`_.x` → `__x`).
      pattern: '^(?!_[^a-zA-Z0-9]|[^a-zA-Z0-9_]+_|le$|quantile$).',
      description: 'must be a non-empty label name that Prometheus does not reserve (not le or quantile, not starting with __ once sanitised)',
    },
    additionalProperties: { type: 'string', minLength: 1 },
    description,
  };
}
