import { describe, expect, it } from 'vitest'
import type { AnalysisError } from './AnalysisError.js'
import { parseObservationsCsv } from './parseObservationsCsv.js'

function problemsOf(text: string): readonly string[] {
  try {
    parseObservationsCsv(text)
  } catch (error) {
    expect((error as AnalysisError).code).toBe('BAD_OBSERVATIONS')
    return (error as AnalysisError).problems
  }
  throw new Error('expected a BAD_OBSERVATIONS error')
}

describe('parseObservationsCsv', () => {
  it('reads a header with day and users in any order and case, skipping comments and blank lines', () => {
    const text = '# from the annual report\nUsers;Day\n\n100;0\n250;30\r\n900;60\n'
    expect(parseObservationsCsv(text)).toEqual([
      { day: 0, users: 100 },
      { day: 30, users: 250 },
      { day: 60, users: 900 },
    ])
  })

  it('reads two bare columns (tab separated, as a spreadsheet copies them)', () => {
    expect(parseObservationsCsv('0\t1e6\n7\t2.5e6')).toEqual([
      { day: 0, users: 1e6 },
      { day: 7, users: 2.5e6 },
    ])
  })

  it('reads quoted cells, ignoring other columns, even one with the delimiter inside', () => {
    const text = 'note,day,users\n"launch, week 1",0,"10"\n"steady",7,25\n'
    expect(parseObservationsCsv(text)).toEqual([
      { day: 0, users: 10 },
      { day: 7, users: 25 },
    ])
  })

  it('names every line and cell that is not a number, by its line in the text', () => {
    expect(problemsOf('day,users\n\n0,10\n5,lots\nsoon,7\n')).toEqual([
      'line 4: users "lots" is not a number',
      'line 5: day "soon" is not a number',
    ])
  })

  it('names a header without day and users, and text without data', () => {
    expect(problemsOf('when,count\n1,2\n')).toEqual([
      'line 1: a header needs "day" and "users" columns, got "when, count"',
    ])
    expect(problemsOf('day,users\n')).toEqual(['no data lines after the header'])
    expect(problemsOf('  \n# nothing\n')).toEqual(['no data: give lines of "day,users"'])
  })
})
