import { describe, expect, it } from 'vitest'
import { ObservedCsvError } from './ObservedCsvError'
import { parseObservedCsv } from './parseObservedCsv'

describe('parseObservedCsv', () => {
  it('reads a header with day and users in any order, skipping comments and blank lines', () => {
    const text = '# from the annual report\nusers;day\n\n100;0\n250;30\r\n900;60\n'
    expect(parseObservedCsv(text)).toEqual([
      { day: 0, users: 100 },
      { day: 30, users: 250 },
      { day: 60, users: 900 },
    ])
  })

  it('reads two bare columns (tab separated, as a spreadsheet copies them)', () => {
    expect(parseObservedCsv('0\t1e6\n7\t2.5e6')).toEqual([
      { day: 0, users: 1e6 },
      { day: 7, users: 2.5e6 },
    ])
  })

  it('names the line and cell that is not a number', () => {
    expect(() => parseObservedCsv('day,users\n0,10\n5,lots')).toThrow(
      new ObservedCsvError('line 3: users "lots" is not a number'),
    )
    expect(() => parseObservedCsv('day,users\n')).toThrow(/no data lines/)
    expect(() => parseObservedCsv('  ')).toThrow(/no data/)
  })
})
