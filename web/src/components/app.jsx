// The page: drop zone, status, inputs by role, then the report's sections,
// the weight check, perplexity, tokenization and export.
import { engine, engine_error, failure, job, report, result } from '../state.js';
import { DropZone } from './drop-zone.jsx';
import { Export } from './export.jsx';
import { Findings } from './findings.jsx';
import { Inputs } from './inputs.jsx';
import { MetadataTable } from './metadata-table.jsx';
import { PplPanel } from './ppl-panel.jsx';
import { Stats } from './stats.jsx';
import { Summary } from './summary.jsx';
import { TensorDetails } from './tensor-details.jsx';
import { TensorTable } from './tensor-table.jsx';
import { TokensView } from './tokens-view.jsx';
import { WeightCheck } from './weight-check.jsx';

function Status() {
  if (engine.value === 'failed') return <p id="status" class="status error">{engine_error.value}</p>;
  if (job.value) return <p id="status" class="status busy">Reading {job.value.label}…</p>;
  if (failure.value) return <p id="status" class="status error">{failure.value}</p>;
  if (engine.value === 'loading') return <p id="status" class="status">Loading the checker…</p>;
  return null;
}

export function App() {
  const r = report.value;
  return (
    <>
      <header>
        <h1>ggufcheck</h1>
        <p class="tagline">Is this GGUF model file healthy? Checked in your browser; the file never leaves your machine.</p>
      </header>
      <main data-engine={engine.value}>
        <DropZone />
        <Status />
        {result.value && <Stats files={result.value.files} stats={result.value.stats} />}
        {r && <Findings report={r} />}
        {r && r.usable !== false && (
          <>
            <Summary />
            <Inputs />
            <WeightCheck />
            <TensorDetails />
            <PplPanel />
            <TokensView />
            <Export />
            <MetadataTable />
            <TensorTable />
          </>
        )}
      </main>
    </>
  );
}
