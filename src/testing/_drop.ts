const droppedAnswers = new WeakSet<Response>();

/**
 * An answer that stands for a lost connection: its body errors before any
 * byte. `emulator.fetch` turns it into a rejected fetch and `serveNode`
 * into a destroyed socket; `Deno.serve` sends its head, then resets.
 */
export function dropped(): Response {
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      // An AbortError: Deno.serve resets the connection without logging it.
      controller.error(new DOMException("The connection was reset (injected fault)", "AbortError"));
    },
  });
  const response = new Response(body, {
    status: 200,
    headers: { "content-type": "application/json" },
  });
  droppedAnswers.add(response);
  return response;
}

/** Whether `response` stands for a lost connection. */
export function isDropped(response: Response): boolean {
  return droppedAnswers.has(response);
}
