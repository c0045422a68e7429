/** Bad usage or configuration: the CLI prints the message on one line and exits 2. */
export class ConfigError extends Error {
  override name = "ConfigError";
}
