package io.mallgate.reload;

import io.mallgate.config.GatewayConfig;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Compares two configurations by key path, never looking at what a value says beyond equality (so secrets stay out
 * of every result). Walks the records by reflection so that a section or key added later is compared too, without
 * anyone remembering to list it here. Stateless.
 */
final class ConfigDiff {

  /** The top-level sections a running gateway can take over, in the order outcomes list them. */
  static final List<String> RELOADABLE = List.of("rateLimit", "breaker", "malls", "alerts");

  private ConfigDiff() {
  }

  /** The reloadable sections that differ between the two. */
  static List<String> changedSections(GatewayConfig before, GatewayConfig after) {
    return RELOADABLE.stream().filter(section -> !Objects.equals(value(before, section), value(after, section)))
        .toList();
  }

  /** Key paths outside the reloadable sections whose values differ, such as {@code server.port}; sorted. */
  static List<String> restartKeys(GatewayConfig running, GatewayConfig candidate) {
    List<String> keys = new ArrayList<>();
    Set<String> reloadable = Set.copyOf(RELOADABLE);
    for (RecordComponent section : GatewayConfig.class.getRecordComponents()) {
      if (!reloadable.contains(section.getName())) {
        differences(section.getName(), read(section, running), read(section, candidate), keys);
      }
    }
    keys.sort(null);
    return keys;
  }

  /** Descends into records down to the first key that is not one; lists and maps count as one key. */
  private static void differences(String path, Object a, Object b, List<String> into) {
    if (Objects.equals(a, b)) {
      return;
    }
    if (a == null || b == null || !a.getClass().isRecord() || a.getClass() != b.getClass()) {
      into.add(path);
      return;
    }
    for (RecordComponent component : a.getClass().getRecordComponents()) {
      differences(path + "." + component.getName(), read(component, a), read(component, b), into);
    }
  }

  private static Object value(GatewayConfig config, String section) {
    for (RecordComponent component : GatewayConfig.class.getRecordComponents()) {
      if (component.getName().equals(section)) {
        return read(component, config);
      }
    }
    throw new IllegalArgumentException("no section " + section);
  }

  private static Object read(RecordComponent component, Object record) {
    try {
      return component.getAccessor().invoke(record);
    } catch (IllegalAccessException | InvocationTargetException e) {
      throw new IllegalStateException("cannot read " + component.getName(), e);
    }
  }
}
