export { loadConfig, ConfigError, CONFIG_EXIT_CODE, type LoadOptions } from './load';
export { configSchema, POLICIES, type Config, type ConfigInput } from './schema';
export { Secret } from './secret';
export { ENV_BINDINGS, CONFIG_FILE_VAR } from './sources';
