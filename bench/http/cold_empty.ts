// Cold start floor: the runtime starting an empty module.
export {};
