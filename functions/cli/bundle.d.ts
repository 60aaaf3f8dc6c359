/** Types of bundle.js (plain JavaScript: it runs before anything is built). */
export declare const BUNDLE: string;
export declare function bundleIsFresh(): boolean;
export declare function buildBundle(): Promise<string>;
export declare function ensureBundle(): Promise<string>;
