package io.mallgate.usage;

import java.util.Map;

/**
 * One mall's counts in one minute, per app, as this instance saw them: a copy, safe to hand to another thread.
 *
 * @param minute minutes since the epoch
 * @param apps   app name to its counts in that minute
 */
record MinuteCounts(long minute, Map<String, AppCounts> apps) {
}
