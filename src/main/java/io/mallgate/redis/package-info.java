/**
 * Everything that talks to Redis: {@link io.mallgate.redis.RedisClientFactory} turns the {@code redis.*} config into
 * a pooled client, {@link io.mallgate.redis.RedisCommands} puts a deadline on every command and turns every
 * failure into one neutral {@link io.mallgate.redis.RedisUnavailable}, which each feature maps to its own error code,
 * {@link io.mallgate.redis.LuaScript} runs the atomic scripts kept
 * in {@code src/main/resources/redis/*.lua} (EVALSHA with an EVAL fallback), and {@link io.mallgate.redis.RedisKeys}
 * is the one place where key names are built, so that one mall's keys share a Cluster slot. Nothing here knows about
 * tokens or logs a command's arguments.
 */
package io.mallgate.redis;
