// The one clock of the daemon, injectable so that expiry is tested without sleeping.

export interface Clock {
  /** Microseconds since the epoch. */
  nowMicros(): number;
}

export const systemClock: Clock = {
  nowMicros: () => Math.round((performance.timeOrigin + performance.now()) * 1000),
};

/** A clock tests move by hand. */
export class ManualClock implements Clock {
  constructor(private micros = Date.now() * 1000) {}
  nowMicros(): number {
    return this.micros;
  }
  advance(seconds: number): void {
    this.micros += Math.round(seconds * 1e6);
  }
}
