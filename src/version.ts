/** This package's version, read from package.json at build time (the bundle carries it), so it is written once. */
import packageJson from '../package.json' with { type: 'json' };

export const PACKAGE_VERSION: string = packageJson.version;
