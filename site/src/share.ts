// A share link carries the config in the URL fragment, which browsers never
// send to a server: `#z=<deflate-raw, base64url>` (or `#t=<UTF-8, base64url>`
// where CompressionStream is missing), with `kind=htaccess` and
// `version=2.4.x` when they differ from the defaults.
import type { Settings } from "./protocol.js";

export interface Shared {
  text: string;
  settings: Settings;
}

function toBase64Url(bytes: Uint8Array): string {
  let binary = "";
  // in slices: String.fromCharCode takes its bytes as arguments
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function fromBase64Url(text: string): Uint8Array {
  const binary = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

async function through(bytes: Uint8Array, stream: CompressionStream | DecompressionStream): Promise<Uint8Array> {
  const out = new Blob([bytes as BlobPart]).stream().pipeThrough(stream);
  return new Uint8Array(await new Response(out).arrayBuffer());
}

const canCompress = () => typeof CompressionStream === "function" && typeof DecompressionStream === "function";

/** The fragment (without `#`) for a text and its settings. */
export async function encodeShare({ text, settings }: Shared): Promise<string> {
  const params = new URLSearchParams();
  const utf8 = new TextEncoder().encode(text);
  if (canCompress()) params.set("z", toBase64Url(await through(utf8, new CompressionStream("deflate-raw"))));
  else params.set("t", toBase64Url(utf8));
  if (settings.fileKind !== "server") params.set("kind", settings.fileKind);
  if (settings.apacheVersion !== "") params.set("version", settings.apacheVersion);
  return params.toString();
}

/** What a fragment shares; null when it shares nothing; throws when it is damaged. */
export async function decodeShare(fragment: string): Promise<Shared | null> {
  const params = new URLSearchParams(fragment.replace(/^#/, ""));
  const z = params.get("z");
  const t = params.get("t");
  if (z === null && t === null) return null;
  let bytes: Uint8Array;
  try {
    bytes = z !== null ? await through(fromBase64Url(z), new DecompressionStream("deflate-raw")) : fromBase64Url(t!);
  } catch {
    throw new Error("this share link is damaged (its text cannot be decoded)");
  }
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new Error("this share link is damaged (its text is not UTF-8)");
  }
  const kind = params.get("kind");
  const version = params.get("version") ?? "";
  return { text, settings: { fileKind: kind === "htaccess" ? "htaccess" : "server", apacheVersion: /^2\.4\.\d+$/.test(version) ? version : "" } };
}
