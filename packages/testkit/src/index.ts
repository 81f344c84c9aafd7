export { conformance, type ConformanceOptions } from './conformance.ts';
export { runAction, type ActionResult } from './run-action.ts';
export { runExecutable, type ExecutableResult, type ExecutableOptions } from './run-executable.ts';
export { runOcfTester, type OcfTesterResult } from './ocf-tester.ts';
export { pacemakerEnv, promotableMeta, CLEAN_PATH, type CallOptions, type Params } from './pacemaker-env.ts';
export { validateDtd, validateOcf11 } from './metadata-schema.ts';
export { exitReason } from './reason.ts';
export { loadedBuiltins, HEAVY_BUILTINS } from './loaded-builtins.ts';
export { freePort, pidIn, alive } from './processes.ts';
