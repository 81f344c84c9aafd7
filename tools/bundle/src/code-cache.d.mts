export declare const CODE_CACHE_DIR: string;
export declare function wrapWithCodeCache(name: string, code: string): string;
