export declare const CLI_OUT_DIR: string;
export declare function bundleCli(root: string): Promise<string>;
export declare function bundleIsFresh(root: string): boolean;
