export * from "./ast.js";
export { parse } from "./parser.js";
export { print } from "./print.js";
export { directives, sections, nodes, ancestors, isFile, indexInParent } from "./walk.js";
export { scanArguments, countArguments, continuationAt, joinedLine, type JoinedLine } from "./arguments.js";
