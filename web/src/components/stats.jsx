// Which files were read, how long parsing took and how many bytes it read.
import { format_bytes } from '../report-view.js';

export function Stats({ files, stats }) {
  return (
    <p id="stats" class="stats" data-parse-ms={stats.parse_ms.toFixed(1)} data-bytes-read={stats.bytes_read}
       data-total-bytes={stats.total_bytes}>
      {files.map((f) => f.name).join(', ')} — parsed in {stats.parse_ms.toFixed(1)} ms, read{' '}
      {format_bytes(stats.bytes_read)} of {format_bytes(stats.total_bytes)} in {stats.reads} {stats.reads === 1 ? 'read' : 'reads'}
      {stats.read_errors.length > 0 && <span class="error"> (read errors: {stats.read_errors.join('; ')})</span>}
    </p>
  );
}
