// The few SGR sequences the human formats use; colours only when the CLI says
// the output is a terminal (FormatContext.color), so no colour library.
export interface Paint {
  bold(s: string): string;
  dim(s: string): string;
  underline(s: string): string;
  red(s: string): string;
  yellow(s: string): string;
  blue(s: string): string;
  reset(s: string): string;
}

const sgr = (open: number, close: number) => (s: string) => `\u001b[${open}m${s}\u001b[${close}m`;

const colors: Paint = {
  bold: sgr(1, 22),
  dim: sgr(2, 22),
  underline: sgr(4, 24),
  red: sgr(31, 39),
  yellow: sgr(33, 39),
  blue: sgr(34, 39),
  reset: sgr(0, 0),
};

const identity = (s: string) => s;
const plain: Paint = {
  bold: identity,
  dim: identity,
  underline: identity,
  red: identity,
  yellow: identity,
  blue: identity,
  reset: identity,
};

export function paint(color: boolean): Paint {
  return color ? colors : plain;
}
