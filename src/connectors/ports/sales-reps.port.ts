export interface SalesRep {
  id: string;
  name: string;
  email: string;
  region: string;
  productLines: string[];
}

export abstract class SalesRepsPort {
  abstract activeReps(): Promise<SalesRep[]>;
  /** Product lines of the given SKUs (unknown SKUs are skipped). */
  abstract productLinesOf(skus: string[]): Promise<string[]>;
}
