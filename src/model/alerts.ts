export type AlertState = 'firing' | 'resolved';

export interface AlertNotification {
  readonly alertName: string;
  readonly state: AlertState;
  readonly severity: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  readonly startsAtMs: number;
  /** 0 while firing with no known end. */
  readonly endsAtMs: number;
  readonly epoch?: number;
  readonly requestId?: string;
}

export interface AlertBatch {
  readonly signal: 'alerts';
  readonly items: readonly AlertNotification[];
}

export function alertBatch(items: readonly AlertNotification[]): AlertBatch {
  return { signal: 'alerts', items };
}
