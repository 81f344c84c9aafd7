export declare const SOURCE_CONDITIONS: string[];
