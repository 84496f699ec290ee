// The emulator's Batch Jobs API (beta): batches of job requests that run on
// the endpoint's workers once finalized. RunPod documents the routes, the
// batch's fields and its limits; the shape of a page's requests is not
// documented, so the emulator answers `{index, id?, status, output?, error?,
// delayTime?, executionTime?}` (see the README's Batch Jobs section). A batch is
// answered in the client's own `Batch` shape (src/batch.ts).
import { BATCH_LIMITS } from "../_runpod_facts.ts";
import { isTerminalStatus } from "../is_terminal_status.ts";
import type { Batch, BatchStatus } from "../batch.ts";
import type { Clock } from "../clock.ts";
import type { JobRecord, JobTable } from "./_jobs.ts";
import type { JobRequest } from "./_routes/_job_request.ts";

/** One request of a batch as `GET /batch/{id}/requests` answers it. */
export interface BatchRequestView {
  index: number;
  /** The job id, once the batch is finalized. */
  id?: string;
  /** `PENDING` until the batch is finalized, then its job's status. */
  status: string;
  output?: unknown;
  error?: unknown;
  delayTime?: number;
  executionTime?: number;
}

/** A batch as the emulator keeps it. */
export interface BatchRecord {
  id: string;
  endpointId: string;
  status: BatchStatus;
  createdAt: number;
  requests: JobRequest[];
  /** The jobs, one per request, once finalized. */
  jobs: JobRecord[];
}

/** Why a batch operation was refused: the HTTP status and the message. */
export class BatchRefusal {
  constructor(readonly status: number, readonly message: string) {}
}

/** Every batch of one emulator. */
export class BatchStore {
  #batches = new Map<string, BatchRecord>();

  /** The batch `id` of `endpointId`, or undefined. */
  get(endpointId: string, id: string): BatchRecord | undefined {
    const batch = this.#batches.get(id);
    return batch?.endpointId === endpointId ? batch : undefined;
  }

  /** Creates a DRAFT batch from `requests`, within the endpoint's limits. */
  create(
    endpointId: string,
    requests: JobRequest[],
    clock: Clock,
    table: JobTable,
  ): BatchRecord | BatchRefusal {
    const active = [...this.#batches.values()].filter((batch) =>
      batch.endpointId === endpointId && this.#active(batch, table)
    );
    if (active.length >= BATCH_LIMITS.activePerEndpoint) {
      return new BatchRefusal(
        429,
        `Endpoint '${endpointId}' has ${active.length} active batches, the most it may have: finalize or cancel one, or wait for one to be done`,
      );
    }
    const refused = this.#checkSize(endpointId, 0, requests.length, table);
    if (refused) return refused;
    const batch: BatchRecord = {
      id: `batch-${crypto.randomUUID()}`,
      endpointId,
      status: "DRAFT",
      createdAt: clock.now(),
      requests: [...requests],
      jobs: [],
    };
    this.#batches.set(batch.id, batch);
    return batch;
  }

  /** Adds requests to a DRAFT batch. */
  add(batch: BatchRecord, requests: JobRequest[], table: JobTable): BatchRefusal | undefined {
    if (batch.status !== "DRAFT") {
      return new BatchRefusal(
        409,
        `Batch '${batch.id}' is ${batch.status}: requests can only be added to a DRAFT batch`,
      );
    }
    const refused = this.#checkSize(
      batch.endpointId,
      batch.requests.length,
      requests.length,
      table,
    );
    if (refused) return refused;
    batch.requests.push(...requests);
    return undefined;
  }

  /** Finalizes a DRAFT batch: its requests become jobs, queued in order. */
  finalize(batch: BatchRecord, table: JobTable): BatchRefusal | undefined {
    if (batch.status === "FINALIZED") return undefined;
    if (batch.status !== "DRAFT") {
      return new BatchRefusal(
        409,
        `Batch '${batch.id}' is ${batch.status}: it cannot be finalized`,
      );
    }
    if (batch.requests.length === 0) {
      return new BatchRefusal(400, `Batch '${batch.id}' has no requests: add some first`);
    }
    batch.status = "FINALIZED";
    batch.jobs = batch.requests.map((request) =>
      table.create({ ...request, endpointId: batch.endpointId, mode: "run" })
    );
    return undefined;
  }

  /** Cancels a DRAFT or FINALIZED batch and every job of it not finished yet. */
  cancel(batch: BatchRecord, table: JobTable): void {
    if (batch.status !== "DRAFT" && batch.status !== "FINALIZED") return;
    batch.status = "CANCELLED";
    for (const job of batch.jobs) table.cancel(job);
  }

  /** The batch with its counts. */
  view(batch: BatchRecord, table: JobTable): Batch {
    const counts = this.#counts(batch, table);
    return {
      id: batch.id,
      endpointId: batch.endpointId,
      status: batch.status,
      requestTotal: batch.requests.length,
      requestInProgress: counts.inProgress,
      requestCompleted: counts.completed,
      requestFailed: counts.failed,
      createdAt: new Date(batch.createdAt).toISOString(),
    };
  }

  /** The requests from `offset`, at most `limit` of them. */
  page(batch: BatchRecord, offset: number, limit: number, table: JobTable): BatchRequestView[] {
    const end = Math.min(batch.requests.length, offset + limit);
    const page: BatchRequestView[] = [];
    for (let index = offset; index < end; index++) {
      const job = batch.jobs[index];
      if (!job) {
        page.push({ index, status: batch.status === "CANCELLED" ? "CANCELLED" : "PENDING" });
        continue;
      }
      const view = table.view(job);
      const item: BatchRequestView = { index, id: job.id, status: requestStatus(job) };
      if (view.output !== undefined) item.output = view.output;
      if (view.error !== undefined) item.error = view.error;
      if (view.delayTime !== undefined) item.delayTime = view.delayTime;
      if (view.executionTime !== undefined) item.executionTime = view.executionTime;
      page.push(item);
    }
    return page;
  }

  #counts(batch: BatchRecord, table: JobTable) {
    table.sweep();
    const counts = { inProgress: 0, completed: 0, failed: 0 };
    if (batch.status === "CANCELLED" && batch.jobs.length === 0) {
      counts.failed = batch.requests.length; // cancelled as a draft: none will run
      return counts;
    }
    for (const job of batch.jobs) {
      const status = requestStatus(job);
      if (status === "COMPLETED") counts.completed++;
      else if (isTerminalStatus(status)) counts.failed++;
      else counts.inProgress++;
    }
    return counts;
  }

  /** A DRAFT batch, or a FINALIZED one with requests not done. */
  #active(batch: BatchRecord, table: JobTable): boolean {
    if (batch.status === "DRAFT") return true;
    if (batch.status !== "FINALIZED") return false;
    const { completed, failed } = this.#counts(batch, table);
    return completed + failed < batch.requests.length;
  }

  /** Refuses more than the requests a batch, or an endpoint's active batches, may hold. */
  #checkSize(
    endpointId: string,
    has: number,
    adding: number,
    table: JobTable,
  ): BatchRefusal | undefined {
    if (has + adding > BATCH_LIMITS.requestsPerBatch) {
      return new BatchRefusal(
        400,
        `A batch holds at most ${BATCH_LIMITS.requestsPerBatch} requests: this one has ${has} and ${adding} more were sent; split them over several batches`,
      );
    }
    let queued = adding;
    for (const batch of this.#batches.values()) {
      if (batch.endpointId !== endpointId) continue;
      if (batch.status === "DRAFT") queued += batch.requests.length;
      else if (batch.status === "FINALIZED") queued += this.#counts(batch, table).inProgress;
    }
    if (queued > BATCH_LIMITS.queuedPerEndpoint) {
      return new BatchRefusal(
        429,
        `Endpoint '${endpointId}' would have ${queued} batch requests waiting, over the ${BATCH_LIMITS.queuedPerEndpoint} allowed: wait for batches to finish`,
      );
    }
    return undefined;
  }
}

/** A batch job's status: one purged from the queue counts as CANCELLED, one whose `policy.ttl` ran out as FAILED. */
function requestStatus(job: JobRecord): string {
  if (job.removed && !isTerminalStatus(job.status)) {
    return job.removed === "purged" ? "CANCELLED" : "FAILED";
  }
  return job.status;
}
