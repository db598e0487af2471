// Types of require-banner.mjs, for the TypeScript that tests it.
export declare const REQUIRE_BANNER: string;
