package io.mallgate.usage;

/**
 * Redis did not take or give the shared counts. Never reaches a caller: a flush keeps its minutes for the next one,
 * the admin view falls back to this instance's counts. No message of its own and no stack.
 */
final class UsageUnavailable extends RuntimeException {

  UsageUnavailable() {
    super("app usage: Redis unavailable", null, false, false);
  }
}
