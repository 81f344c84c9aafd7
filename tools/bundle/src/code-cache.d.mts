export declare const CODE_CACHE_DIR: string;
export declare const META_DATA_VERSIONS: ReadonlyArray<readonly [string | undefined, string | undefined]>;
export declare function versionEnv(major: string | undefined, minor: string | undefined): Record<string, string>;
export declare function versionKey(major: string | undefined, minor: string | undefined): string;
export declare function wrapWithCodeCache(name: string, code: string, options?: { metaData?: ReadonlyArray<{ major?: string; minor?: string; output: string }> }): string;
/** A monitor's exit codes that mean the service runs (the loader's numbers for the runtime's OCF codes). */
export declare const RUNNING_CODES: number[];
