// The page's side of the worker. One request is in the worker at a time and
// at most one waits: a newer request replaces the waiting one (whose promise
// resolves to null), so a burst of edits on a large file lints the latest
// text once instead of every text in between.
import type { WorkerReply, WorkerRequest } from "./protocol.js";

type Ask = WorkerRequest extends infer R ? (R extends WorkerRequest ? Omit<R, "id"> : never) : never;

interface Waiting {
  request: WorkerRequest;
  resolve: (reply: WorkerReply | null) => void;
  reject: (error: Error) => void;
}

export class LintClient {
  private readonly worker: Worker;
  private nextId = 1;
  private running: Waiting | null = null;
  private waiting: Waiting | null = null;
  private broken: Error | null = null;

  constructor(worker: Worker) {
    this.worker = worker;
    this.worker.onmessage = (event: MessageEvent<WorkerReply>) => this.answered(event.data);
    this.worker.onerror = (event) => {
      event.preventDefault();
      this.fail(new Error(`the lint worker failed: ${event.message || "it could not be loaded"}`));
    };
  }

  ask(ask: Ask): Promise<WorkerReply | null> {
    if (this.broken) return Promise.reject(this.broken);
    return new Promise((resolve, reject) => {
      const next: Waiting = { request: { ...ask, id: this.nextId++ } as WorkerRequest, resolve, reject };
      this.waiting?.resolve(null);
      this.waiting = next;
      this.pump();
    });
  }

  private pump(): void {
    if (this.running || !this.waiting) return;
    this.running = this.waiting;
    this.waiting = null;
    this.worker.postMessage(this.running.request);
  }

  private answered(reply: WorkerReply): void {
    const done = this.running;
    if (!done || done.request.id !== reply.id) return;
    this.running = null;
    done.resolve(reply);
    this.pump();
  }

  private fail(error: Error): void {
    this.broken = error;
    for (const w of [this.running, this.waiting]) w?.reject(error);
    this.running = this.waiting = null;
  }
}
