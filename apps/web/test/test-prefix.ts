/** The browser stacks' BullMQ prefixes start with this; the run's teardown (global-setup.ts) removes their keys. */
export const WEB_TEST_PREFIX = "canopy-web-test-";
