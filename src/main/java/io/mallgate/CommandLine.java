package io.mallgate;

import java.nio.file.Path;

/** The parsed command line. */
record CommandLine(Path config, boolean sandbox, boolean checkConfig, boolean generateKey, boolean help) {

  static final String USAGE = """
      Usage: java -jar target/mallgate.jar [--config FILE] [--sandbox] [--check-config] [--generate-key]
        --config FILE    read FILE (default: conf/gateway.yaml when it exists, else built-in defaults)
        --sandbox        run against a simulated Cafe24 with a pre-installed mall 'demo'
        --check-config   validate the configuration and exit (0: valid, warnings listed; 1: every problem listed)
        --generate-key   print a new key for sealing tokens at rest (tokens.encryptionKeys) and exit
        --help           show this text""";

  /** @throws IllegalArgumentException naming the argument at fault */
  static CommandLine parse(String[] args) {
    Path config = null;
    boolean sandbox = false;
    boolean check = false;
    boolean generateKey = false;
    boolean help = false;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--config" -> {
          if (i + 1 >= args.length) {
            throw new IllegalArgumentException("--config needs a file");
          }
          config = Path.of(args[++i]);
        }
        case "--sandbox" -> sandbox = true;
        case "--check-config" -> check = true;
        case "--generate-key" -> generateKey = true;
        case "--help", "-h" -> help = true;
        default -> throw new IllegalArgumentException("unknown argument: " + args[i]);
      }
    }
    return new CommandLine(config, sandbox, check, generateKey, help);
  }
}
