// Node entry point: the same API, already initialised.
export * from "./index.js";
/** Already initialised in Node: resolves at once. */
export default function init(): Promise<void>;
