// Loaded (blocking, but tiny) before the page's main script: it starts the
// lint worker at once, so that the worker loads its engine while the browser
// is still parsing the editor's code. src/main.ts takes this worker over.
(window as unknown as { apachelintWorker?: Worker }).apachelintWorker = new Worker("worker.js");
