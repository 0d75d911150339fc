/**
 * Streams a CSV export as rows keyed by header, each with the line it starts on. Memory holds one row at a
 * time whatever the file size. Rows that cannot be read come back as problems; only a file that cannot be
 * read at all (missing, empty, lacking a required column) throws a SourceFileError.
 */
import { createReadStream } from 'node:fs';
import { Transform, type TransformCallback } from 'node:stream';
import { parse } from 'csv-parse';
import { SourceFileError, type SourceProblem } from './model.js';

export interface CsvRow {
  line: number;
  /** Header -> cell; a column the row lacks is ''. */
  get(column: string): string;
}

export type CsvItem = { kind: 'row'; row: CsvRow } | { kind: 'problem'; problem: SourceProblem };

export interface CsvOptions {
  /** The file to read. */
  path: string;
  /** How problems name the file (defaults to `path`). */
  displayPath?: string;
  /** Columns without which no row can be read. */
  requiredColumns: readonly string[];
}

export async function* readCsvRows(options: CsvOptions): AsyncGenerator<CsvItem> {
  const file = options.displayPath ?? options.path;
  const skipped: SourceProblem[] = [];
  let lastEnd = 0;
  const input = createReadStream(options.path);
  const lineEndings = new LineEndings();
  const parser = input.pipe(lineEndings).pipe(
    parse({
      bom: true,
      relax_column_count: true,
      skip_empty_lines: true,
      info: true,
      skip_records_with_error: true,
      on_skip: (error) => {
        const reason =
          error?.code === 'CSV_QUOTE_NOT_CLOSED'
            ? 'a quoted field is never closed: the rest of the file cannot be read'
            : `unreadable row (${error?.message ?? 'unknown CSV error'})`;
        skipped.push({ file, line: lastEnd + 1, reason });
        return undefined;
      },
    }),
  );
  // pipe() does not forward errors: without this a missing file would leave the loop waiting forever.
  input.on('error', (error) => parser.destroy(error));
  let header: Map<string, number> | undefined;
  try {
    for await (const item of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      while (skipped.length > 0) yield { kind: 'problem', problem: skipped.shift()! };
      const { record, info } = item;
      // csv-parse reports the line a record ends on; quoted newlines inside it move its start up.
      const newlines = record.reduce((n, cell) => n + countNewlines(cell), 0);
      const line = info.lines - newlines;
      lastEnd = info.lines;
      if (!header) {
        header = headerOf(file, line, record, options.requiredColumns);
        continue;
      }
      if (record.length > header.size) {
        yield {
          kind: 'problem',
          problem: {
            file,
            line,
            reason: `the row has ${record.length} fields but the header has ${header.size}`,
          },
        };
        continue;
      }
      const columns = header;
      yield { kind: 'row', row: { line, get: (column) => record[columns.get(column) ?? -1] ?? '' } };
    }
  } catch (error) {
    throw fileError(file, error);
  }
  while (skipped.length > 0) yield { kind: 'problem', problem: skipped.shift()! };
  if (!header) throw new SourceFileError(file, 1, 'the file is empty: expected a header row');
}

function headerOf(
  file: string,
  line: number,
  record: string[],
  required: readonly string[],
): Map<string, number> {
  const header = new Map<string, number>();
  record.forEach((name, i) => {
    const key = name.trim();
    if (!header.has(key)) header.set(key, i);
  });
  const missing = required.filter((c) => !header.has(c));
  if (missing.length > 0)
    throw new SourceFileError(
      file,
      line,
      `the header lacks ${missing.map((c) => `'${c}'`).join(', ')}: is this the right export?`,
    );
  return header;
}

function countNewlines(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n += 1;
  return n;
}

function fileError(file: string, error: unknown): SourceFileError {
  if (error instanceof SourceFileError) return error;
  const code = (error as { code?: string } | undefined)?.code;
  if (code === 'ENOENT') return new SourceFileError(file, 0, 'the file does not exist');
  if (code === 'EISDIR') return new SourceFileError(file, 0, 'this is a folder, not an export file');
  return new SourceFileError(
    file,
    0,
    `cannot read the file: ${error instanceof Error ? error.message : String(error)}`,
  );
}

/**
 * CRLF -> LF before parsing: csv-parse's line count drifts on CRLF input, and line numbers are how a person
 * finds a bad row. A CR at a chunk's end waits for the next chunk.
 */
class LineEndings extends Transform {
  private pendingCr = false;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    let text = (this.pendingCr ? '\r' : '') + chunk.toString('latin1');
    this.pendingCr = text.endsWith('\r');
    if (this.pendingCr) text = text.slice(0, -1);
    callback(null, Buffer.from(text.replace(/\r\n/g, '\n'), 'latin1'));
  }

  override _flush(callback: TransformCallback): void {
    callback(null, this.pendingCr ? Buffer.from('\r', 'latin1') : null);
  }
}
