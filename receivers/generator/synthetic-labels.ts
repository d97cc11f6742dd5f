const REGIONS = ['eu-west', 'eu-north', 'us-east', 'ap-south'];
const STATUSES = ['200', '200', '200', '404', '500'];
const SERVICES = 10;

/**
 * The labels of synthetic series number `i`: a realistic mix of low-cardinality labels (service,
 * region, status) and one unique per series (host), so every index gives a distinct series.
 */
export function syntheticLabels(i: number): Record<string, string> {
  return {
    service: `service-${i % SERVICES}`,
    host: `host-${i}`,
    region: REGIONS[i % REGIONS.length]!,
    status: STATUSES[i % STATUSES.length]!,
  };
}
