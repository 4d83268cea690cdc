/** A CSV the calibration cannot read, naming the line. */
export class ObservedCsvError extends Error {
  /** Machine-readable kind. */
  readonly code = 'bad-observed-csv'

  /** @param message - names the line and cell at fault */
  constructor(message: string) {
    super(message)
    this.name = 'ObservedCsvError'
  }
}
